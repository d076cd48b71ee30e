// Where an alert's time goes, from a trace written by trace-hook.cjs and the rounds the latency benchmark
// marked: for each phase, the median of its offset from the POST's start, and the round trips each process
// made per alert. Statements are recognised by their text (see PHASES), so a renamed statement shows as
// missing here, not as a failure.
import { readFileSync } from 'node:fs';
import { round } from './stats.mjs';

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length ? round(sorted[Math.floor(sorted.length / 2)]) : null;
};

/** Each phase: the first stamp of a round that `matches`, and which end of it counts. */
const PHASES = [
  ['request received', (e, api) => e.pid === api && e.kind === 'http', 't0'],
  ['transaction begun', (e, api) => e.pid === api && e.kind === 'pg' && e.what === 'begin', 't0'],
  ['committed', (e, api) => e.pid === api && e.kind === 'pg' && e.what === 'commit', 't1'],
  ['first pages sent', (e) => e.kind === 'pg' && e.what.includes('event_change as materialized'), 't0'],
  ['first pages answered', (e) => e.kind === 'pg' && e.what.includes('event_change as materialized'), 't1'],
  ['received', (e) => e.kind === 'received', 't0'],
  ['POST answered', (e, api) => e.pid === api && e.kind === 'http', 't1'],
];

/**
 * `rounds`: [{ t0, receivedAt }] in the trace's clock, one per declaration; the first `skip` are left out.
 * Answers the phases' median offsets in ms and, per process, the median count of queries and commands
 * from the POST's start to the receipt (the worker's include the last writes of the alert before, which
 * overlap the next POST).
 */
export function phasesOf(file, rounds, skip = 0) {
  const stamps = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .sort((a, b) => a.t0 - b.t0);
  const offsets = new Map(PHASES.map(([name]) => [name, []]));
  const roundTrips = { api: [], worker: [] };
  for (let i = skip; i < rounds.length; i++) {
    const { t0, receivedAt } = rounds[i];
    const end = rounds[i + 1]?.t0 ?? Infinity;
    const inRound = [
      ...stamps.filter((s) => s.t0 >= t0 && s.t0 < end),
      { kind: 'received', what: '', t0: receivedAt, t1: receivedAt },
    ];
    const api = inRound.find((s) => s.kind === 'http')?.pid;
    for (const [name, matches, edge] of PHASES) {
      const found = inRound.find((s) => matches(s, api));
      offsets.get(name).push(found ? found[edge] - t0 : null);
    }
    const before = inRound.filter((s) => s.t0 < receivedAt && (s.kind === 'pg' || s.kind === 'redis'));
    roundTrips.api.push(before.filter((s) => s.pid === api).length);
    roundTrips.worker.push(before.filter((s) => s.pid !== api).length);
  }
  return {
    medianMsFromPost: Object.fromEntries([...offsets].map(([name, values]) => [name, median(values)])),
    queriesAndCommandsPerRound: { api: median(roundTrips.api), worker: median(roundTrips.worker) },
  };
}
