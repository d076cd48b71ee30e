// One process per embedded database: PGlite has no postmaster, so two processes on one folder would each
// write their own view of it and one's writes would be lost. A lock file names the process that holds it; the
// operating system says whether that process still lives, so a crash (kill -9, OOM) never blocks a restart.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
}

export class LockHeld extends Error {
  constructor(readonly holder: LockHolder) {
    super(`held by process ${holder.pid} on ${holder.host}`);
  }
}

/** Lock files this process holds: a second open of the same folder in one process is refused as well. */
const held = new Set<string>();

/**
 * Takes `lockFile` for this process and returns its release, or throws LockHeld. A holder on another host (a
 * container sharing the volume) cannot be checked, so it counts as alive: its file must then be removed by hand.
 */
export function takeProcessLock(lockFile: string): () => void {
  const mine = `${process.pid} ${hostname()}\n`;
  let holder: LockHolder = { pid: 0, host: 'unknown' };
  // A few rounds: a stale file removed here may be taken by another process starting at the same moment.
  for (let round = 0; round < 4; round++) {
    if (createWith(lockFile, mine)) {
      held.add(lockFile);
      return () => release(lockFile, mine);
    }
    const found = readHolder(lockFile);
    if (found === null) continue; // released meanwhile
    holder = found.holder;
    if (isAlive(lockFile, holder)) break;
    removeIfStill(lockFile, found.text);
  }
  throw new LockHeld(holder);
}

/** Creates the file with its whole content at once (written aside, then linked), or false if it exists. */
function createWith(lockFile: string, content: string): boolean {
  const draft = `${lockFile}.${randomBytes(6).toString('hex')}`;
  writeFileSync(draft, content, { flag: 'wx' });
  try {
    linkSync(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

function readHolder(lockFile: string): { text: string; holder: LockHolder } | null {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const [pid, host] = text.trim().split(' ');
  return { text, holder: { pid: Number(pid), host: host ?? '' } };
}

function isAlive(lockFile: string, holder: LockHolder): boolean {
  if (held.has(lockFile)) return true;
  if (holder.host !== hostname()) return true;
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) return false; // not a lock file we wrote
  // Our own pid in the file is a previous life of it (pid 1 of a restarted container), not us.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/**
 * Removes a stale lock file, unless another process has replaced it since it was read: the file is moved
 * aside first, and put back if it is not the stale one.
 */
function removeIfStill(lockFile: string, staleText: string): void {
  const aside = `${lockFile}.${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, lockFile);
  } catch (error) {
    // EEXIST: a third process took the lock meanwhile; the next attempt reads it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
}

function release(lockFile: string, mine: string): void {
  held.delete(lockFile);
  try {
    if (readFileSync(lockFile, 'utf8') === mine) unlinkSync(lockFile);
  } catch {
    // already gone
  }
}
