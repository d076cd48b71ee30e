import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPostgresDatabase, dropPostgresDatabase } from '@tocsin/database/testing';
import { eventually } from './support/eventually';

// These start the built processes exactly as `npm start`, `start:api` and `start:worker` do.
const DIST = resolve(__dirname, '..', 'dist', 'apps');
const MAIN = {
  tocsin: join(DIST, 'tocsin/src/main.js'),
  api: join(DIST, 'api/src/main.js'),
  worker: join(DIST, 'worker/src/main.js'),
};

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

function run(entry: string, env: Record<string, string>): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exit = new Promise<Exit>((done) => child.on('exit', (code) => done({ code, stderr, stdout })));
  return { child, exit };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Whether something answers a Redis PING on the port. */
async function redisAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => (socket.destroy(), done(data.toString().startsWith('+PONG'))));
    socket.once('error', () => done(false));
  });
}

async function waitReady(port: number): Promise<void> {
  await eventually(
    () =>
      fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ),
    (ready) => ready,
    { timeoutMs: 30_000, intervalMs: 200, what: `readiness on port ${port}` },
  );
}

describe('starting the processes', () => {
  let dataDir: string;

  beforeAll(() => {
    if (!existsSync(MAIN.tocsin))
      throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
    dataDir = mkdtempSync(join(tmpdir(), 'tocsin-start-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['PORT', 'abc', /^tocsin: cannot start: Invalid configuration: PORT /],
    [
      'DATABASE_URL',
      'mysql://127.0.0.1/test',
      /^tocsin: cannot start: Invalid configuration: DATABASE_URL must be a URL starting with postgres:/,
    ],
    [
      'DATABASE_URL',
      'postgres://127.0.0.1:1/test',
      /^tocsin: cannot start: cannot open the database at postgres:\/\/127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
    ],
    [
      'REDIS_URL',
      'redis://127.0.0.1:1',
      /^tocsin: cannot start: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    ],
    [
      'WEBHOOK_RETRY_SCHEDULE',
      '5,soon',
      /^tocsin: cannot start: Invalid configuration: WEBHOOK_RETRY_SCHEDULE /,
    ],
  ])('stops on a bad %s=%s with one line saying why', async (key, value, reason) => {
    const { exit } = run(MAIN.tocsin, { DATA_DIR: dataDir, [key]: value });
    const { code, stderr } = await exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(reason);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('runs on the embedded defaults, serves until SIGTERM, then exits cleanly', async () => {
    const port = await freePort();
    const { child, exit } = run(MAIN.tocsin, { DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port);
    const levels = await fetch(`http://127.0.0.1:${port}/v1/levels`).then((r) => r.json());
    expect(levels).toEqual({ items: [], nextCursor: null });
    // With no ADMIN_API_KEY and no admin yet, the first admin key is in a file only this user can read.
    const keyFile = join(dataDir, 'admin-api-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    const keys = await fetch(`http://127.0.0.1:${port}/v1/api-keys`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(keys.status).toBe(200);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });

  it('says in one line how to get a Redis when none answers and there is no redis-server to start', async () => {
    const port = await freePort();
    // An empty PATH: no redis-server to start (node itself is started by its full path).
    const { exit } = run(MAIN.tocsin, {
      DATA_DIR: dataDir,
      PATH: mkdtempSync(join(tmpdir(), 'tocsin-empty-path-')),
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_AUTOSTART: 'true',
    });
    const { code, stderr } = await exit;
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^tocsin: cannot start: cannot reach Redis at .*ECONNREFUSED[^;]*; start one \(`apt install redis-server`/,
    );
    expect(stderr).toContain('point REDIS_URL at yours');
  });

  it('starts a redis-server of its own with its data in DATA_DIR, logs lines for people, and stops it on SIGTERM', async () => {
    const ownDataDir = mkdtempSync(join(tmpdir(), 'tocsin-redis-'));
    try {
      const [port, redisPort] = [await freePort(), await freePort()];
      const { child, exit } = run(MAIN.tocsin, {
        DATA_DIR: ownDataDir,
        PORT: String(port),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        REDIS_AUTOSTART: 'true',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'pretty',
      });
      await waitReady(port);
      expect(existsSync(join(ownDataDir, 'redis', 'redis.log'))).toBe(true);
      // Appended to disk, so queued jobs outlive a restart.
      expect(existsSync(join(ownDataDir, 'redis', 'appendonlydir'))).toBe(true);
      child.kill('SIGTERM');
      const { code, stderr, stdout } = await exit;
      expect(code).toBe(0);
      expect(stderr).toContain(`no Redis answered at redis://127.0.0.1:${redisPort}, so `);
      expect(stderr).toContain(`with its data in ${join(ownDataDir, 'redis')}`);
      const lines = stdout.trimEnd().split('\n');
      expect(lines.some((line) => / INFO.*: /.test(line))).toBe(true);
      expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
      // Our Redis went with us.
      await expect(redisAnswers(redisPort)).resolves.toBe(false);
    } finally {
      rmSync(ownDataDir, { recursive: true, force: true });
    }
  });

  it('runs the API and a worker apart against one PostgreSQL', async () => {
    const databaseUrl = await createPostgresDatabase();
    try {
      const port = await freePort();
      // One DATA_DIR for both, as one volume would be: they share the key file that seals secrets at rest.
      const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(port) };
      const metricsPort = await freePort();
      const api = run(MAIN.api, env);
      const worker = run(MAIN.worker, { ...env, WORKER_METRICS_PORT: String(metricsPort) });
      await waitReady(port);
      expect(worker.child.exitCode).toBeNull();
      const scraped = await eventually(
        () =>
          fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
            (r) => r.text(),
            () => '',
          ),
        (text) => text.includes('tocsin_queue_jobs'),
        { timeoutMs: 10_000, intervalMs: 200, what: "the worker's metrics" },
      );
      expect(scraped).toContain('tocsin_queue_jobs{queue="fanout"');
      api.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      expect((await api.exit).code).toBe(0);
      expect((await worker.exit).code).toBe(0);
    } finally {
      await dropPostgresDatabase(databaseUrl);
    }
  });

  it.each([
    ['API', MAIN.api],
    ['worker', MAIN.worker],
  ])('refuses to start the %s apart without DATABASE_URL, in one line', async (face, entry) => {
    const { code, stderr } = await run(entry, { DATA_DIR: dataDir }).exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^tocsin: cannot start: DATABASE_URL must be set to run the ${face} apart: the embedded database`,
      ),
    );
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  describe('on an embedded database folder of their own', () => {
    const ADMIN_API_KEY = 'tk_startup-admin-key-00000000000000000000';
    const auth = { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' };
    let folder: string;
    const processes: ChildProcess[] = [];

    beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'tocsin-folder-'))));
    afterEach(() => {
      for (const child of processes.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    });

    const startOn = async (env: Record<string, string> = {}) => {
      const port = await freePort();
      const started = run(MAIN.tocsin, { DATA_DIR: folder, PORT: String(port), ADMIN_API_KEY, ...env });
      processes.push(started.child);
      return { ...started, port, base: `http://127.0.0.1:${port}` };
    };
    const addKey = (base: string, name: string) =>
      fetch(`${base}/v1/api-keys`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name, role: 'viewer' }),
      });
    const keyNames = async (base: string) => {
      const listed = (await (await fetch(`${base}/v1/api-keys?limit=100`, { headers: auth })).json()) as {
        items: { name: string; role: string }[];
      };
      return listed.items
        .filter((key) => key.role === 'viewer')
        .map((key) => key.name)
        .sort();
    };

    it('stops a second process on the same DATA_DIR with one line naming it; the first keeps its data', async () => {
      const first = await startOn();
      await waitReady(first.port);
      expect((await addKey(first.base, 'before')).status).toBe(201);

      const second = await startOn();
      const { code, stderr } = await second.exit;
      expect(code).toBe(1);
      expect(stderr).toBe(
        `tocsin: cannot start: DATA_DIR ${folder} is in use by another process (pid ${first.child.pid} on ` +
          `${hostname()}): one process per embedded database; stop that one, or set DATABASE_URL to run several\n`,
      );

      expect((await addKey(first.base, 'after')).status).toBe(201);
      expect(await keyNames(first.base)).toEqual(['after', 'before']);
      first.child.kill('SIGTERM');
      expect((await first.exit).code).toBe(0);
      const again = await startOn();
      await waitReady(again.port);
      expect(await keyNames(again.base)).toEqual(['after', 'before']);
      again.child.kill('SIGTERM');
      expect((await again.exit).code).toBe(0);
    });

    it('is not blocked by the lock of a process that was killed (kill -9)', async () => {
      const killed = await startOn();
      await waitReady(killed.port);
      expect((await addKey(killed.base, 'written before the kill')).status).toBe(201);
      killed.child.kill('SIGKILL');
      await killed.exit;
      expect(existsSync(join(folder, 'pglite.lock'))).toBe(true);

      const next = await startOn();
      await waitReady(next.port);
      expect(await keyNames(next.base)).toEqual(['written before the kill']);
      next.child.kill('SIGTERM');
      expect((await next.exit).code).toBe(0);
    });

    it('stops with one line when SECRETS_KEY is not the key that sealed the stored secrets', async () => {
      const key = () => randomBytes(32).toString('base64');
      const sealing = await startOn({ SECRETS_KEY: key(), WEBHOOK_ALLOW_PRIVATE: 'true' });
      await waitReady(sealing.port);
      const created = await fetch(`${sealing.base}/v1/webhooks`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', areas: ['KZ'] }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      sealing.child.kill('SIGTERM');
      expect((await sealing.exit).code).toBe(0);

      const { code, stderr } = await (await startOn({ SECRETS_KEY: key() })).exit;
      expect(code).toBe(1);
      expect(stderr).toBe(
        `tocsin: cannot start: the stored secret of ${id} does not open with SECRETS_KEY: it was sealed ` +
          'with another key, or altered\n',
      );
    });

    it('stops with one line on a key file in DATA_DIR that others may read', async () => {
      writeFileSync(join(folder, 'secrets.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o644 });
      chmodSync(join(folder, 'secrets.key'), 0o644);
      const { code, stderr } = await (await startOn()).exit;
      expect(code).toBe(1);
      expect(stderr).toBe(
        `tocsin: cannot start: ${join(folder, 'secrets.key')} may be read by other users (mode 0644); ` +
          'make it 0600 (chmod 600)\n',
      );
    });
  });

  it('keeps email addresses and secrets out of its logs, even at trace level', async () => {
    const port = await freePort();
    const logDir = mkdtempSync(join(tmpdir(), 'tocsin-logs-'));
    const { child, exit } = run(MAIN.tocsin, { DATA_DIR: logDir, PORT: String(port), LOG_LEVEL: 'trace' });
    try {
      await waitReady(port);
      const key = readFileSync(join(logDir, 'admin-api-key'), 'utf8').trim();
      const base = `http://127.0.0.1:${port}/v1/email-subscriptions`;
      const json = { 'content-type': 'application/json' };
      await fetch(base, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'private.person@ngo.example', areas: ['KZ'] }),
      });
      const response = await fetch(`${base}?q=private`, { headers: { authorization: `Bearer ${key}` } });
      const listed = (await response.json()) as { items: { id: string }[] };
      const erased = await fetch(`${base}/${listed.items[0].id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(erased.status).toBe(204);
      await fetch(`${base}/confirm?token=sub_01a21e24-acf7-7a41-be65-786f48f19c67.${'x'.repeat(43)}`);
    } finally {
      child.kill('SIGTERM');
    }
    const { stdout, stderr } = await exit;
    rmSync(logDir, { recursive: true, force: true });
    expect(stdout).toContain('request completed');
    expect(stdout + stderr).not.toContain('private.person');
    expect(stdout + stderr).not.toContain('x'.repeat(43));
    expect(stdout + stderr).not.toMatch(/tk_[A-Za-z0-9_-]{40}/);
  });
});
