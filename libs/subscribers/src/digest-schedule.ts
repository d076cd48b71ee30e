// Pure: when a subscriber's next digest is due (DESIGN.md §5.6), from its delivery settings and its zone.
import { EVERYWHERE } from '@tocsin/areas';
import { zoneFor } from './subscriber-language';

/** How changes below the subscriber's immediate threshold reach it: at once, or in a daily or weekly email. */
export const DIGEST_DELIVERIES = ['immediate', 'daily', 'weekly'] as const;
export type DigestDelivery = (typeof DIGEST_DELIVERIES)[number];

/** A subscription's delivery settings, as the email_subscriptions row stores them. */
export interface DeliverySettings {
  delivery: DigestDelivery;
  /**
   * A change whose previous or current level has at least this rank (the same reading as the filter's
   * `minRank`) is sent at once whatever `delivery` says; null: every change waits for the digest.
   */
  immediateMinRank: number | null;
  /** The hour (0–23) of the subscriber's zone a digest goes out. */
  digestHour: number;
  /** For a weekly digest, the ISO weekday (1 = Monday … 7 = Sunday) it goes out. */
  digestWeekday: number;
}

export const IMMEDIATE_DELIVERY: DeliverySettings = {
  delivery: 'immediate',
  immediateMinRank: null,
  digestHour: 8,
  digestWeekday: 1,
};

const DAY_MS = 86_400_000;

// One formatter per zone: building one costs far more than using it.
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `at` in `zone`, as milliseconds of the same reading in UTC. */
function wallClockOf(at: number, zone: string): number {
  let format = wallClocks.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  // Date.UTC drops the milliseconds; formatToParts does not give them.
  return wall + (((at % 1000) + 1000) % 1000);
}

const offsetAt = (at: number, zone: string) => wallClockOf(at, zone) - at;

/**
 * The instant the wall clock of `zone` reads `wall` (a local date and time as UTC milliseconds): the first of
 * two when the clocks go back, and when the hour is skipped (the clocks go forward over it) the end of the
 * gap, the first instant after it.
 */
function instantOfWallClock(wall: number, zone: string): number {
  const offsetBefore = offsetAt(wall - DAY_MS, zone);
  const offsets = new Set([offsetBefore, offsetAt(wall, zone), offsetAt(wall + DAY_MS, zone)]);
  const exact = [...offsets].map((o) => wall - o).filter((at) => wallClockOf(at, zone) === wall);
  return exact.length ? Math.min(...exact) : wall - offsetBefore;
}

/**
 * The first instant strictly after `after` at which a digest of `settings` is due in `zone`: the next
 * `digestHour`:00 (today's if it is still ahead, else tomorrow's), for a weekly one on the next
 * `digestWeekday`; null for immediate delivery.
 */
export function nextDigestAt(settings: DeliverySettings, zone: string, after: Date): Date | null {
  if (settings.delivery === 'immediate') return null;
  const today = wallClockOf(after.getTime(), zone);
  const midnight = today - (((today % DAY_MS) + DAY_MS) % DAY_MS);
  // Eight days: a weekly digest whose hour today has passed is next due on this weekday a week on.
  for (let day = 0; day <= 8; day++) {
    const date = midnight + day * DAY_MS;
    const isoWeekday = new Date(date).getUTCDay() || 7;
    if (settings.delivery === 'weekly' && isoWeekday !== settings.digestWeekday) continue;
    const at = instantOfWallClock(date + settings.digestHour * 3_600_000, zone);
    if (at > after.getTime()) return new Date(at);
  }
  throw new Error(`no digest instant for ${JSON.stringify(settings)} in ${zone}`);
}

/**
 * The zone a subscription's digest hour is read in: its own, else the main zone of its first area (as its
 * alerts' times are), else UTC for one that follows everywhere.
 */
export function digestZoneOf(timeZone: string | null, areas: readonly string[]): string {
  const area = areas.find((code) => code !== EVERYWHERE);
  return zoneFor(timeZone, area);
}
