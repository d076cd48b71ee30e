import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { AnnouncedEvent } from './catch-up';
import type { LiveEvents, LiveEventsListener } from './live-events.service';
import { loadConfig } from '@tocsin/config';
import type { OutboxRepository } from '@tocsin/declarations';
import { CATCH_UP_LIMIT, StreamRequest, StreamService, TooManyStreams } from './stream.service';
import { announcedEvent } from './testing/announced-event';

/** LiveEvents without Redis: the test announces. */
class FakeLiveEvents {
  readonly listeners = new Set<LiveEventsListener>();
  listen(listener: LiveEventsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  announce(event: AnnouncedEvent): void {
    for (const listener of this.listeners) listener.announced(event);
  }
}

/** The part of a ServerResponse a stream uses, recording what it was sent. */
class FakeConnection extends EventEmitter {
  text = '';
  destroyed = false;
  writableEnded = false;
  writableLength = 0;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  /** The `id:` of every event sent, in order. */
  get ids(): number[] {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

const CLIENT = '192.0.2.1';

describe('StreamService', () => {
  let live: FakeLiveEvents;
  let backlog: (lastEventId: number, areaCode: string | undefined) => Promise<AnnouncedEvent[]>;
  let service: StreamService;
  const events = (...positions: number[]) => positions.map((p) => announcedEvent(p));
  const serve = async (request: Omit<StreamRequest, 'client'>, client = CLIENT) => {
    const stream = await service.prepare({ ...request, client });
    const connection = new FakeConnection();
    service.serve(stream, connection as unknown as ServerResponse);
    return connection;
  };

  beforeEach(() => {
    live = new FakeLiveEvents();
    backlog = async () => [];
    const outbox = { announcedAfter: (id: number, area: string | undefined) => backlog(id, area) };
    service = new StreamService(
      live as unknown as LiveEvents,
      outbox as unknown as OutboxRepository,
      loadConfig({ STREAM_MAX_PER_CLIENT: '2', STREAM_MAX: '3' }),
    );
  });

  it('starts with the reconnection delay, then writes live events of its area as they come', async () => {
    const connection = await serve({ area: 'KZ', lastEventId: null });
    expect(connection.text).toBe('retry: 3000\n\n');
    live.announce(announcedEvent(1, ['KZ-75']));
    live.announce(announcedEvent(2, ['GB']));
    live.announce(announcedEvent(3, ['KZ']));
    expect(connection.ids).toEqual([1, 3]);
  });

  it('sends what was announced while the backlog was read after the backlog, each event once', async () => {
    backlog = async () => {
      live.announce(announcedEvent(12)); // read from the database too
      live.announce(announcedEvent(13)); // announced after the read
      return events(11, 12);
    };
    const connection = await serve({ lastEventId: 10 });
    live.announce(announcedEvent(11)); // a late announcement of an event the backlog had
    live.announce(announcedEvent(14));
    expect(connection.ids).toEqual([11, 12, 13, 14]);
  });

  it('reads the backlog after the Last-Event-ID, for the canonical area code', async () => {
    const asked: [number, string | undefined][] = [];
    backlog = async (id, area) => (asked.push([id, area]), []);
    await serve({ area: 'kz-ala', lastEventId: 41 });
    expect(asked).toEqual([[41, 'KZ-75']]);
  });

  it('ends after a full page of backlog, so that the reconnection asks for the next page', async () => {
    backlog = async () => events(...Array.from({ length: CATCH_UP_LIMIT }, (_, i) => i + 1));
    const connection = await serve({ lastEventId: 0 });
    expect(connection.ids).toHaveLength(CATCH_UP_LIMIT);
    expect(connection.writableEnded).toBe(true);
    expect(live.listeners.size).toBe(0);
  });

  it('ends a stream whose live events were interrupted, so that it resumes from the database', async () => {
    const connection = await serve({ lastEventId: null });
    for (const listener of live.listeners) listener.interrupted();
    expect(connection.writableEnded).toBe(true);
    expect(live.listeners.size).toBe(0);
  });

  it('stops listening when the client leaves, also when it left while its backlog was read', async () => {
    const connection = await serve({ lastEventId: null });
    connection.emit('close');
    expect(live.listeners.size).toBe(0);

    const stream = await service.prepare({ lastEventId: 5, client: CLIENT });
    const gone = Object.assign(new FakeConnection(), { destroyed: true });
    service.serve(stream, gone as unknown as ServerResponse);
    expect(gone.text).toBe('');
    expect(live.listeners.size).toBe(0);
  });

  it('cuts off a client that does not read, rather than buffer for it without end', async () => {
    const connection = await serve({ lastEventId: null });
    connection.writableLength = 2 << 20;
    live.announce(announcedEvent(1));
    expect(connection.writableEnded).toBe(true);
  });

  it('answers an unknown area with 404, without listening', async () => {
    await expect(service.prepare({ area: 'ZZ', lastEventId: null, client: CLIENT })).rejects.toBeInstanceOf(
      NotFoundException,
    );
    expect(live.listeners.size).toBe(0);
  });

  it('stops listening when the backlog cannot be read', async () => {
    backlog = async () => {
      throw new Error('database away');
    };
    await expect(service.prepare({ lastEventId: 3, client: CLIENT })).rejects.toThrow('database away');
    expect(live.listeners.size).toBe(0);
  });

  it('ends every stream at shutdown and refuses new ones', async () => {
    const connections = [await serve({ lastEventId: null }), await serve({ area: 'GB', lastEventId: null })];
    service.beforeApplicationShutdown();
    expect(connections.map((c) => c.writableEnded)).toEqual([true, true]);
    expect(live.listeners.size).toBe(0);
    await expect(service.prepare({ lastEventId: null, client: CLIENT })).rejects.toBeInstanceOf(
      ServiceUnavailableException,
    );
  });

  it('ends a stream that was reading its backlog at shutdown once it has sent the backlog', async () => {
    backlog = async () => (service.beforeApplicationShutdown(), events(4, 5));
    const connection = await serve({ lastEventId: 3 });
    expect(connection.ids).toEqual([4, 5]);
    expect(connection.writableEnded).toBe(true);
    expect(live.listeners.size).toBe(0);
  });

  it('writes a heartbeat comment at its interval', async () => {
    jest.useFakeTimers();
    try {
      service.heartbeatMs = 1000;
      const connection = await serve({ lastEventId: null });
      jest.advanceTimersByTime(2500);
      expect(connection.text).toBe('retry: 3000\n\n: heartbeat\n\n: heartbeat\n\n');
      connection.emit('close');
      jest.advanceTimersByTime(5000);
      expect(connection.text.match(/heartbeat/g)).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not start a heartbeat for a stream its catch-up ended', async () => {
    jest.useFakeTimers();
    try {
      backlog = async () => events(1, 2);
      const stream = await service.prepare({ lastEventId: 0, client: CLIENT });
      // A client that reads nothing: the catch-up alone overflows what the stream keeps for it.
      const stalled = Object.assign(new FakeConnection(), { writableLength: 2 << 20 });
      service.serve(stream, stalled as unknown as ServerResponse);
      expect(stalled.writableEnded).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a client past its limit with 429, and the process past its own with 503', async () => {
    const first = [await serve({ lastEventId: null }), await serve({ lastEventId: null })];
    const refusal = await service.prepare({ lastEventId: null, client: CLIENT }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(TooManyStreams);
    expect(refusal).toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });

    await serve({ lastEventId: null }, '192.0.2.2');
    const full = await service.prepare({ lastEventId: null, client: '192.0.2.3' }).catch((e: unknown) => e);
    expect(full).toMatchObject({ status: 503, retryAfterSeconds: expect.any(Number) });

    // Every refusal left the counts as they were: a stream that closes frees one slot, for anyone.
    first[0].emit('close');
    await serve({ lastEventId: null }, '192.0.2.3');
    await expect(service.prepare({ lastEventId: null, client: '192.0.2.4' })).rejects.toMatchObject({
      status: 503,
    });
  });

  it('frees the slot of a stream that failed while reading its backlog', async () => {
    backlog = async () => {
      throw new Error('database away');
    };
    for (let i = 0; i < 3; i++)
      await expect(service.prepare({ lastEventId: 3, client: CLIENT })).rejects.toThrow('database away');
    backlog = async () => [];
    await serve({ lastEventId: 3 });
    await serve({ lastEventId: 3 });
  });
});
