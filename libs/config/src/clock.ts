import { Injectable } from '@nestjs/common';

/** The time, behind a port so a test can stand still or jump. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
