// Cost growth: webhook fan-outs a decade apart in size (full: 1,000, 10,000 and 100,000 endpoints) on ONE
// app and database, with the CPU the worker and its database spent per delivery side by side. Each size is
// a group of endpoints subscribed to a country of its own, reached by a travel advisory for that country;
// a first, unmeasured fan-out warms the app up. A design whose per-delivery work grows with the fan-out or
// with the rows already written (a scan per page, an index that degrades, a list that is searched) shows
// here as a spread, however fast one run looks. Judged: largest over smallest, flat within 20 %.
import { fileURLToPath, URL } from 'node:url';
import { advisoryDeclaration, startTocsin, WARM_UP_COUNTRY } from './support/app.mjs';
import { startPeer } from './support/peer.mjs';
import { round } from './support/stats.mjs';
import { fanOut, seedEndpointGroup } from './webhook-fanout.mjs';

export const name = 'cost-growth';
/** The largest size; the others are a tenth and a hundredth of it. */
export const sizes = { tiny: 300, quick: 20_000, full: 100_000 };
/** Largest over smallest CPU per delivery, at most. */
export const target = 1.2;

const RECEIVER = fileURLToPath(new URL('./support/webhook-receiver.mjs', import.meta.url));
/** The processes that do the fan-out: the worker and its database backends (the API only takes the POST). */
const FAN_OUT_PROCESSES = ['worker', 'database'];
const COUNTRIES = ['FR', 'DE', 'JP'];

export async function run({ n, driver = 'postgres', execArgv = [] }) {
  const counts = [Math.round(n / 100), Math.round(n / 10), n];
  const groups = [
    { country: WARM_UP_COUNTRY, count: counts[1] },
    ...counts.map((count, i) => ({ country: COUNTRIES[i], count })),
  ];
  const receiver = await startPeer(RECEIVER);
  const receiverUrl = `http://127.0.0.1:${receiver.port}`;
  const seed = async (query) => {
    let first = 1;
    for (const { country, count } of groups) {
      await seedEndpointGroup(receiverUrl, country, first, count)(query);
      first += count;
    }
    await query('analyze webhook_endpoints, webhook_endpoint_area_keys');
  };
  const app = await startTocsin({ driver, seed, execArgv });
  const runs = [];
  try {
    for (const [i, { country, count }] of groups.entries()) {
      const { seen, cpuUsPerDelivery, othersCpuPercent } = await fanOut({
        app,
        peer: receiver,
        n: count,
        declaration: advisoryDeclaration(country),
      });
      if (i === 0) continue; // the warm-up
      runs.push({
        endpoints: count,
        deliveriesPerSecond: Math.round(count / (seen.lastMs / 1000)),
        fanOutCpuUsPerDelivery: FAN_OUT_PROCESSES.reduce((sum, p) => sum + (cpuUsPerDelivery?.[p] ?? 0), 0),
        cpuUsPerDelivery,
        duplicates: seen.duplicates,
        othersCpuPercent,
      });
    }
  } finally {
    await app.close();
    await receiver.stop();
  }
  const smallest = runs[0].fanOutCpuUsPerDelivery;
  const largest = runs[runs.length - 1].fanOutCpuUsPerDelivery;
  return {
    database: driver,
    sizes: { endpoints: counts },
    runs,
    growth: smallest ? round(largest / smallest, 2) : null,
    target,
  };
}
