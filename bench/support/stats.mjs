import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const nowMs = () => performance.timeOrigin + performance.now();

/** The nearest-rank percentile `p` (0–100) of numbers already sorted ascending. */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** p50, p99 and max of a list of durations, in milliseconds rounded to 0.01. */
export function summarise(durations) {
  const sorted = Float64Array.from(durations).sort();
  return {
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

export function round(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `value / ceiling`, two decimals. */
export const ratio = (value, ceiling) => (ceiling ? round(value / ceiling) : null);

/**
 * What a receiving peer saw: when each message arrived, and which subscriber it was for (to count repeats).
 * `collect` waits until `expected` have arrived, then times them from `t0`.
 */
export class Receipts {
  times = [];
  perKey = new Uint8Array(1024);
  duplicates = 0;
  waiter = null;

  record(at, key) {
    this.times.push(at);
    if (key !== undefined) {
      if (key >= this.perKey.length) {
        const grown = new Uint8Array(Math.max(key + 1, this.perKey.length * 2));
        grown.set(this.perKey);
        this.perKey = grown;
      }
      if (this.perKey[key]++ > 0) this.duplicates++;
    }
    if (this.waiter && this.times.length >= this.waiter.expected) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve();
    }
  }

  reset() {
    this.times = [];
    this.perKey = new Uint8Array(1024);
    this.duplicates = 0;
  }

  /** Waits for `expected` receipts (or `timeoutMs`), then returns their timing from `t0`. */
  async collect({ expected, t0, timeoutMs = 600_000 }) {
    if (this.times.length < expected) {
      let timer;
      await new Promise((resolve) => {
        this.waiter = { expected, resolve };
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      this.waiter = null;
    }
    const count = this.times.length;
    const since = this.times.map((at) => at - t0);
    return {
      count,
      complete: count >= expected,
      duplicates: this.duplicates,
      lastAt: count ? this.times[count - 1] : null,
      firstMs: round(count ? since.reduce((a, b) => Math.min(a, b), Infinity) : null),
      lastMs: round(count ? since.reduce((a, b) => Math.max(a, b), -Infinity) : null),
      ...summarise(since),
    };
  }
}
