import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The benchmarks run once at a tiny size so that they never rot. Figures are not checked: a benchmark is
// not a timed test, and a slow machine must not fail the build. Only that each printed its line.
const ROOT = resolve(__dirname, '..');

type Line = Record<string, unknown> & { name: string };

function runTiny(...args: string[]): Promise<{ code: number | null; lines: Line[]; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bench/run.mjs'), '--size=tiny', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      BENCH_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      BENCH_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) =>
    child.on('exit', (code) =>
      done({
        code,
        stderr,
        lines: stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Line),
      }),
    ),
  );
}

const number = expect.any(Number);
const machine = { node: process.version, cpus: number, busyBeforePercent: number };

describe('benchmarks at a tiny size', () => {
  let run: Awaited<ReturnType<typeof runTiny>>;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js')))
      throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
    run = await runTiny();
  }, 180_000);

  it('runs every benchmark without failing', () => {
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
  });

  it.each(['postgres', 'pglite'])('prints the webhook fan-out on %s beside its ceilings', (database) => {
    expect(run.lines.find((l) => l.name === 'webhook-fanout' && l.database === database)).toMatchObject({
      size: 'tiny',
      sizes: { endpoints: number },
      deliveriesPerSecond: number,
      ceilingPerSecond: number,
      ratio: number,
      receipt: { p50Ms: number, p99Ms: number },
      bullmq: { noopJobsPerSecond: number, onePostJobsPerSecond: number },
      ceiling: {
        concurrency: expect.any(Number),
        sweep: [50, 100, 200, 400, 800].map((concurrency) => ({ concurrency, perSecond: number })),
      },
      duplicates: 0,
      signatures: { verified: expect.any(Number), failed: 0 },
      machine,
    });
  });

  it('judges the webhook fan-out against the best of the ceiling sweep', () => {
    for (const line of run.lines.filter((l) => l.name === 'webhook-fanout')) {
      const { sweep } = line.ceiling as { sweep: { perSecond: number }[] };
      const best = Math.max(...sweep.map((s) => s.perSecond));
      expect(line.ceilingPerSecond).toBe(best);
    }
  });

  it('prints the fan-out cost per delivery at three sizes side by side', () => {
    const line = run.lines.find((l) => l.name === 'cost-growth');
    expect(line).toMatchObject({ sizes: { endpoints: [3, 30, 300] }, growth: number, target: 1.2, machine });
    const runs = (
      line as unknown as { runs: { endpoints: number; fanOutCpuUsPerDelivery: number; duplicates: number }[] }
    ).runs;
    expect(runs.map((r) => r.endpoints)).toEqual([3, 30, 300]);
    for (const r of runs) expect(r).toMatchObject({ fanOutCpuUsPerDelivery: number, duplicates: 0 });
  });

  it('prints the email fan-out beside a pooled nodemailer transport', () => {
    expect(run.lines.find((l) => l.name === 'email-fanout')).toMatchObject({
      sizes: { subscribers: number },
      emailsPerSecond: number,
      ceilingPerSecond: number,
      ratio: number,
      duplicates: 0,
      machine,
    });
  });

  it('prints the SMS fan-out beside a plain smpp client on one bind, at its best window', () => {
    expect(run.lines.find((l) => l.name === 'sms-fanout')).toMatchObject({
      sizes: { subscribers: number },
      deliveriesPerSecond: number,
      ceilingPerSecond: number,
      ratio: number,
      ceiling: {
        window: number,
        sweep: [1, 5, 10, 25, 50, 100, 200, 400].map((window) => expect.objectContaining({ window })),
      },
      duplicates: 0,
      machine,
    });
  });

  it('prints the latency beside one queue hop and POST', () => {
    expect(run.lines.find((l) => l.name === 'latency')).toMatchObject({
      sizes: { declarations: number },
      p50Ms: number,
      p99Ms: number,
      ceiling: { p50Ms: number, p99Ms: number },
      machine,
    });
  });

  it('prints the read API beside a bare Fastify route', () => {
    expect(run.lines.find((l) => l.name === 'read-api')).toMatchObject({
      sizes: { activeAreas: 250 },
      requestsPerSecond: number,
      p99Ms: number,
      ceilingRequestsPerSecond: number,
      ratio: number,
      machine,
    });
  });

  it("prints the worker's peak memory", () => {
    expect(run.lines.find((l) => l.name === 'memory')).toMatchObject({
      sizes: { subscriptions: number },
      workerPeakRssMb: number,
      limitMb: 300,
      machine,
    });
  });
});

describe('the latency benchmark traced', () => {
  it('says where an alert spent its time, phase by phase, every phase found', async () => {
    const run = await runTiny('--only=latency', '--trace');
    expect(run.code).toBe(0);
    const { medianMsFromPost: phases, queriesAndCommandsPerRound } = (
      run.lines.find((l) => l.name === 'latency') as unknown as {
        traced: { medianMsFromPost: Record<string, number | null>; queriesAndCommandsPerRound: object };
      }
    ).traced;
    // A phase is found by its statement's text: a renamed statement shows here as null.
    const chain = [
      'request received',
      'transaction begun',
      'committed',
      'first pages sent',
      'first pages answered',
      'received',
    ];
    expect(Object.keys(phases)).toEqual([...chain, 'POST answered']);
    for (const name of Object.keys(phases)) expect([name, phases[name]]).toEqual([name, number]);
    const offsets = chain.map((name) => phases[name]!);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(queriesAndCommandsPerRound).toEqual({ api: number, worker: number });
  }, 120_000);
});
