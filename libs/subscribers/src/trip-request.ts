import { BadRequestException } from '@nestjs/common';
import { checkedTripWindow, TripWindow, TripWindowInput, TripWindowProblem } from './trip-window';

/** The trip a request asks for, by email or SMS; a window that cannot be one is a 400 saying why. */
export function requestedTrip(input: TripWindowInput, now: Date): TripWindow {
  try {
    return checkedTripWindow(input, now);
  } catch (error) {
    if (error instanceof TripWindowProblem) throw new BadRequestException(error.message);
    throw error;
  }
}
