// Runs the benchmarks against the BUILT app (dist/; `npm run bench` builds it first) and prints one JSON
// line per benchmark run. Benchmarks, not timed tests: nothing fails on a slow machine, only on a broken
// benchmark.
//
//   node bench/run.mjs                 quick sizes (a few minutes on 2 cores), results appended to bench/results/
//   node bench/run.mjs --full          full sizes, including the million-subscription memory run
//   node bench/run.mjs --size=tiny     every benchmark once at a tiny size (CI), nothing appended
//   node bench/run.mjs --size=5000     one number for the main size of each benchmark
//   node bench/run.mjs --only=webhook-fanout,latency --db=postgres
//   node bench/run.mjs --cpu-prof      the app's processes write .cpuprofile files (path printed)
//   node bench/run.mjs --only=latency --trace   where an alert's time goes, phase by phase (not saved)
//   node bench/run.mjs --wait-quiet    before each benchmark, wait (up to 10 min) for the CPUs to be idle
//   node bench/run.mjs --table         the README table from the latest saved results
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';
import * as costGrowth from './cost-growth.mjs';
import * as emailFanOut from './email-fanout.mjs';
import * as latency from './latency.mjs';
import * as memory from './memory.mjs';
import * as readApi from './read-api.mjs';
import * as smsFanOut from './sms-fanout.mjs';
import { stopAll } from './support/app.mjs';
import * as webhookFanOut from './webhook-fanout.mjs';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const BENCHMARKS = [webhookFanOut, costGrowth, emailFanOut, smsFanOut, latency, readApi, memory];
const DRIVERS = ['postgres', 'pglite'];

function parseArgs(argv) {
  const options = {
    size: 'quick',
    only: null,
    dbs: DRIVERS,
    save: null,
    cpuProf: false,
    table: false,
    waitQuiet: false,
    trace: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'full') options.size = 'full';
    else if (key === 'quick') options.size = 'quick';
    else if (key === 'size') options.size = /^\d+$/.test(value) ? Number(value) : value;
    else if (key === 'only') options.only = value.split(',');
    else if (key === 'db') options.dbs = value.split(',');
    else if (key === 'save') options.save = true;
    else if (key === 'no-save') options.save = false;
    else if (key === 'cpu-prof') options.cpuProf = true;
    else if (key === 'table') options.table = true;
    else if (key === 'wait-quiet') options.waitQuiet = true;
    else if (key === 'trace') options.trace = true;
    else throw new Error(`unknown option ${arg} (see the top of bench/run.mjs)`);
  }
  if (typeof options.size === 'string' && !['tiny', 'quick', 'full'].includes(options.size))
    throw new Error(`--size is tiny, quick, full or a number, not ${options.size}`);
  const unknown = (options.only ?? []).filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length) throw new Error(`no benchmark ${unknown.join(', ')}: ${BENCHMARKS.map((b) => b.name)}`);
  // Tiny runs are checks that the benchmarks still work, not measurements worth keeping; traced runs are
  // slowed by their stamps.
  options.save ??= options.size !== 'tiny' && !options.trace;
  return options;
}

/** Share of the CPUs busy over `ms` before a benchmark starts: other work on the machine skews figures. */
async function busyPercent(ms = 1000) {
  const read = () =>
    os.cpus().reduce(
      (sum, cpu) => {
        const total = Object.values(cpu.times).reduce((a, b) => a + b, 0);
        return { total: sum.total + total, idle: sum.idle + cpu.times.idle };
      },
      { total: 0, idle: 0 },
    );
  const before = read();
  await sleep(ms);
  const after = read();
  const total = after.total - before.total;
  return total ? Math.round(100 * (1 - (after.idle - before.idle) / total)) : null;
}

function commit() {
  try {
    return (
      process.env.BENCH_COMMIT ??
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim()
    );
  } catch {
    return null;
  }
}

function machine() {
  const cpus = os.cpus();
  return { node: process.version, cpus: cpus.length, cpuModel: cpus[0]?.model ?? null, commit: commit() };
}

/** The runs one invocation makes: a benchmark at a size, the webhook fan-out once per database. */
function plan(options) {
  const runs = [];
  for (const benchmark of BENCHMARKS) {
    if (options.only && !options.only.includes(benchmark.name)) continue;
    const n = typeof options.size === 'number' ? options.size : benchmark.sizes[options.size];
    if (n === null || n === undefined) continue; // e.g. the million-subscription run is full only
    const dbs = benchmark === webhookFanOut ? options.dbs : [undefined];
    for (const driver of dbs) runs.push({ benchmark, n, driver });
  }
  return runs;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  // Interrupted, it still stops the app's processes and drops its databases and queue keys.
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}, cleaning up\n`);
      stopAll().finally(() => process.exit(130));
    });
  if (options.table) return printTable();
  const execArgv = [];
  if (options.cpuProf) {
    const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-cpu-prof-'));
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    process.stderr.write(`bench: CPU profiles of the app's processes go to ${dir}\n`);
  }
  const sizeLabel = typeof options.size === 'number' ? 'custom' : options.size;
  let failed = 0;
  for (const { benchmark, n, driver } of plan(options)) {
    const label = `${benchmark.name}${driver ? ` (${driver})` : ''} at ${n}`;
    let busyBeforePercent = await busyPercent(options.size === 'tiny' ? 200 : 1000);
    const deadline = Date.now() + 600_000;
    while (options.waitQuiet && busyBeforePercent > 10 && Date.now() < deadline) {
      process.stderr.write(
        `bench: the CPUs are ${busyBeforePercent}% busy; waiting for quiet before ${label}\n`,
      );
      await sleep(5000);
      busyBeforePercent = await busyPercent(3000);
    }
    if (busyBeforePercent > 20)
      process.stderr.write(
        `bench: the CPUs were ${busyBeforePercent}% busy before ${label}; figures will suffer\n`,
      );
    process.stderr.write(`bench: ${label} …\n`);
    const started = Date.now();
    try {
      const result = await benchmark.run({ n, driver, execArgv, trace: options.trace });
      const line = {
        name: benchmark.name,
        date: new Date().toISOString(),
        size: sizeLabel,
        ...result,
        machine: { ...machine(), busyBeforePercent },
        tookSeconds: Math.round((Date.now() - started) / 1000),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      if (options.save) {
        mkdirSync(RESULTS, { recursive: true });
        appendFileSync(join(RESULTS, `${benchmark.name}.jsonl`), `${JSON.stringify(line)}\n`);
      }
    } catch (error) {
      failed++;
      process.stderr.write(`bench: ${label} failed: ${error.stack ?? error}\n`);
    }
  }
  if (failed) process.exitCode = 1;
}

/** A Markdown table of the latest saved result of each benchmark, database and size. */
function printTable() {
  const rows = [];
  for (const benchmark of BENCHMARKS) {
    const file = join(RESULTS, `${benchmark.name}.jsonl`);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const latest = new Map();
    for (const line of lines) latest.set(`${line.size}/${line.database}`, line);
    for (const line of latest.values()) rows.push(describe(line));
  }
  process.stdout.write(
    [
      '| benchmark | size | Tocsin | ceiling, same run | ratio | target |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n') + '\n',
  );
}

const n = (value) => value.toLocaleString('en');
/** Milliseconds as `840 ms` or `4.3 s`. */
const ms = (value) =>
  value === null || value === undefined
    ? '—'
    : value >= 1000
      ? `${(value / 1000).toFixed(1)} s`
      : `${value >= 10 ? Math.round(value) : value} ms`;

function describe(r) {
  const db = r.database === 'pglite' ? ' (PGlite)' : r.database === 'postgres' ? ' (PostgreSQL)' : '';
  switch (r.name) {
    case 'webhook-fanout':
      return [
        `webhook fan-out${db}`,
        `${r.size}: ${n(r.sizes.endpoints)} endpoints`,
        `${n(r.deliveriesPerSecond)}/s; receipt p50 ${ms(r.receipt.p50Ms)}, p99 ${ms(r.receipt.p99Ms)}`,
        `undici at its best ${n(r.ceilingPerSecond)}/s (concurrency ${r.ceiling.concurrency ?? '—'}); BullMQ: no-op ${n(r.bullmq.noopJobsPerSecond)} jobs/s, one POST a job ${n(r.bullmq.onePostJobsPerSecond)}/s`,
        r.ratio,
        r.database === 'postgres' ? `≥ ${r.target}` : 'reported',
      ];
    case 'email-fanout':
      return [
        `email fan-out${db}`,
        `${r.size}: ${n(r.sizes.subscribers)} subscribers`,
        `${n(r.emailsPerSecond)}/s`,
        r.nagleCeilingPerSecond === undefined
          ? `pooled nodemailer ${n(r.ceilingPerSecond)}/s (with TCP_NODELAY ${n(r.noDelayCeilingPerSecond)}/s)`
          : `pooled nodemailer, TCP_NODELAY ${n(r.ceilingPerSecond)}/s (Nagle on ${n(r.nagleCeilingPerSecond)}/s)`,
        r.ratio,
        `≥ ${r.target}`,
      ];
    case 'sms-fanout':
      return [
        `SMS fan-out${db}`,
        `${r.size}: ${n(r.sizes.subscribers)} subscribers, ${r.text.parts} part(s) each`,
        `${n(r.deliveriesPerSecond)}/s (SMPP_WINDOW ${r.smppWindow})`,
        `plain smpp client at its best ${n(r.ceilingPerSecond)}/s (window ${r.ceiling.window})`,
        r.ratio,
        `≥ ${r.target}`,
      ];
    case 'latency':
      return [
        `POST → receipt${db}`,
        `${r.size}: ${n(r.sizes.declarations)} declarations`,
        `p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}`,
        `BullMQ hop + POST: p50 ${ms(r.ceiling.p50Ms)}, p99 ${ms(r.ceiling.p99Ms)}`,
        `+${ms(r.p50MinusCeilingMs)} at p50`,
        '—',
      ];
    case 'read-api':
      return [
        `GET /v1/levels${db}`,
        `${r.size}: ${r.sizes.activeAreas} active areas, ${r.sizes.seconds} s`,
        `${n(r.requestsPerSecond)} req/s, p99 ${ms(r.p99Ms)}`,
        r.serialisedCeiling === undefined
          ? `bare Fastify ${n(r.ceilingRequestsPerSecond)} req/s, p99 ${ms(r.ceiling.p99Ms)}`
          : `bare Fastify sending the same bytes ${n(r.ceilingRequestsPerSecond)} req/s, p99 ${ms(r.ceiling.p99Ms)} (serialising each time ${n(r.serialisedCeiling.requestsPerSecond)} req/s)`,
        r.ratio,
        `≥ ${r.target}`,
      ];
    case 'cost-growth':
      return [
        `fan-out CPU per delivery${db}`,
        `${r.size}: ${r.sizes.endpoints.map(n).join(' / ')} endpoints`,
        r.runs.map((run) => `${n(run.fanOutCpuUsPerDelivery)} µs`).join(' / '),
        '—',
        `×${r.growth} largest/smallest`,
        `≤ ×${r.target}`,
      ];
    case 'memory':
      return [
        `worker peak RSS${db}`,
        `${r.size}: ${n(r.sizes.subscriptions)} subscriptions`,
        `${r.workerPeakRssMb} MB, ${n(r.deliveriesPerSecond)} deliveries/s`,
        '—',
        '—',
        `< ${r.limitMb} MB`,
      ];
    default:
      return [r.name, r.size, '', '', '', ''];
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
