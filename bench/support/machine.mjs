// Where the machine's CPU went while a figure was measured: how much each of our processes used (the
// worker, our PostgreSQL backends, the receiver, Redis) and how much OTHER processes used. On a shared
// 2-core machine a test run elsewhere halves a throughput figure; this says so beside the figure instead
// of hiding it. Linux only (/proc); elsewhere the figures are null.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Busy and total CPU ticks of the whole machine. */
function machineTicks() {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const fields = cpu.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** pid → { name, ppid, ticks } of every process. */
function processes() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), {
        name,
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** Ticks per group, and of everything ours: this process and its descendants, the groups, Redis. */
async function snapshot(groups) {
  const pidsOf = {};
  for (const [name, pids] of Object.entries(groups)) pidsOf[name] = new Set(await pids());
  const table = processes();
  const redis = [...table].filter(([, p]) => p.name === 'redis-server').map(([pid]) => pid);
  pidsOf.redis ??= new Set(redis);
  const ours = new Set([process.pid, ...Object.values(pidsOf).flatMap((set) => [...set])]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of table)
      if (!ours.has(pid) && ours.has(p.ppid)) {
        ours.add(pid);
        grew = true;
      }
  }
  const ticksOf = (pids) => [...pids].reduce((sum, pid) => sum + (table.get(pid)?.ticks ?? 0), 0);
  const byGroup = Object.fromEntries(Object.entries(pidsOf).map(([name, pids]) => [name, ticksOf(pids)]));
  return { machine: machineTicks(), ours: ticksOf(ours), byGroup };
}

/**
 * Starts counting. `groups` maps a name to a function answering that group's pids (asked at start and
 * at stop, e.g. our database backends). `stop(per)` answers `othersPercent`, the share of the machine
 * (0–100) that processes not ours used meanwhile, and each group's CPU in µs per `per` items.
 */
export async function cpuAccount(groups = {}) {
  try {
    const start = await snapshot(groups);
    return {
      async stop(per = 1) {
        try {
          const end = await snapshot(groups);
          const total = end.machine.total - start.machine.total;
          const others = end.machine.busy - start.machine.busy - (end.ours - start.ours);
          const usPer = Object.fromEntries(
            Object.keys(end.byGroup).map((name) => [
              name,
              Math.round(((end.byGroup[name] - (start.byGroup[name] ?? 0)) * TICK_MS * 1000) / per),
            ]),
          );
          return { othersPercent: total ? Math.max(0, Math.round((100 * others) / total)) : null, usPer };
        } catch {
          return { othersPercent: null, usPer: null };
        }
      },
    };
  } catch {
    return { stop: async () => ({ othersPercent: null, usPer: null }) };
  }
}
