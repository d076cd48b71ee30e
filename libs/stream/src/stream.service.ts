import type { ServerResponse } from 'node:http';
import {
  BeforeApplicationShutdown,
  HttpException,
  HttpStatus,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { requireArea } from '@tocsin/areas';
import { AppConfig } from '@tocsin/config';
import { OutboxRepository } from '@tocsin/declarations';
import { AnnouncedEvent, catchUp } from './catch-up';
import { eventConcernsArea } from './event-area';
import { LiveEvents, LiveEventsListener } from './live-events.service';
import { HEARTBEAT, RETRY_FIELD, sseMessage } from './sse';

/** Between heartbeats: well under the minute after which proxies commonly drop an idle connection. */
export const HEARTBEAT_MS = 15_000;

/**
 * The most events a resuming client is sent from the database on one connection. A client further behind
 * gets this many, then the stream ends and its reconnection asks for the next ones.
 */
export const CATCH_UP_LIMIT = 1000;

/** A client that reads slower than events come is cut off past this; it resumes from the database. */
const MAX_UNSENT_BYTES = 1 << 20;

/** When a client refused for a full limit may try again: streams are long-lived, a slot frees when one ends. */
export const STREAM_RETRY_AFTER_SECONDS = 30;

/** A stream refused because its client (429) or the whole process (503) has the most open streams allowed. */
export class TooManyStreams extends HttpException {
  /** Sent as Retry-After. */
  readonly retryAfterSeconds = STREAM_RETRY_AFTER_SECONDS;
}

export interface StreamRequest {
  /** An area code as given (old codes such as KZ-ALA too); absent = every area. */
  area?: string;
  /** The last event the client saw (Last-Event-ID), to resume after; null = from now on. */
  lastEventId: number | null;
  /** The client's address, for STREAM_MAX_PER_CLIENT. */
  client: string;
}

/**
 * Server-Sent Events of `threat_level.changed`, from the database and then live: `prepare` does everything
 * that can fail (so that a failure is still a problem response), then the controller hands the connection
 * to `serve`.
 */
@Injectable()
export class StreamService implements BeforeApplicationShutdown {
  /** Between heartbeats; tests shorten it. */
  heartbeatMs = HEARTBEAT_MS;
  private readonly streams = new Set<EventStream>();
  /** Open streams by client address; a client without any has no entry. */
  private readonly streamsPerClient = new Map<string, number>();
  private closing = false;

  constructor(
    private readonly live: LiveEvents,
    private readonly outbox: OutboxRepository,
    private readonly config: AppConfig,
  ) {}

  /** Streams open now, or being prepared. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Resolves the area, takes a slot, starts holding live events, then reads what the client missed. */
  async prepare(request: StreamRequest): Promise<EventStream> {
    if (this.closing) throw new ServiceUnavailableException('This server is shutting down; connect again.');
    const area = request.area === undefined ? undefined : requireArea(request.area);
    // Counted from here, before any await, so that simultaneous connections cannot pass a limit together.
    this.takeSlot(request.client);
    // Holding live events before reading the database leaves no gap between the two.
    const stream = new EventStream(area?.code, request.lastEventId, this.heartbeatMs, (ended) => {
      this.streams.delete(ended);
      this.freeSlot(request.client);
    });
    stream.listenTo(this.live);
    this.streams.add(stream);
    try {
      const backlog =
        request.lastEventId === null
          ? []
          : await this.outbox.announcedAfter(request.lastEventId, area?.code, CATCH_UP_LIMIT);
      stream.caughtUp(backlog, backlog.length === CATCH_UP_LIMIT);
      return stream;
    } catch (error) {
      stream.end();
      throw error;
    }
  }

  private takeSlot(client: string): void {
    const ofClient = this.streamsPerClient.get(client) ?? 0;
    if (ofClient >= this.config.streamMaxPerClient) {
      throw new TooManyStreams(
        `This client already has ${ofClient} open streams, the most allowed; close one, or try again later.`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (this.streams.size >= this.config.streamMax) {
      throw new TooManyStreams(
        `This server has ${this.streams.size} open streams, the most it allows; try again later.`,
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    this.streamsPerClient.set(client, ofClient + 1);
  }

  private freeSlot(client: string): void {
    const left = (this.streamsPerClient.get(client) ?? 1) - 1;
    if (left > 0) this.streamsPerClient.set(client, left);
    else this.streamsPerClient.delete(client);
  }

  /** Sends what the client missed, then live events and heartbeats until it leaves or the app stops. */
  serve(stream: EventStream, connection: ServerResponse): void {
    stream.serve(connection);
  }

  // Open streams would hold the HTTP server's close forever: end them (one still reading its backlog ends
  // once it has sent it), and refuse new ones. Their clients reconnect, to another process.
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const stream of [...this.streams]) stream.interrupted();
  }
}

/** One client's stream: holds live events until its catch-up is written, then writes them as they come. */
export class EventStream implements LiveEventsListener {
  private stopListening: () => void = () => undefined;
  private held: AnnouncedEvent[] | null = [];
  private backlog: AnnouncedEvent[] = [];
  /** What the catch-up sent, so that a late announcement of the same event is not sent again. */
  private readonly sent = new Set<number>();
  /** The stream must end after its catch-up: more is waiting in the database, or announcements were lost. */
  private endAfterCatchUp = false;
  private connection: ServerResponse | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly areaCode: string | undefined,
    private readonly lastEventId: number | null,
    private readonly heartbeatMs: number,
    private readonly onEnd: (stream: EventStream) => void,
  ) {}

  listenTo(live: LiveEvents): void {
    this.stopListening = live.listen(this);
  }

  caughtUp(backlog: AnnouncedEvent[], more: boolean): void {
    this.backlog = backlog;
    if (more) this.endAfterCatchUp = true;
  }

  announced(event: AnnouncedEvent): void {
    if (this.ended || !eventConcernsArea(event.event, this.areaCode)) return;
    if (this.held) this.held.push(event);
    else if (!this.sent.has(event.position)) this.write(sseMessage(event));
  }

  // Its client reconnects and resumes from the database, which has every announced event.
  interrupted(): void {
    if (this.connection) this.end();
    else this.endAfterCatchUp = true;
  }

  serve(connection: ServerResponse): void {
    this.connection = connection;
    if (this.ended || connection.destroyed) return this.end(); // e.g. the client left during the catch-up
    connection.on('close', () => this.end());
    const events = catchUp(this.backlog, this.endAfterCatchUp ? [] : (this.held ?? []), this.lastEventId);
    this.held = null;
    this.backlog = [];
    for (const event of events) this.sent.add(event.position);
    this.write(RETRY_FIELD + events.map(sseMessage).join(''));
    // The catch-up may have ended the stream already (a client that does not read it): no heartbeat then.
    if (this.endAfterCatchUp || this.ended) return this.end();
    this.heartbeat = setInterval(() => this.write(HEARTBEAT), this.heartbeatMs).unref();
  }

  end(): void {
    if (this.connection && !this.connection.destroyed && !this.connection.writableEnded)
      this.connection.end();
    if (this.ended) return;
    this.ended = true;
    this.stopListening();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.onEnd(this);
  }

  private write(text: string): void {
    if (!this.connection || this.ended) return;
    this.connection.write(text);
    if (this.connection.writableLength > MAX_UNSENT_BYTES) this.end();
  }
}
