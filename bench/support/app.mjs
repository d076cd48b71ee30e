// Runs the BUILT app (`npm run build` → dist/) as the benchmarks measure it: the API and a worker as
// processes of their own on PostgreSQL (the production shape), or both in one process on PGlite (the
// embedded default). Each run gets a fresh database and its own queue prefix, and removes both after.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import pg from 'pg';
import { fetch } from 'undici';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const dist = (path) => {
  const file = join(ROOT, 'dist', path);
  if (!existsSync(file))
    throw new Error(`${file} is missing: run \`npm run build\` first (npm run bench does)`);
  return require(file);
};

export const ADMIN_KEY = 'tk_bench-admin-key-0000000000000000000000';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MAIN = {
  tocsin: 'apps/tocsin/src/main.js',
  api: 'apps/api/src/main.js',
  worker: 'apps/worker/src/main.js',
};

export const redisConnection = () => {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
};

export async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function withAdmin(work) {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A migrated, empty database to seed: `query(text, params)` answers rows on either driver. */
async function openSeedDatabase(driver, { databaseUrl, dataDir }) {
  const { openDatabase, pgliteDirIn } = dist('libs/database/src/database.js');
  if (driver === 'postgres') {
    await (await openDatabase({ databaseUrl })).close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return {
      query: async (text, params) => (await client.query(text, params)).rows,
      close: () => client.end(),
    };
  }
  const dir = pgliteDirIn(dataDir);
  await (await openDatabase({ pgliteDir: dir })).close();
  const client = await PGlite.create(dir);
  return {
    query: async (text, params) => (await client.query(text, params)).rows,
    close: () => client.close(),
  };
}

/**
 * The Node flags `npm start` / `start:api` / `start:worker` give a face (the worker's heap limits), so that
 * the benchmarks run each process as it runs in production.
 */
function nodeFlagsOf(face) {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const script = scripts[face === 'tocsin' ? 'start' : `start:${face}`] ?? '';
  const flags = /^node\s+(.*?)\s*dist\//.exec(script)?.[1];
  return flags ? flags.split(/\s+/) : [];
}

/** One built process, its output kept for the error message should it die. */
function launch(face, env, execArgv) {
  const child = spawn(process.execPath, [...nodeFlagsOf(face), ...execArgv, join(ROOT, 'dist', MAIN[face])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    face,
    pid: child.pid,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function until(what, check, processes, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = processes.find((p) => p.exitedCode !== undefined);
    if (dead) throw new Error(`${dead.face} exited (${dead.exitedCode}) before ${what}:\n${dead.output()}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(
        `not ${what} within ${timeoutMs / 1000} s:\n${processes.map((p) => p.output()).join('\n')}`,
      );
    await sleep(100);
  }
}

/** The `close()` of every Tocsin still running, for `stopAll()`. */
const running = new Set();

/** Stops every Tocsin this process started and removes its data: for an interrupted run. */
export async function stopAll() {
  await Promise.allSettled([...running].map((close) => close()));
}

/**
 * Starts Tocsin on a fresh database seeded by `seed(query)`: on PostgreSQL the API and a worker apart, on
 * PGlite both in one process. Returns the API's port, the process that delivers, SQL access (PostgreSQL
 * only: PGlite belongs to the running process) and `close()`, which stops everything and drops the data.
 */
export async function startTocsin({ driver = 'postgres', seed, env = {}, execArgv = [], faces } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-bench-'));
  const prefix = `tocsin-bench-${process.pid}-${randomBytes(3).toString('hex')}`;
  let databaseUrl;
  if (driver === 'postgres') {
    const name = `tocsin_bench_${randomBytes(6).toString('hex')}`;
    await withAdmin((admin) => admin.query(`create database ${name}`));
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const processes = [];
  let sqlClient = null;
  const close = async () => {
    running.delete(close);
    await Promise.all(processes.map((p) => p.stop()));
    await sqlClient?.end().catch(() => undefined);
    if (databaseUrl) {
      const name = new URL(databaseUrl).pathname.slice(1);
      await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
    }
    rmSync(dataDir, { recursive: true, force: true });
    await deleteQueueKeys(prefix);
  };
  running.add(close);
  try {
    const seedDb = await openSeedDatabase(driver, { databaseUrl, dataDir });
    try {
      if (seed) await seed(seedDb.query, driver);
    } finally {
      await seedDb.close();
    }
    const port = await freePort();
    const base = {
      DATA_DIR: dataDir,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    };
    const shape = faces ?? (driver === 'postgres' ? ['api', 'worker'] : ['tocsin']);
    for (const face of shape) {
      const started = launch(face, base, execArgv);
      started.exited.then((code) => (started.exitedCode = code));
      processes.push(started);
    }
    if (shape.includes('api') || shape.includes('tocsin'))
      await until('ready', () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok), processes);
    if (shape.includes('worker') || shape.includes('tocsin')) await untilWorkersListen(prefix, processes);
    if (databaseUrl) {
      sqlClient = new pg.Client({ connectionString: databaseUrl });
      await sqlClient.connect();
    }
    // Our PostgreSQL backends, so that their CPU counts as ours (see machine.mjs).
    const backendPids = async () =>
      sqlClient
        ? (
            await sqlClient.query('select pid from pg_stat_activity where datname = current_database()')
          ).rows.map((r) => r.pid)
        : [];
    const deliverer = processes.find((p) => p.face === 'worker' || p.face === 'tocsin') ?? null;
    return {
      port,
      url: `http://127.0.0.1:${port}`,
      prefix,
      driver,
      delivererPid: deliverer?.pid ?? null,
      /** The app's processes by face (`api`, `worker`, `tocsin`) and its database backends: see machine.mjs. */
      cpuGroups: {
        ...Object.fromEntries(processes.map((p) => [p.face, () => [p.pid]])),
        database: backendPids,
      },
      query: async (text, params) => {
        if (!sqlClient) throw new Error('SQL access while running is for PostgreSQL only');
        return (await sqlClient.query(text, params)).rows;
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** A worker is ready when a BullMQ worker listens on every queue of the job table. */
async function untilWorkersListen(prefix, processes) {
  const { QUEUE } = dist('libs/queue/src/jobs.js');
  const queues = Object.values(QUEUE).map(
    (name) => new Queue(name, { connection: redisConnection(), prefix }),
  );
  try {
    await until(
      'listening on its queues',
      async () => (await Promise.all(queues.map((q) => q.getWorkersCount()))).every((n) => n > 0),
      processes,
    );
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

/** Removes every Redis key under a benchmark's queue prefix. */
export async function deleteQueueKeys(prefix) {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Publishes a declaration through the API; answers its id. */
export async function declare(baseUrl, declaration) {
  const response = await fetch(`${baseUrl}/v1/declarations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(declaration),
  });
  const body = await response.json();
  if (response.status !== 201)
    throw new Error(`declaring failed: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** The first delivery with `status`, through the delivery log API, or null when there is none. */
async function anyDelivery(baseUrl, status) {
  const response = await fetch(`${baseUrl}/v1/deliveries?status=${status}&limit=1`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  if (!response.ok) throw new Error(`GET /v1/deliveries answered ${response.status}`);
  const { items } = await response.json();
  return items[0] ?? null;
}

/**
 * Waits until no delivery is pending any more (every outcome written back), then checks that none failed
 * or was skipped. Answers when that was, or throws.
 */
export async function untilAllRecorded(baseUrl, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (await anyDelivery(baseUrl, 'pending')) {
    if (Date.now() > deadline) throw new Error(`deliveries still pending after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
  const at = Date.now();
  for (const status of ['failed', 'skipped']) {
    const found = await anyDelivery(baseUrl, status);
    if (found) throw new Error(`a delivery was ${status}: ${JSON.stringify(found)}`);
  }
  return at;
}

/** Peak and current resident memory of a process, in MB, from /proc (Linux). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** A declaration every benchmark subscriber (areas `{KZ}`) hears about. */
export const almatyDeclaration = (level = 'red') => ({
  scheme: 'kz-terror',
  level,
  areas: ['KZ-75'],
  headline: 'Critical terrorism threat level in Almaty',
  summary: 'Information about a terrorist attack has been confirmed; repeat attacks are possible.',
  measures: ['Avoid crowded places', 'Carry identity documents', 'Follow the instructions of the police'],
  authority: 'Anti-Terrorist Centre of the Republic of Kazakhstan',
});

/**
 * The size of the unmeasured run each side of a throughput benchmark makes first, as a share of the measured
 * one: a service that has been running is warm, and so is a client that has sent before.
 */
export const WARM_UP_SHARE = 0.1;

/** The country of the warm-up fan-out's subscribers, reached by `advisoryDeclaration`. */
export const WARM_UP_COUNTRY = 'IT';

/** A level-2 travel advisory for one country: the fan-out of every endpoint subscribed to it. */
export const advisoryDeclaration = (country) => ({
  scheme: 'travel-advisory',
  level: '2',
  areas: [country],
  headline: `Exercise increased caution in ${country}`,
  summary: 'A benchmark advisory.',
  authority: 'Tocsin benchmark',
});

export { dist };

/** Samples a process's resident memory every `everyMs` until `stop()`, which answers the peaks in MB. */
export function sampleMemory(pid, everyMs = 100) {
  let peakRssMb = 0;
  let last = null;
  const sample = () => {
    const now = memoryOf(pid);
    if (!now) return;
    last = now;
    peakRssMb = Math.max(peakRssMb, now.rssMb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { sampledPeakRssMb: Math.round(peakRssMb), vmHwmMb: last ? Math.round(last.peakRssMb) : null };
    },
  };
}
