import { BadRequestException } from '@nestjs/common';
import { requestedTrip, requestedTripChange } from './trip-request';

describe('requestedTrip', () => {
  const now = new Date('2026-12-04T12:00:00Z');

  it('is the checked window', () => {
    expect(requestedTrip({ activeFrom: '2026-12-05T00:00:00+05:00', activeUntil: null }, now)).toEqual({
      activeFrom: new Date('2026-12-04T19:00:00Z'),
      activeUntil: null,
    });
  });

  it('answers a window that cannot be a trip with a 400 saying why', () => {
    const asked = () => requestedTrip({ activeUntil: '2020-01-01T00:00:00Z' }, now);
    expect(asked).toThrow(BadRequestException);
    expect(asked).toThrow(/already past/);
  });

  it('lets a change keep an end that has passed, and answers one it moves there with a 400', () => {
    const over = { activeFrom: null, activeUntil: new Date('2026-12-04T11:00:00Z') };
    expect(requestedTripChange(over, { activeFrom: undefined }, now)).toEqual(over);
    expect(() => requestedTripChange(over, { activeUntil: '2026-12-04T11:30:00Z' }, now)).toThrow(
      BadRequestException,
    );
  });
});
