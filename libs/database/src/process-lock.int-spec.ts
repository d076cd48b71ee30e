import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockHeld, takeProcessLock } from './process-lock';

/** A process of our own: its pid is alive until `stop`, and dead (not reused yet) after. */
function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise((done) => child.once('exit', done));
  return { pid: child.pid!, stop: () => (child.kill('SIGKILL'), exited) };
}

describe('the process lock of an embedded database', () => {
  let folder: string;
  let lockFile: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'tocsin-lock-'));
    lockFile = join(folder, 'pglite.lock');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('names its holder in the file, refuses a second taker in the same process, and is free once released', () => {
    const release = takeProcessLock(lockFile);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    expect(() => takeProcessLock(lockFile)).toThrow(new LockHeld({ pid: process.pid, host: hostname() }));
    release();
    expect(existsSync(lockFile)).toBe(false);
    takeProcessLock(lockFile)();
  });

  it('is refused while another living process holds it', async () => {
    const other = otherProcess();
    try {
      writeFileSync(lockFile, `${other.pid} ${hostname()}\n`);
      expect(() => takeProcessLock(lockFile)).toThrow(`held by process ${other.pid} on ${hostname()}`);
      expect(readFileSync(lockFile, 'utf8')).toBe(`${other.pid} ${hostname()}\n`);
    } finally {
      await other.stop();
    }
  });

  it('is taken over from a process that died without releasing it (kill -9)', async () => {
    const other = otherProcess();
    writeFileSync(lockFile, `${other.pid} ${hostname()}\n`);
    await other.stop();
    const release = takeProcessLock(lockFile);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    release();
  });

  it('counts a holder on another host as alive: its liveness cannot be checked from here', () => {
    writeFileSync(lockFile, '1 another-host\n');
    expect(() => takeProcessLock(lockFile)).toThrow('held by process 1 on another-host');
  });

  it('leaves alone, on release, a lock file that is no longer its own', () => {
    const release = takeProcessLock(lockFile);
    writeFileSync(lockFile, '1 another-host\n');
    release();
    expect(readFileSync(lockFile, 'utf8')).toBe('1 another-host\n');
  });
});
