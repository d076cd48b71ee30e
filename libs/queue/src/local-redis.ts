import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { AppConfig } from '@tocsin/config';
import { connectRedis } from './redis';

/** A redis-server this process started, stopped after the app has closed. */
export interface LocalRedis {
  readonly dataDir: string;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The port to start a Redis of our own on, or null when we must not: only for `npm start`'s newcomers —
 * REDIS_URL unset (or REDIS_AUTOSTART=true and a loopback one), plain `redis:`, no password or database
 * that a server we start would not have.
 */
export function autostartPort(
  setting: AppConfig['redisAutostart'],
  redisUrlGiven: boolean,
  url: string,
): number | null {
  if (setting === 'false' || (setting === 'auto' && redisUrlGiven)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' || !LOOPBACK.has(parsed.hostname)) return null;
  if (
    parsed.username ||
    parsed.password ||
    (parsed.pathname && parsed.pathname !== '/' && parsed.pathname !== '/0')
  )
    return null;
  return Number(parsed.port || 6379);
}

/** The first executable `name` on `path`, or null. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * `npm start` on a machine without Redis: when nothing answers at REDIS_URL and the rules above allow it,
 * starts `redis-server` from the PATH on that port with its data in DATA_DIR/redis (append-only file, so
 * queued jobs outlive a restart) and says so in one line; without one on the PATH, start-up stops with a
 * line saying how to get one (connectRedis's). Null when a Redis answered or we may not start one.
 */
export async function startRedisIfMissing(
  config: AppConfig,
  env: Record<string, string | undefined>,
): Promise<LocalRedis | null> {
  const port = autostartPort(config.redisAutostart, Boolean(env.REDIS_URL?.trim()), config.redisUrl);
  if (port === null || (await answers(config.redisUrl))) return null;
  const binary = findOnPath('redis-server', env.PATH);
  if (!binary) return null; // connectRedis then stops start-up, saying how to get one
  const dataDir = resolve(config.dataDir, 'redis');
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    binary,
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir],
      ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      ...['--daemonize', 'no', '--logfile', join(dataDir, 'redis.log'), '--loglevel', 'warning'],
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.once('error', () => undefined); // a spawn failure shows as the Redis that never answers below
  if (!(await answersWithin(config.redisUrl, 5000, child))) {
    child.kill('SIGKILL');
    throw new Error(
      `started ${binary} on port ${port}, but it did not answer (see ${join(dataDir, 'redis.log')})`,
    );
  }
  process.stderr.write(
    `tocsin: no Redis answered at ${config.redisUrl}, so ${binary} was started with its data in ${dataDir}; ` +
      'for production run your own and set REDIS_URL\n',
  );
  return {
    dataDir,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // Redis flushes its append-only file and exits
      await exited;
    },
  };
}

async function answers(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    (await connectRedis(url, timeoutMs)).disconnect();
    return true;
  } catch {
    return false;
  }
}

async function answersWithin(url: string, ms: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await answers(url, 500)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
