// Memory: one declaration fanned out to a million webhook subscriptions (full size only); the worker's
// peak resident memory (VmHWM from /proc) must stay under 300 MB however many subscribers there are.
import { fileURLToPath, URL } from 'node:url';
import { startTocsin } from './support/app.mjs';
import { startPeer } from './support/peer.mjs';
import { round } from './support/stats.mjs';
import { fanOut, seedEndpoints } from './webhook-fanout.mjs';

export const name = 'memory';
export const sizes = { tiny: 1_000, quick: null, full: 1_000_000 };
export const limitMb = 300;

const RECEIVER = fileURLToPath(new URL('./support/webhook-receiver.mjs', import.meta.url));

export async function run({ n, execArgv = [] }) {
  const receiver = await startPeer(RECEIVER);
  let app = null;
  try {
    app = await startTocsin({
      driver: 'postgres',
      seed: seedEndpoints(`http://127.0.0.1:${receiver.port}`, n),
      execArgv,
    });
    const { seen, rss, cpuUsPerDelivery, othersCpuPercent } = await fanOut({ app, peer: receiver, n });
    return {
      database: 'postgres',
      sizes: { subscriptions: n },
      workerPeakRssMb: rss.vmHwmMb,
      sampledPeakRssMb: rss.sampledPeakRssMb,
      limitMb,
      withinLimit: rss.vmHwmMb !== null && rss.vmHwmMb < limitMb,
      seconds: round(seen.lastMs / 1000, 3),
      deliveriesPerSecond: Math.round(n / (seen.lastMs / 1000)),
      cpuUsPerDelivery,
      othersCpuPercent,
      duplicates: seen.duplicates,
    };
  } finally {
    await app?.close();
    await receiver.stop();
  }
}
