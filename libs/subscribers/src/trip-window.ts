// Pure: a trip (DESIGN.md §5.6), the window [activeFrom, activeUntil) in which a subscription hears alerts.
// Either bound may be open. The fan-out holds the event's own instant to the same rule in SQL
// (trip-window-sql.ts), so a late retry decides as the first try did.

/** A subscription's trip; both null: always active. */
export interface TripWindow {
  activeFrom: Date | null;
  activeUntil: Date | null;
}

/** A window as a request gives it: ISO 8601 instants; absent or null is an open bound. */
export interface TripWindowInput {
  activeFrom?: string | Date | null;
  activeUntil?: string | Date | null;
}

/** How far from now a bound may lie: a trip further off than this is a typo (2062 for 2026), not a plan. */
export const TRIP_HORIZON_MS = 10 * 366 * 86_400_000;

export const NO_TRIP: TripWindow = { activeFrom: null, activeUntil: null };

/** A window that cannot be a trip: the 400 a sign-up gets, with why. */
export class TripWindowProblem extends Error {}

/**
 * The window `input` asks for, checked at `now`: each bound a real instant within TRIP_HORIZON_MS of now,
 * activeFrom before activeUntil, and activeUntil still ahead (a trip already over would never hear a thing).
 * activeFrom may be past: the trip has begun, and its summary goes out at confirmation.
 */
export function checkedTripWindow(input: TripWindowInput, now: Date): TripWindow {
  const activeFrom = boundOf('activeFrom', input.activeFrom, now);
  const activeUntil = boundOf('activeUntil', input.activeUntil, now);
  return checkedBounds(activeFrom, activeUntil, now, true);
}

/**
 * The window a change to the trip `current` asks for: a bound `input` leaves out keeps its value. Checked as
 * checkedTripWindow, except that an end the change does not move is not required to be ahead: a confirmed
 * trip whose end has passed, not yet swept, may still change its language or its areas.
 */
export function changedTripWindow(current: TripWindow, input: TripWindowInput, now: Date): TripWindow {
  const activeFrom =
    input.activeFrom === undefined ? current.activeFrom : boundOf('activeFrom', input.activeFrom, now);
  const activeUntil =
    input.activeUntil === undefined ? current.activeUntil : boundOf('activeUntil', input.activeUntil, now);
  const endMoved = (activeUntil?.getTime() ?? null) !== (current.activeUntil?.getTime() ?? null);
  return checkedBounds(activeFrom, activeUntil, now, endMoved);
}

function checkedBounds(
  activeFrom: Date | null,
  activeUntil: Date | null,
  now: Date,
  endMustBeAhead: boolean,
): TripWindow {
  if (activeFrom && activeUntil && activeFrom >= activeUntil)
    throw new TripWindowProblem(
      `activeFrom (${activeFrom.toISOString()}) must be before activeUntil (${activeUntil.toISOString()}).`,
    );
  if (endMustBeAhead && activeUntil && activeUntil <= now)
    throw new TripWindowProblem(
      `activeUntil (${activeUntil.toISOString()}) is already past: a trip must end in the future.`,
    );
  return { activeFrom, activeUntil };
}

function boundOf(name: string, value: string | Date | null | undefined, now: Date): Date | null {
  if (value === null || value === undefined) return null;
  const instant = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(instant.getTime()))
    throw new TripWindowProblem(`${name} must be an ISO 8601 date-time with a time zone.`);
  if (Math.abs(instant.getTime() - now.getTime()) > TRIP_HORIZON_MS)
    throw new TripWindowProblem(
      `${name} (${instant.toISOString()}) is more than 10 years from now; check the year.`,
    );
  return instant;
}

/** Whether an event that took effect at `instant` reaches a subscription with `window`. */
export function inTrip(window: TripWindow, instant: Date): boolean {
  return (
    (window.activeFrom === null || window.activeFrom <= instant) &&
    (window.activeUntil === null || instant < window.activeUntil)
  );
}

/** Whether a trip is over at `now`: its subscription is `ended`, whatever it was. */
export function tripOver(window: TripWindow, now: Date): boolean {
  return window.activeUntil !== null && window.activeUntil <= now;
}

/** What the "current situation" message needs to know of a subscription. */
export interface TripState extends TripWindow {
  status: string;
  tripSummarySentAt: Date | null;
}

/**
 * Whether the trip's one summary is owed at `now`: a confirmed subscription whose trip has begun and is not
 * over, not sent yet. A subscription with no activeFrom has no trip start, so no summary.
 */
export function tripSummaryOwed(s: TripState, now: Date): boolean {
  return (
    s.status === 'confirmed' &&
    s.activeFrom !== null &&
    s.activeFrom <= now &&
    s.tripSummarySentAt === null &&
    !tripOver(s, now)
  );
}

/**
 * The window after a change of `next` over `current`, and whether the summary is owed again: a trip that
 * starts at another instant is another trip, and gets its own summary.
 */
export function movedTrip(
  current: TripWindow & { tripSummarySentAt: Date | null },
  next: TripWindow,
): TripWindow & { tripSummarySentAt: Date | null } {
  const sameStart = (current.activeFrom?.getTime() ?? null) === (next.activeFrom?.getTime() ?? null);
  return { ...next, tripSummarySentAt: sameStart ? current.tripSummarySentAt : null };
}
