import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { eventually } from './eventually';

const DIST = resolve(__dirname, '..', '..', 'dist', 'apps');
export const MAIN = {
  tocsin: join(DIST, 'tocsin/src/main.js'),
  api: join(DIST, 'api/src/main.js'),
  worker: join(DIST, 'worker/src/main.js'),
};

export interface RunningProcess {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  output(): string;
}

/** Starts a built process (`npm test` builds dist/ first) with only the given environment. */
export function runBuilt(entry: string, env: Record<string, string>): RunningProcess {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((done) => child.on('exit', (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, exit, output: () => stdout + stderr };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** A Redis server of the test's own, on its own port, that the test may stop and start again. */
export class PrivateRedis {
  private process: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (empty: nothing is kept across restarts, like a Redis that lost its data). */
  async up(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await eventually(
      () =>
        new Promise<boolean>((done) => {
          const socket = connect(this.port, '127.0.0.1');
          socket.once('connect', () => (socket.destroy(), done(true)));
          socket.once('error', () => done(false));
        }),
      (accepts) => accepts,
      { timeoutMs: 10_000, what: 'redis-server to accept connections' },
    );
  }

  /** Kills it at once, as a crash would. */
  async down(): Promise<void> {
    const process = this.process;
    this.process = null;
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((done) => process.once('exit', done));
    process.kill('SIGKILL');
    await exited;
  }
}
