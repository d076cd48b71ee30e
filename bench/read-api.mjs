// Read API: `GET /v1/levels` with 250 active areas under autocannon, beside a bare Fastify route that
// sends the same JSON bytes, measured in the same run with the same load.
import { Buffer } from 'node:buffer';
import { fileURLToPath, URL } from 'node:url';
import autocannon from 'autocannon';
import { fetch } from 'undici';
import { declare, dist, startTocsin } from './support/app.mjs';
import { cpuAccount } from './support/machine.mjs';
import { startPeer } from './support/peer.mjs';
import { ratio } from './support/stats.mjs';

export const name = 'read-api';
/** Seconds of load on each side; the number of areas is 250 at every size. */
export const sizes = { tiny: 1, quick: 10, full: 30 };
export const target = 0.5;
const AREAS = 250;
const PER_DECLARATION = 25;
const CONNECTIONS = 10;

const BARE = fileURLToPath(new URL('./support/bare-fastify.mjs', import.meta.url));

/** Requests/s and latency of `url` under `seconds` of autocannon load, after a one-second warm-up. */
async function load(url, seconds, cpuGroups) {
  await autocannon({ url, connections: CONNECTIONS, duration: 1 });
  const cpu = await cpuAccount(cpuGroups);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  const usage = await cpu.stop(result.requests.total);
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    othersCpuPercent: usage.othersPercent,
    cpuUsPerRequest: usage.usPer,
  };
}

export async function run({ n: seconds, execArgv = [] }) {
  const bare = await startPeer(BARE);
  let app = null;
  try {
    app = await startTocsin({ driver: 'postgres', faces: ['api'], execArgv });
    // 250 areas but Kazakhstan's (whose declarations the other benchmarks use), 25 to a declaration:
    // every other country, then as many subdivisions as it takes.
    const { countries, subdivisions } = dist('libs/areas/src/areas.data.json');
    const codes = [...countries, ...subdivisions]
      .map((area) => area.code)
      .filter((code) => !code.startsWith('KZ'))
      .slice(0, AREAS);
    for (let i = 0; i < AREAS; i += PER_DECLARATION) {
      await declare(app.url, {
        scheme: 'travel-advisory',
        level: String(((i / PER_DECLARATION) % 4) + 1),
        areas: codes.slice(i, i + PER_DECLARATION),
        headline: 'Travel advisory',
        summary: 'Benchmark declaration.',
        authority: 'Benchmark',
      });
    }
    const levelsUrl = `${app.url}/v1/levels`;
    const levels = await fetch(levelsUrl).then((r) => r.json());
    await bare.call('setBody', { body: levels });

    const tocsin = await load(levelsUrl, seconds, app.cpuGroups);
    await app.close();
    app = null;
    const ceiling = await load(`http://127.0.0.1:${bare.port}/v1/levels`, seconds, {
      bare: () => [bare.pid],
    });
    const serialised = await load(`http://127.0.0.1:${bare.port}/serialised`, seconds, {
      bare: () => [bare.pid],
    });
    return {
      database: 'postgres',
      sizes: { activeAreas: levels.items.length, seconds, connections: CONNECTIONS },
      requestsPerSecond: tocsin.requestsPerSecond,
      p50Ms: tocsin.p50Ms,
      p99Ms: tocsin.p99Ms,
      ceilingRequestsPerSecond: ceiling.requestsPerSecond,
      ratio: ratio(tocsin.requestsPerSecond, ceiling.requestsPerSecond),
      target,
      ceiling: {
        what: 'bare Fastify route sending the same JSON bytes, rendered once',
        p50Ms: ceiling.p50Ms,
        p99Ms: ceiling.p99Ms,
        cpuUsPerRequest: ceiling.cpuUsPerRequest,
      },
      // For context: the same route serialising the JSON on every request.
      serialisedCeiling: { requestsPerSecond: serialised.requestsPerSecond, p99Ms: serialised.p99Ms },
      bodyBytes: Buffer.byteLength(JSON.stringify(levels)),
      cpuUsPerRequest: tocsin.cpuUsPerRequest,
      othersCpuPercent: { tocsin: tocsin.othersCpuPercent, ceiling: ceiling.othersCpuPercent },
    };
  } finally {
    await app?.close();
    await bare.stop();
  }
}
