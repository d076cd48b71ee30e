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
export const target = 0.8;
const AREAS = 250;
const PER_DECLARATION = 25;
const CONNECTIONS = 10;

const BARE = fileURLToPath(new URL('./support/bare-fastify.mjs', import.meta.url));

/** Requests/s, latency and CPU of `url` under `seconds` of autocannon load. */
async function load(url, seconds, cpuGroups) {
  const cpu = await cpuAccount(cpuGroups);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  const usage = await cpu.stop(result.requests.total);
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { requests: result.requests.total, seconds, latency: result.latency, usage };
}

/**
 * Loads each target in turn, round after round, `seconds / rounds` at a time, after a warm-up of each: the
 * machine's drift (a JIT still warming, a neighbour's burst) then falls on every side alike, where one long
 * measurement after the other gave the bare route anything from 5,000 to 7,700 requests/s. Requests/s are
 * over all slices, p50 the median of the slices', p99 the worst, CPU per request weighted by requests.
 */
async function interleaved(targets, seconds, rounds) {
  for (const target of targets) await autocannon({ url: target.url, connections: CONNECTIONS, duration: 2 });
  const slices = targets.map(() => []);
  for (let round = 0; round < rounds; round++)
    for (const [i, target] of targets.entries())
      slices[i].push(await load(target.url, seconds / rounds, target.cpuGroups));
  return slices.map((runs) => {
    const requests = runs.reduce((sum, r) => sum + r.requests, 0);
    const groups = Object.keys(runs[0].usage.usPer);
    return {
      requestsPerSecond: Math.round(requests / runs.reduce((sum, r) => sum + r.seconds, 0)),
      p50Ms: runs.map((r) => r.latency.p50).sort((x, y) => x - y)[Math.floor(runs.length / 2)],
      p99Ms: Math.max(...runs.map((r) => r.latency.p99)),
      othersCpuPercent: Math.max(...runs.map((r) => r.usage.othersPercent)),
      cpuUsPerRequest: Object.fromEntries(
        groups.map((g) => [
          g,
          Math.round(runs.reduce((sum, r) => sum + r.usage.usPer[g] * r.requests, 0) / requests),
        ]),
      ),
    };
  });
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

    const bareUrl = `http://127.0.0.1:${bare.port}`;
    const bareCpu = { bare: () => [bare.pid] };
    const [tocsin, ceiling, serialised] = await interleaved(
      [
        { url: levelsUrl, cpuGroups: app.cpuGroups },
        { url: `${bareUrl}/v1/levels`, cpuGroups: bareCpu },
        { url: `${bareUrl}/serialised`, cpuGroups: bareCpu },
      ],
      seconds,
      seconds >= 10 ? Math.round(seconds / 5) : 1,
    );
    return {
      database: 'postgres',
      sizes: { activeAreas: levels.items.length, seconds, connections: CONNECTIONS },
      method: 'each side in turn, slices of 5 s, after 2 s of warm-up each',
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
