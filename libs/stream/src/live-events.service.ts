import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { liveEventsChannel, REDIS } from '@tocsin/queue';
import type Redis from 'ioredis';
import type { AnnouncedEvent } from './catch-up';
import { parseAnnouncement } from './sse';

/** What a connected stream hears from LiveEvents. */
export interface LiveEventsListener {
  /** An event the outbox relay (of any worker) announced. */
  announced(event: AnnouncedEvent): void;
  /** The subscription was lost and is back: announcements may have been missed meanwhile. */
  interrupted(): void;
}

/**
 * The events the outbox relay announces on Redis, fanned out in this process to every open stream: one
 * subscriber connection per API process however many clients are connected. Events come through Redis, not
 * this process's memory, so a client of any API process hears what any worker relayed.
 */
@Injectable()
export class LiveEvents implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LiveEvents.name);
  private readonly listeners = new Set<LiveEventsListener>();
  private subscriber: Redis | null = null;
  /** The error of the current outage, so that a Redis outage is logged once, not on every retry. */
  private lastError: string | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const channel = liveEventsChannel(this.config.queuePrefix);
    // A connection in subscriber mode can run no other command, so the stream has one of its own. It
    // reconnects by itself; we subscribe again ourselves, so as to know when announcements flow again.
    const subscriber = this.redis.duplicate({
      lazyConnect: true,
      autoResubscribe: false,
      connectionName: `${this.config.queuePrefix}:live-events`,
    });
    subscriber.on('error', (error: Error) => {
      if (error.message !== this.lastError) this.logger.warn(`live events subscriber: ${error.message}`);
      this.lastError = error.message;
    });
    subscriber.on('message', (_channel: string, text: string) => this.announce(text));
    await subscriber.connect();
    await subscriber.subscribe(channel);
    subscriber.on('ready', () => void this.resubscribe(subscriber, channel));
    this.subscriber = subscriber;
  }

  onApplicationShutdown(): void {
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  /** Starts telling `listener`; the function returned stops it. */
  listen(listener: LiveEventsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(text: string): void {
    const event = parseAnnouncement(text);
    if (!event) {
      this.logger.warn(
        `ignored a message on the live events channel that is not an event: ${text.slice(0, 80)}`,
      );
      return;
    }
    for (const listener of this.listeners) listener.announced(event);
  }

  private async resubscribe(subscriber: Redis, channel: string): Promise<void> {
    try {
      await subscriber.subscribe(channel);
    } catch (error) {
      // The connection dropped again; its next 'ready' tries again.
      this.logger.warn(`cannot subscribe to live events again: ${(error as Error).message}`);
      return;
    }
    this.lastError = null;
    this.logger.log('live events flow again; open streams resume from the database');
    for (const listener of [...this.listeners]) listener.interrupted();
  }
}
