// Latency: one webhook subscriber, declarations one after another (each waits for the previous receipt);
// p50/p99 from `POST /v1/declarations` to receipt. Beside it, the ceiling measured in the same run: one
// BullMQ add → process hop plus one undici POST to the same receiver.
import { fileURLToPath, URL } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Agent } from 'undici';
import { almatyDeclaration, declare, deleteQueueKeys, redisConnection, startTocsin } from './support/app.mjs';
import { signedPost } from './support/ceilings.mjs';
import { startPeer } from './support/peer.mjs';
import { nowMs, ratio, round, summarise } from './support/stats.mjs';
import { seedEndpoints } from './webhook-fanout.mjs';

export const name = 'latency';
export const sizes = { tiny: 10, quick: 200, full: 200 };
/** Rounds run first on each side and left out, so that neither pays for warming up. */
const WARM_UP = 3;
const LEVELS = ['yellow', 'orange', 'red'];

const RECEIVER = fileURLToPath(new URL('./support/webhook-receiver.mjs', import.meta.url));

/** Runs `once()` `rounds` times one after another; each answers when its webhook left; times to receipt. */
async function timeRounds(receiver, rounds, once) {
  const durations = [];
  await receiver.call('reset');
  for (let i = 0; i < WARM_UP + rounds; i++) {
    const t0 = nowMs();
    await once(i);
    const seen = await receiver.call('collect', { expected: i + 1, t0, timeoutMs: 30_000 });
    if (!seen.complete) throw new Error(`round ${i}: no webhook within 30 s`);
    if (i >= WARM_UP) durations.push(seen.lastAt - t0);
  }
  return summarise(durations);
}

export async function run({ n, execArgv = [] }) {
  const receiver = await startPeer(RECEIVER);
  const receiverUrl = `http://127.0.0.1:${receiver.port}`;
  let app = null;
  try {
    app = await startTocsin({ driver: 'postgres', seed: seedEndpoints(receiverUrl, 1), execArgv });
    const tocsin = await timeRounds(receiver, n, (i) =>
      declare(app.url, almatyDeclaration(LEVELS[i % LEVELS.length])),
    );
    await app.close();
    app = null;

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
    };
  } finally {
    await app?.close();
    await receiver.stop();
  }
}
