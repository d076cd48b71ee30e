import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, describeError } from '@tocsin/config';
import { DATABASE_NOTIFICATIONS, DatabaseNotifications, OUTBOX_CHANNEL } from '@tocsin/database';
import { AnnouncedOutboxEvent, DueEventsService, EventHandOff, OutboxRepository } from '@tocsin/declarations';
import { JOB, JobQueues } from '@tocsin/queue';

/**
 * How often the relay looks for due events: the outbox row is also the timer, so this is its precision.
 * An event written for now does not wait for it: its act hands it on itself (EventHandOff), and its
 * transaction notifies the relays, which take it if the act could not.
 */
export const RELAY_INTERVAL_MS = 250;
/**
 * How long the events an act wrote for now are left to it: the act hands them on itself (EventHandOff), in
 * a few milliseconds; a pass taking them meanwhile would queue, mark and announce them a second time, beside
 * the fan-out it is about to start (under a stream of alerts, every alert's).
 */
export const HAND_OFF_GRACE_MS = 200;
/**
 * How long a pass woken by a commit waits: until what woke it is no longer the act's to hand on, so that a
 * pass finds what the act could not hand on (Redis away, the process killed), and a stream of alerts
 * wakes a pass every so often rather than one an alert.
 */
export const AFTER_COMMIT_MS = HAND_OFF_GRACE_MS;
const RELAY_PAGE = 200;

/**
 * Moves due outbox events to the queue as fan-out jobs (an act hands its own events now on itself, see
 * EventHandOff; this is what relays them if that failed). An event written ahead of time (a scheduled start,
 * an expiry) is rendered when it falls due. If Redis is away nothing is marked relayed, and the next pass
 * tries again: an accepted declaration is delivered once Redis is back. Several relays may run (one per
 * worker); the fan-out job id is the event id, so they never fan out twice.
 */
@Injectable()
export class OutboxRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  /** A notification came during a pass: what it announced may have been written after the pass looked. */
  private woken = false;
  /**
   * The pass now scheduled is a woken one: a later commit must not push it back (under a steady stream of
   * commits it would never run).
   */
  private passSoon = false;
  private listening: Promise<() => Promise<void>> | null = null;
  /** The last failure to enqueue, so that a Redis outage is logged once, not four times a second. */
  private lastError: string | null = null;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly dueEvents: DueEventsService,
    private readonly queues: JobQueues,
    private readonly clock: Clock,
    private readonly handOff: EventHandOff,
    @Inject(DATABASE_NOTIFICATIONS) private readonly notifications: DatabaseNotifications,
  ) {}

  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setTimeout(() => this.tick(), 0);
    this.listening = this.notifications.listen(OUTBOX_CHANNEL, () => this.wake());
    await this.listening;
  }

  // Before connections close: a pass in flight finishes first.
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Awaited even if it is still connecting: a listening connection left open would keep the process alive.
    const unlisten = await this.listening;
    await unlisten?.();
    await this.running;
  }

  private tick(): void {
    this.passSoon = false;
    this.running = this.relayDue()
      .catch((error: unknown) => this.logger.error(`relay pass failed: ${describeError(error)}`))
      .finally(() => {
        this.running = null;
        if (this.timer) {
          this.passSoon = this.woken;
          this.timer = setTimeout(() => this.tick(), this.woken ? AFTER_COMMIT_MS : RELAY_INTERVAL_MS);
        }
        this.woken = false;
      });
  }

  /** An outbox event was committed: look in a moment rather than at the next poll. */
  private wake(): void {
    if (!this.timer) return; // stopping
    if (this.running) {
      this.woken = true;
      return;
    }
    if (this.passSoon) return;
    clearTimeout(this.timer);
    this.passSoon = true;
    this.timer = setTimeout(() => this.tick(), AFTER_COMMIT_MS);
  }

  /** One pass: relays every event due by now; returns how many went to the queue. */
  async relayDue(): Promise<number> {
    let relayed = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.outbox.due(now, RELAY_PAGE, new Date(now.getTime() - HAND_OFF_GRACE_MS));
      if (!due.length) return relayed;
      const ready: AnnouncedOutboxEvent[] = [];
      // Fanned out already: the act handed it to the queue itself (EventHandOff) and its mark did not follow
      // yet. Adding it again would run its finished job again.
      const fannedOut = new Set<string>();
      for (const { eventId, position, payload, fannedOut: done } of due) {
        if (done) fannedOut.add(eventId);
        if (payload) ready.push({ position, event: payload });
        else {
          const rendered = await this.dueEvents.render(eventId);
          if (rendered.kind === 'ready') ready.push({ position, event: rendered.event });
        }
      }
      try {
        await this.queues.addBulk(
          JOB.fanOut,
          ready
            .filter(({ event }) => !fannedOut.has(event.data.eventId))
            .map(({ event }) => ({ data: { eventId: event.data.eventId } })),
        );
      } catch (error) {
        const reason = describeError(error);
        if (reason !== this.lastError)
          this.logger.warn(`cannot hand events to the queue, will retry: ${reason}`);
        this.lastError = reason;
        return relayed;
      }
      if (this.lastError) this.logger.log('the queue takes events again');
      this.lastError = null;
      // Marked relayed, and announced live by whichever of this pass and the act's hand-off marked it.
      await this.handOff.relayed(ready);
      relayed += ready.length;
      if (due.length < RELAY_PAGE) return relayed;
    }
  }
}
