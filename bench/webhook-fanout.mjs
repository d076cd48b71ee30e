// Webhook fan-out: N endpoints on one local receiver (a process of its own), one declaration they all
// match, timed from `POST /v1/declarations` to the last receipt. In the same run, the ceiling: the best of a
// plain undici loop POSTing N signed bodies of the same size to the same receiver, swept over concurrencies
// 50 to 800 (DESIGN.md §5.7: the machine's best, whatever Tocsin's own setting); and, for context, what raw
// BullMQ reaches with no-op jobs and with one POST per job. Each side is timed warm, as a service that has
// been running is: the app after an unmeasured fan-out to a tenth as many endpoints of another country, the
// ceiling after an unmeasured loop of a tenth as many POSTs.
import { Buffer } from 'node:buffer';
import { fileURLToPath, URL } from 'node:url';
import { Agent } from 'undici';
import {
  advisoryDeclaration,
  almatyDeclaration,
  declare,
  sampleMemory,
  startTocsin,
  untilAllRecorded,
  WARM_UP_COUNTRY,
  WARM_UP_SHARE,
} from './support/app.mjs';
import { bestUndiciCeiling, bullmqCeiling, signedPost, undiciCeiling } from './support/ceilings.mjs';
import { cpuAccount } from './support/machine.mjs';
import { startPeer } from './support/peer.mjs';
import { endpointSecretSql } from './support/secrets.mjs';
import { nowMs, ratio, round } from './support/stats.mjs';

export const name = 'webhook-fanout';
export const sizes = { tiny: 200, quick: 20_000, full: 100_000 };
export const target = 0.7;
/** Sends the app has in flight at most: 8 delivery jobs per worker × 100 sends per batch (apps/worker). */
export const APP_CONCURRENCY = 800;
/** The concurrency of the raw BullMQ figures: one worker, many jobs at once, as a per-delivery design would run. */
const BULLMQ_CONCURRENCY = 100;

const RECEIVER = fileURLToPath(new URL('./support/webhook-receiver.mjs', import.meta.url));

/**
 * `count` enabled endpoints for `country`, numbered from `first`: `…/e/<number>`, each with the secret its
 * number derives (the receiver checks the signature by it).
 */
export const seedEndpointGroup = (receiverUrl, country, first, count) => async (query) => {
  await query(
    `insert into webhook_endpoints (id, owner_key_id, url, areas, enabled, secret, created_at, updated_at)
     select 'whk_bench_' || lpad(g::text, 7, '0'), 'key_bench', $1 || '/e/' || g, array[$2::text], true,
            ${endpointSecretSql('g')}, now(), now()
     from generate_series($3::int, $3::int + $4::int - 1) g`,
    [receiverUrl, country, first, count],
  );
};

/** N endpoints `…/e/1` … `…/e/N` for Kazakhstan, and `warmUp` more after them for the warm-up country. */
export const seedEndpoints =
  (receiverUrl, n, warmUp = 0) =>
  async (query) => {
    await seedEndpointGroup(receiverUrl, 'KZ', 1, n)(query);
    if (warmUp) await seedEndpointGroup(receiverUrl, WARM_UP_COUNTRY, n + 1, warmUp)(query);
    await query('analyze webhook_endpoints, webhook_endpoint_area_keys');
  };

/**
 * Fans one declaration out to `n` subscribers of `peer` (the webhook receiver, or the SMTP sink with
 * `peerName: 'sink'`): the receipts' timing, the worker's memory, and the CPU each process spent per
 * delivery (which varies far less than throughput when other work shares the machine).
 */
export async function fanOut({
  app,
  peer,
  n,
  declaration = almatyDeclaration(),
  peerName = 'receiver',
  msPerDelivery = 2,
}) {
  await peer.call('reset');
  const memory = sampleMemory(app.delivererPid);
  const cpu = await cpuAccount({ ...app.cpuGroups, [peerName]: () => [peer.pid] });
  const t0 = nowMs();
  await declare(app.url, declaration);
  const answeredMs = nowMs() - t0;
  const seen = await peer.call('collect', {
    expected: n,
    t0,
    timeoutMs: Math.max(60_000, n * msPerDelivery),
  });
  const { othersPercent, usPer } = await cpu.stop(n);
  if (!seen.complete) throw new Error(`only ${seen.count} of ${n} deliveries arrived at the ${peerName}`);
  // The rows are the truth: every delivery must also be written back as delivered.
  const recordedMs = round((await untilAllRecorded(app.url)) - t0);
  const rss = memory.stop();
  // Asked again once all is written back, so that a repeat sent after the last first receipt counts too.
  const { duplicates } = await peer.call('collect', { expected: n, t0 });
  return {
    seen: { ...seen, duplicates },
    rss,
    answeredMs,
    recordedMs,
    othersCpuPercent: othersPercent,
    cpuUsPerDelivery: usPer,
  };
}

export async function run({ n, driver = 'postgres', execArgv = [] }) {
  const receiver = await startPeer(RECEIVER);
  const receiverUrl = `http://127.0.0.1:${receiver.port}`;
  let app = null;
  try {
    const warmUp = Math.ceil(n * WARM_UP_SHARE);
    app = await startTocsin({ driver, seed: seedEndpoints(receiverUrl, n, warmUp), execArgv });
    await fanOut({ app, peer: receiver, n: warmUp, declaration: advisoryDeclaration(WARM_UP_COUNTRY) });
    const { seen, rss, answeredMs, recordedMs, othersCpuPercent, cpuUsPerDelivery } = await fanOut({
      app,
      peer: receiver,
      n,
    });
    await app.close();
    app = null;

    const body = seen.sampleBody;
    const ceiling = await bestUndiciCeiling({ receiver, n, body });
    // The CPU the best concurrency costs, measured on a run of its own so the sweep does not blur it.
    const ceilingCpu = await cpuAccount({ client: () => [process.pid], receiver: () => [receiver.pid] });
    await undiciCeiling({ receiver, n, body, concurrency: ceiling.concurrency });
    const ceilingUsage = await ceilingCpu.stop(n);
    const noop = await bullmqCeiling({ n, concurrency: BULLMQ_CONCURRENCY });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    const onePost = await bullmqCeiling({
      n,
      concurrency: BULLMQ_CONCURRENCY,
      work: (i) => signedPost(agent, receiverUrl, i, body),
    }).finally(() => agent.close());

    const perSecond = Math.round(n / (seen.lastMs / 1000));
    return {
      database: driver,
      sizes: { endpoints: n },
      seconds: round(seen.lastMs / 1000, 3),
      deliveriesPerSecond: perSecond,
      ceilingPerSecond: ceiling.perSecond,
      ratio: ratio(perSecond, ceiling.perSecond),
      target,
      receipt: { firstMs: seen.firstMs, p50Ms: seen.p50Ms, p99Ms: seen.p99Ms, lastMs: seen.lastMs },
      postAnsweredMs: round(answeredMs),
      allRecordedMs: recordedMs,
      ceiling: {
        concurrency: ceiling.concurrency,
        p50Ms: ceiling.p50Ms,
        p99Ms: ceiling.p99Ms,
        cpuUsPerRequest: ceilingUsage.usPer,
        sweep: ceiling.sweep,
      },
      bullmq: {
        concurrency: BULLMQ_CONCURRENCY,
        noopJobsPerSecond: noop.perSecond,
        onePostJobsPerSecond: onePost.perSecond,
      },
      bodyBytes: Buffer.byteLength(body),
      duplicates: seen.duplicates,
      signatures: { verified: seen.verified, failed: seen.failed, firstFailure: seen.firstFailure },
      connections: { peak: seen.peakConnections, opened: seen.connectionsOpened },
      workerPeakRssMb: rss.vmHwmMb,
      cpuUsPerDelivery,
      // Share of the CPUs that processes not of this benchmark used while each side ran.
      othersCpuPercent: { tocsin: othersCpuPercent, ceiling: ceilingUsage.othersPercent },
    };
  } finally {
    await app?.close();
    await receiver.stop();
  }
}
