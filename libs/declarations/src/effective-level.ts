// Pure rules of which level holds where and when. No I/O: the repository loads the timeline entries,
// these functions decide.
//
// The rule, per (area, scheme): of the declarations that have taken effect by an instant, the one that
// started last governs; if it has expired or been cancelled by then, the area has no level. A newer
// declaration thus supersedes an older one for good (a later cancellation does not bring the older one
// back, as in CAP, where a Cancel withdraws a message but does not restore what it replaced). A
// declaration cancelled before it started never took effect and is ignored. A subdivision's effective
// level is the higher of its own and its country's.

import { countryCodeOf } from '@tocsin/areas';

export interface LevelRef {
  code: string;
  rank: number;
  name: string;
  color: string | null;
}

/** One declaration as it bears on one area. */
export interface TimelineEntry {
  declarationId: string;
  areaCode: string;
  schemeId: string;
  level: LevelRef;
  effectiveAt: Date;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string;
  cancelledAt: Date | null;
  cancelledBy: string | null;
}

export interface EffectiveLevel {
  areaCode: string;
  schemeId: string;
  level: LevelRef;
  declarationId: string;
  /** The area the level is declared for: the area itself, or its country. */
  source: string;
  since: Date;
  /** When this level is known to end: expiry, cancellation, or a scheduled successor; null = until further notice. */
  until: Date | null;
}

export type ChangeCause = 'declared' | 'expired' | 'cancelled';

export interface LevelChange {
  at: Date;
  areaCode: string;
  schemeId: string;
  cause: ChangeCause;
  previous: EffectiveLevel | null;
  current: EffectiveLevel | null;
  /** The declaration that made the change: the new one, or the one that expired or was cancelled. */
  declarationId: string;
  /** Who made it: the publisher, the canceller, or null for an expiry. */
  by: string | null;
}

export type Direction = 'escalated' | 'deescalated' | 'unchanged';

/** A declaration cancelled before its start never took effect. */
export function tookEffect(entry: TimelineEntry): boolean {
  return entry.cancelledAt === null || entry.cancelledAt > entry.effectiveAt;
}

/** Newest start first; ties go to the later-created declaration. */
function startedLater(a: TimelineEntry, b: TimelineEntry): number {
  return (
    b.effectiveAt.getTime() - a.effectiveAt.getTime() ||
    b.createdAt.getTime() - a.createdAt.getTime() ||
    (a.declarationId < b.declarationId ? 1 : a.declarationId > b.declarationId ? -1 : 0)
  );
}

function endOf(entry: TimelineEntry): Date | null {
  const ends = [entry.expiresAt, entry.cancelledAt].filter((d): d is Date => d !== null);
  return ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null;
}

/**
 * The declaration that holds the level of one (area, scheme) at `at`, or null for none.
 * `entries` must all be for that one area and scheme.
 */
export function governingEntry(entries: readonly TimelineEntry[], at: Date): TimelineEntry | null {
  let latest: TimelineEntry | null = null;
  for (const entry of entries) {
    if (!tookEffect(entry) || entry.effectiveAt > at) continue;
    if (latest === null || startedLater(entry, latest) < 0) latest = entry;
  }
  if (latest === null) return null;
  const end = endOf(latest);
  return end !== null && end <= at ? null : latest;
}

/** The next start after `at` among declarations of the same area and scheme that will take effect. */
function nextStart(entries: readonly TimelineEntry[], after: TimelineEntry, at: Date): Date | null {
  let next: Date | null = null;
  for (const entry of entries) {
    if (entry === after || !tookEffect(entry) || entry.effectiveAt <= at) continue;
    if (startedLater(entry, after) >= 0) continue;
    if (next === null || entry.effectiveAt < next) next = entry.effectiveAt;
  }
  return next;
}

function earliest(...dates: (Date | null)[]): Date | null {
  const present = dates.filter((d): d is Date => d !== null);
  return present.length ? new Date(Math.min(...present.map((d) => d.getTime()))) : null;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function ownLevel(areaCode: string, entries: readonly TimelineEntry[], at: Date): EffectiveLevel | null {
  const governing = governingEntry(entries, at);
  if (!governing) return null;
  return {
    areaCode,
    schemeId: governing.schemeId,
    level: governing.level,
    declarationId: governing.declarationId,
    source: governing.areaCode,
    since: governing.effectiveAt,
    until: earliest(endOf(governing), nextStart(entries, governing, at)),
  };
}

/**
 * The effective levels of one area at `at`, one per scheme that has a level there, sorted by scheme.
 * `entries` are the area's own and (for a subdivision) its country's; others are ignored.
 */
export function effectiveLevels(
  areaCode: string,
  countryCode: string,
  entries: readonly TimelineEntry[],
  at: Date,
): EffectiveLevel[] {
  const relevant = entries.filter((e) => e.areaCode === areaCode || e.areaCode === countryCode);
  const levels: EffectiveLevel[] = [];
  for (const [schemeId, inScheme] of [...groupBy(relevant, (e) => e.schemeId)].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const own = ownLevel(
      areaCode,
      inScheme.filter((e) => e.areaCode === areaCode),
      at,
    );
    const country =
      areaCode === countryCode
        ? null
        : ownLevel(
            areaCode,
            inScheme.filter((e) => e.areaCode === countryCode),
            at,
          );
    // The area's own level wins a tie: it is the more specific statement.
    const effective =
      own && country ? (country.level.rank > own.level.rank ? country : own) : (own ?? country);
    if (effective) levels.push({ ...effective, schemeId });
  }
  return levels;
}

/**
 * The effective level of every area in every scheme it has declarations of its own in (a subdivision's may
 * come from its country), sorted by area code, then scheme. Entries are grouped by area once, so this is
 * linear in their number.
 */
export function levelsOfDeclaredAreas(entries: readonly TimelineEntry[], at: Date): EffectiveLevel[] {
  const byArea = groupBy(entries, (e) => e.areaCode);
  const levels: EffectiveLevel[] = [];
  for (const areaCode of [...byArea.keys()].sort()) {
    const own = byArea.get(areaCode)!;
    const countryCode = countryCodeOf(areaCode);
    const relevant = areaCode === countryCode ? own : [...own, ...(byArea.get(countryCode) ?? [])];
    const ownSchemes = new Set(own.map((e) => e.schemeId));
    for (const level of effectiveLevels(areaCode, countryCode, relevant, at)) {
      if (ownSchemes.has(level.schemeId)) levels.push(level);
    }
  }
  return levels;
}

/**
 * The first instant after `at` at which one of `entries` starts, expires or is cancelled, or null for none:
 * whatever these rules work out from `entries` is the same at every instant from `at` until then.
 */
export function nextChangeAfter(entries: readonly TimelineEntry[], at: Date): Date | null {
  let next = Infinity;
  for (const entry of entries) {
    if (!tookEffect(entry)) continue;
    for (const instant of [entry.effectiveAt, entry.expiresAt, entry.cancelledAt]) {
      if (instant !== null && instant > at && instant.getTime() < next) next = instant.getTime();
    }
  }
  return next === Infinity ? null : new Date(next);
}

/** Whether two effective levels are the same statement: same declaration, level and source. */
export function sameLevel(a: EffectiveLevel | null, b: EffectiveLevel | null): boolean {
  return a?.declarationId === b?.declarationId && a?.level.code === b?.level.code && a?.source === b?.source;
}

/**
 * Every change of an area's effective level, oldest first, worked out from the timeline: each start,
 * expiry and cancellation is a moment where the level may change.
 */
export function levelHistory(
  areaCode: string,
  countryCode: string,
  entries: readonly TimelineEntry[],
  until: Date,
): LevelChange[] {
  const relevant = entries.filter((e) => e.areaCode === areaCode || e.areaCode === countryCode);
  const byId = new Map(relevant.map((e) => [e.declarationId, e]));
  const changes: LevelChange[] = [];
  for (const [schemeId, inScheme] of groupBy(relevant, (e) => e.schemeId)) {
    const moments = new Set<number>();
    for (const e of inScheme) {
      if (!tookEffect(e)) continue;
      for (const d of [e.effectiveAt, e.expiresAt, e.cancelledAt])
        if (d && d <= until) moments.add(d.getTime());
    }
    let previous: EffectiveLevel | null = null;
    for (const t of [...moments].sort((a, b) => a - b)) {
      const at = new Date(t);
      const current = effectiveLevels(areaCode, countryCode, inScheme, at)[0] ?? null;
      if (sameLevel(previous, current)) continue;
      const started =
        current && byId.get(current.declarationId)!.effectiveAt.getTime() === t ? current : null;
      const ended = previous ? byId.get(previous.declarationId)! : null;
      const cause: ChangeCause = started
        ? 'declared'
        : ended?.cancelledAt?.getTime() === t
          ? 'cancelled'
          : 'expired';
      const responsible = started
        ? byId.get(started.declarationId)!
        : (ended ?? byId.get(current!.declarationId)!);
      changes.push({
        at,
        areaCode,
        schemeId,
        cause,
        previous,
        current,
        declarationId: responsible.declarationId,
        by:
          cause === 'declared'
            ? responsible.createdBy
            : cause === 'cancelled'
              ? responsible.cancelledBy
              : null,
      });
      previous = current;
    }
  }
  return changes.sort((a, b) => a.at.getTime() - b.at.getTime() || a.schemeId.localeCompare(b.schemeId));
}

export function directionOf(previous: LevelRef | null, current: LevelRef | null): Direction {
  const before = previous?.rank ?? 0;
  const after = current?.rank ?? 0;
  return after > before ? 'escalated' : after < before ? 'deescalated' : 'unchanged';
}

/**
 * The declarations that `declarationId` replaced when it started: per area, the one that started just
 * before it, if that one was still in force then (a handover at its expiry instant counts, as in the
 * `superseded` status). Only declarations published before it count, so the answer never changes later.
 * `entries` are the timeline of its areas in its scheme. Oldest publication first.
 */
export function supersededAtStart(declarationId: string, entries: readonly TimelineEntry[]): string[] {
  const replaced = new Map<string, TimelineEntry>();
  for (const own of entries.filter((e) => e.declarationId === declarationId)) {
    let predecessor: TimelineEntry | null = null;
    for (const entry of entries) {
      if (entry.areaCode !== own.areaCode || entry.schemeId !== own.schemeId || !tookEffect(entry)) continue;
      if (entry.declarationId === declarationId || startedLater(own, entry) >= 0) continue;
      if (predecessor === null || startedLater(entry, predecessor) < 0) predecessor = entry;
    }
    if (!predecessor || predecessor.createdAt > own.createdAt) continue;
    const inForce =
      (predecessor.expiresAt === null || predecessor.expiresAt >= own.effectiveAt) &&
      (predecessor.cancelledAt === null || predecessor.cancelledAt > own.effectiveAt);
    if (inForce) replaced.set(predecessor.declarationId, predecessor);
  }
  return [...replaced.values()]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((e) => e.declarationId);
}
