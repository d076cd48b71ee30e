// The rules behind the Pending approval screen, apart from the DOM so they can be tested.

import type { Declaration, DeclarationBody } from '../api';
import type { Session } from './session';

/** What a declaration on the approvers' list waits for: its publication, or a publisher's cancellation of it. */
export type AwaitedDecision = 'publication' | 'cancellation';

export function awaitedDecision(
  d: Pick<Declaration, 'status' | 'cancelRequest' | 'cancelledAt'>,
): AwaitedDecision | null {
  if (d.status === 'pending_approval') return 'publication';
  return d.cancelRequest && !d.cancelledAt ? 'cancellation' : null;
}

/** Whether `session` asked for what `d` waits for: its publication, or its cancellation. */
export function askedBy(d: Declaration, session: Session): boolean {
  return awaitedDecision(d) === 'cancellation'
    ? d.cancelRequest!.requestedBy.id === session.caller.id
    : publishedBy(d, session);
}

/** Whether `session` published `d`: by key id where the server gives it, else by the key's name. */
export function publishedBy(d: Pick<Declaration, 'createdBy' | 'createdByKey'>, session: Session): boolean {
  return d.createdByKey ? d.createdByKey === session.caller.id : d.createdBy === session.caller.name;
}

/**
 * The request that would publish `d` as it stands, to preview its reach: times already past are left out (a
 * start that passed while it waited becomes "now" on approval).
 */
export function previewRequestOf(d: Declaration, now = new Date()): DeclarationBody {
  const ahead = (iso: string | null) => (iso && new Date(iso) > now ? iso : undefined);
  return {
    language: d.language,
    scheme: d.scheme,
    level: d.level.code,
    areas: d.areas.map((a) => a.code),
    headline: d.headline,
    summary: d.summary,
    measures: d.measures,
    authority: d.authority,
    sourceUrl: d.sourceUrl ?? undefined,
    effectiveAt: ahead(d.effectiveAt),
    expiresAt: ahead(d.expiresAt),
    ...(d.mode && d.mode !== 'actual' ? { mode: d.mode } : {}),
  };
}
