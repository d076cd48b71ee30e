import {
  changedTripWindow,
  checkedTripWindow,
  inTrip,
  movedTrip,
  TripWindowProblem,
  tripOver,
  tripSummaryOwed,
} from './trip-window';

const now = new Date('2027-03-01T12:00:00Z');
const at = (iso: string) => new Date(iso);
const trip = { activeFrom: at('2027-03-02T00:00:00Z'), activeUntil: at('2027-03-10T00:00:00Z') };

describe('checkedTripWindow', () => {
  it('reads both bounds as instants, whatever zone they were written in', () => {
    expect(
      checkedTripWindow(
        { activeFrom: '2027-03-02T06:00:00+06:00', activeUntil: '2027-03-10T00:00:00Z' },
        now,
      ),
    ).toEqual(trip);
  });

  it('leaves an absent or null bound open', () => {
    expect(checkedTripWindow({}, now)).toEqual({ activeFrom: null, activeUntil: null });
    expect(checkedTripWindow({ activeFrom: null, activeUntil: '2027-03-10T00:00:00Z' }, now)).toEqual({
      activeFrom: null,
      activeUntil: trip.activeUntil,
    });
  });

  it('takes a start already past: the trip has begun', () => {
    expect(checkedTripWindow({ activeFrom: '2027-02-01T00:00:00Z' }, now).activeFrom).toEqual(
      at('2027-02-01T00:00:00Z'),
    );
  });

  it.each([
    [
      { activeFrom: '2027-03-10T00:00:00Z', activeUntil: '2027-03-10T00:00:00Z' },
      /must be before activeUntil/,
    ],
    [
      { activeFrom: '2027-03-11T00:00:00Z', activeUntil: '2027-03-10T00:00:00Z' },
      /must be before activeUntil/,
    ],
    [{ activeUntil: '2027-03-01T11:59:59Z' }, /activeUntil .* is already past/],
    [{ activeUntil: '2207-03-10T00:00:00Z' }, /activeUntil .* more than 10 years from now/],
    [{ activeFrom: '0027-03-10T00:00:00Z' }, /activeFrom .* more than 10 years from now/],
    [{ activeFrom: 'next tuesday' }, /activeFrom must be an ISO 8601 date-time/],
  ])('refuses %j', (input, message) => {
    expect(() => checkedTripWindow(input, now)).toThrow(TripWindowProblem);
    expect(() => checkedTripWindow(input, now)).toThrow(message);
  });
});

describe('changedTripWindow', () => {
  const over = { activeFrom: at('2027-02-20T00:00:00Z'), activeUntil: at('2027-03-01T00:00:00Z') };

  it('keeps the bounds a change leaves out, even an end passed and not yet swept', () => {
    expect(changedTripWindow(over, {}, now)).toEqual(over);
    expect(changedTripWindow(over, { activeUntil: over.activeUntil.toISOString() }, now)).toEqual(over);
  });

  it('takes the bounds it gives, checked as a sign-up’s', () => {
    expect(changedTripWindow(trip, { activeUntil: '2027-03-12T00:00:00+03:00' }, now)).toEqual({
      activeFrom: trip.activeFrom,
      activeUntil: at('2027-03-11T21:00:00Z'),
    });
    expect(changedTripWindow(trip, { activeFrom: null }, now)).toEqual({ ...trip, activeFrom: null });
  });

  it('refuses an end it moves into the past, and a start it moves past the end', () => {
    expect(() =>
      changedTripWindow({ ...trip, activeFrom: null }, { activeUntil: '2027-03-01T11:00:00Z' }, now),
    ).toThrow(/already past/);
    expect(() => changedTripWindow(over, { activeFrom: '2027-03-01T00:00:00Z' }, now)).toThrow(
      /must be before activeUntil/,
    );
    expect(() => changedTripWindow(trip, { activeUntil: 'soon' }, now)).toThrow(TripWindowProblem);
  });
});

describe('inTrip', () => {
  it('holds from activeFrom on, and no longer at activeUntil', () => {
    expect(inTrip(trip, at('2027-03-01T23:59:59.999Z'))).toBe(false);
    expect(inTrip(trip, trip.activeFrom)).toBe(true);
    expect(inTrip(trip, at('2027-03-09T23:59:59.999Z'))).toBe(true);
    expect(inTrip(trip, trip.activeUntil)).toBe(false);
  });

  it('holds always with both bounds open, and on the open side of one', () => {
    expect(inTrip({ activeFrom: null, activeUntil: null }, at('1990-01-01T00:00:00Z'))).toBe(true);
    expect(inTrip({ activeFrom: null, activeUntil: trip.activeUntil }, at('1990-01-01T00:00:00Z'))).toBe(
      true,
    );
    expect(inTrip({ activeFrom: trip.activeFrom, activeUntil: null }, at('2999-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('tripOver', () => {
  it('is over from activeUntil on; a trip with no end never is', () => {
    expect(tripOver(trip, at('2027-03-09T23:59:59Z'))).toBe(false);
    expect(tripOver(trip, trip.activeUntil)).toBe(true);
    expect(tripOver({ activeFrom: trip.activeFrom, activeUntil: null }, at('2999-01-01T00:00:00Z'))).toBe(
      false,
    );
  });
});

describe('tripSummaryOwed', () => {
  const confirmed = { ...trip, status: 'confirmed', tripSummarySentAt: null };

  it('is owed from the start of a confirmed trip until it is sent or the trip is over', () => {
    expect(tripSummaryOwed(confirmed, at('2027-03-01T23:59:59Z'))).toBe(false);
    expect(tripSummaryOwed(confirmed, trip.activeFrom)).toBe(true);
    expect(tripSummaryOwed(confirmed, at('2027-03-09T00:00:00Z'))).toBe(true);
    expect(tripSummaryOwed(confirmed, trip.activeUntil)).toBe(false);
  });

  it('is not owed once sent, before confirmation, or without a start', () => {
    const during = at('2027-03-05T00:00:00Z');
    expect(tripSummaryOwed({ ...confirmed, tripSummarySentAt: trip.activeFrom }, during)).toBe(false);
    expect(tripSummaryOwed({ ...confirmed, status: 'pending' }, during)).toBe(false);
    expect(tripSummaryOwed({ ...confirmed, status: 'unsubscribed' }, during)).toBe(false);
    expect(tripSummaryOwed({ ...confirmed, activeFrom: null }, during)).toBe(false);
  });
});

describe('movedTrip', () => {
  const sent = { ...trip, tripSummarySentAt: at('2027-03-02T00:00:05Z') };

  it('keeps the summary sent when only the end moves', () => {
    const next = { ...trip, activeUntil: at('2027-03-20T00:00:00Z') };
    expect(movedTrip(sent, next)).toEqual({ ...next, tripSummarySentAt: sent.tripSummarySentAt });
  });

  it('owes a new summary for a new start', () => {
    const next = { ...trip, activeFrom: at('2027-03-05T00:00:00Z') };
    expect(movedTrip(sent, next)).toEqual({ ...next, tripSummarySentAt: null });
    expect(movedTrip(sent, { ...trip, activeFrom: null })).toEqual({
      activeFrom: null,
      activeUntil: trip.activeUntil,
      tripSummarySentAt: null,
    });
  });
});
