// The console's API key lives in sessionStorage: it lasts while this tab is open and is never written to disk
// by us, sent anywhere but this server, or kept after signing out.

import { api, Caller } from '../api';

const KEY = 'tocsin.console.key';
const CALLER = 'tocsin.console.caller';

export interface Session {
  key: string;
  caller: Caller;
}

export function currentSession(): Session | null {
  const key = sessionStorage.getItem(KEY);
  const caller = sessionStorage.getItem(CALLER);
  return key && caller ? { key, caller: JSON.parse(caller) as Caller } : null;
}

export async function signIn(key: string): Promise<Session> {
  const caller = await api<Caller>('/v1/api-keys/me', { key });
  sessionStorage.setItem(KEY, key);
  sessionStorage.setItem(CALLER, JSON.stringify(caller));
  return { key, caller };
}

export async function signOut(): Promise<void> {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(CALLER);
  // Ends the queue board's session cookie too, if one was made.
  await fetch('/admin/queues/session', { method: 'DELETE' }).catch(() => undefined);
}

export const can = {
  publish: (s: Session) => s.caller.role === 'admin' || s.caller.role === 'publisher',
  webhooks: (s: Session) => s.caller.role === 'admin' || s.caller.role === 'integrator',
  queues: (s: Session) => s.caller.role === 'admin',
  sources: (s: Session) => s.caller.role === 'admin',
};
