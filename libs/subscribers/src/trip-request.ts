import { BadRequestException } from '@nestjs/common';
import {
  changedTripWindow,
  checkedTripWindow,
  TripWindow,
  TripWindowInput,
  TripWindowProblem,
} from './trip-window';

/** The trip a request asks for, by email or SMS; a window that cannot be one is a 400 saying why. */
export function requestedTrip(input: TripWindowInput, now: Date): TripWindow {
  return orBadRequest(() => checkedTripWindow(input, now));
}

/** The trip a change to `current` asks for (changedTripWindow); a 400 saying why when it cannot be one. */
export function requestedTripChange(current: TripWindow, input: TripWindowInput, now: Date): TripWindow {
  return orBadRequest(() => changedTripWindow(current, input, now));
}

function orBadRequest(check: () => TripWindow): TripWindow {
  try {
    return check();
  } catch (error) {
    if (error instanceof TripWindowProblem) throw new BadRequestException(error.message);
    throw error;
  }
}
