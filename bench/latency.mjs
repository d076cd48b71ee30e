// Latency: one webhook subscriber, declarations one after another (each waits for the previous receipt);
// p50/p99 from `POST /v1/declarations` to receipt. Beside it, the ceiling measured in the same run: one
// BullMQ add → process hop plus one undici POST to the same receiver.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Agent } from 'undici';
import { almatyDeclaration, declare, deleteQueueKeys, redisConnection, startTocsin } from './support/app.mjs';
import { signedPost } from './support/ceilings.mjs';
import { startPeer } from './support/peer.mjs';
import { nowMs, ratio, round, summarise } from './support/stats.mjs';
import { phasesOf } from './support/trace-phases.mjs';
import { seedEndpoints } from './webhook-fanout.mjs';

export const name = 'latency';
export const sizes = { tiny: 10, quick: 200, full: 200 };
/** Rounds run first on each side and left out, so that neither pays for warming up. */
const WARM_UP = 3;
const LEVELS = ['yellow', 'orange', 'red'];

const RECEIVER = fileURLToPath(new URL('./support/webhook-receiver.mjs', import.meta.url));
const TRACE_HOOK = fileURLToPath(new URL('./support/trace-hook.cjs', import.meta.url));
/** The trace's clock, the one trace-hook.cjs stamps with in every process. */
const wallMs = () => performance.timeOrigin + performance.now();

/**
 * Runs `once()` `rounds` times one after another; each answers when its webhook left; times to receipt.
 * `marks`, if given, gets each round's start and receipt in the trace's clock.
 */
async function timeRounds(receiver, rounds, once, marks = null) {
  const durations = [];
  await receiver.call('reset');
  for (let i = 0; i < WARM_UP + rounds; i++) {
    const t0 = nowMs();
    const wallT0 = wallMs();
    await once(i);
    const seen = await receiver.call('collect', { expected: i + 1, t0, timeoutMs: 30_000 });
    if (!seen.complete) throw new Error(`round ${i}: no webhook within 30 s`);
    if (i >= WARM_UP) durations.push(seen.lastAt - t0);
    marks?.push({ t0: wallT0, receivedAt: wallT0 + (seen.lastAt - t0) });
  }
  return summarise(durations);
}

/**
 * With `trace` (`node bench/run.mjs --only=latency --trace`), the app's processes stamp their queries and
 * commands (support/trace-hook.cjs) and the result says where the time went (support/trace-phases.mjs);
 * the stamps slow the app, so such a run is not saved.
 */
export async function run({ n, execArgv = [], trace = false }) {
  const receiver = await startPeer(RECEIVER);
  const receiverUrl = `http://127.0.0.1:${receiver.port}`;
  const traceDir = trace ? mkdtempSync(join(tmpdir(), 'tocsin-trace-')) : null;
  const traceFile = traceDir && join(traceDir, 'trace.jsonl');
  const marks = trace ? [] : null;
  let app = null;
  try {
    app = await startTocsin({
      driver: 'postgres',
      seed: seedEndpoints(receiverUrl, 1),
      execArgv: trace ? [...execArgv, '--require', TRACE_HOOK] : execArgv,
      env: trace ? { TOCSIN_TRACE_FILE: traceFile } : {},
    });
    const tocsin = await timeRounds(
      receiver,
      n,
      (i) => declare(app.url, almatyDeclaration(LEVELS[i % LEVELS.length])),
      marks,
    );
    await app.close();
    app = null;
    const traced = trace ? phasesOf(traceFile, marks, WARM_UP) : null;

    const prefix = `tocsin-bench-hop-${process.pid}`;
    const connection = redisConnection();
    const queue = new Queue('hop', { connection, prefix });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    const worker = new Worker('hop', () => signedPost(agent, receiverUrl, 1, '{"hello":"world"}'), {
      connection,
      prefix,
      concurrency: 1,
    });
    await worker.waitUntilReady();
    let ceiling;
    try {
      ceiling = await timeRounds(receiver, n, (i) =>
        queue.add('hop', { i }, { removeOnComplete: true, removeOnFail: true }),
      );
    } finally {
      await worker.close();
      await queue.close();
      await agent.close();
      await deleteQueueKeys(prefix);
    }
    return {
      database: 'postgres',
      sizes: { declarations: n, warmUp: WARM_UP },
      p50Ms: tocsin.p50Ms,
      p99Ms: tocsin.p99Ms,
      maxMs: tocsin.maxMs,
      ceiling: { what: 'one BullMQ add→process hop + one undici POST', ...ceiling },
      p50OverCeiling: ratio(tocsin.p50Ms, ceiling.p50Ms),
      p50MinusCeilingMs: round(tocsin.p50Ms - ceiling.p50Ms),
      ...(traced ? { traced } : {}),
    };
  } finally {
    await app?.close();
    await receiver.stop();
    if (traceDir) rmSync(traceDir, { recursive: true, force: true });
  }
}
