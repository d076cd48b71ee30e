import { AddressInfo, connect, Socket } from 'node:net';
import { tables } from '@tocsin/database';
import { StreamService } from '@tocsin/stream';
import { sql } from 'drizzle-orm';
import { eventually, stillAfter } from './support/eventually';
import { SseClient } from './support/sse-client';
import { ADMIN_KEY, startTestApp, TestApp } from './support/test-app';

const TIMEOUT_MS = 1000;

/** A raw connection, to send a request as slowly as a slow client would. */
class RawConnection {
  received = '';
  closedAt: number | null = null;
  private readonly socket: Socket;
  private readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.socket.on('error', () => undefined); // the server's reset shows as a close
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.closedAt = Date.now();
        resolve();
      }),
    );
  }

  send(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  /** Sends `byte` every `everyMs` until the server closes the connection; fails past `withinMs`. */
  async trickle(byte: string, everyMs: number, withinMs: number): Promise<void> {
    const drip = setInterval(() => this.send(byte), everyMs);
    try {
      await Promise.race([
        this.closed,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`still open after ${withinMs} ms`)), withinMs),
        ),
      ]);
    } finally {
      clearInterval(drip);
    }
  }

  /** Resolves once `received` satisfies `condition`; fails past `withinMs`. */
  async until(condition: (received: string) => boolean, withinMs: number): Promise<void> {
    const seen = await eventually(
      () => ({ received: this.received, closed: this.closedAt !== null }),
      ({ received, closed }) => condition(received) || closed,
      { timeoutMs: withinMs, intervalMs: 20, what: 'such an answer' },
    );
    if (!condition(seen.received))
      throw new Error(`closed before such an answer; got ${JSON.stringify(seen.received)}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('request and header timeouts (REQUEST_TIMEOUT_MS)', () => {
  let test: TestApp;
  let port: number;
  const connections: RawConnection[] = [];
  const open = () => {
    const connection = new RawConnection(port);
    connections.push(connection);
    return connection;
  };
  const declarationCount = async () =>
    (await test.db.select({ n: sql<number>`count(*)::int` }).from(tables.declarations))[0].n;

  beforeAll(async () => {
    test = await startTestApp('postgres', { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
    await test.app.listen(0, '127.0.0.1');
    port = (test.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(() => {
    for (const connection of connections.splice(0)) connection.close();
  });
  afterAll(() => test?.close());

  it('closes a POST whose body trickles in, with a 408 problem, and changes nothing', async () => {
    const before = await declarationCount();
    const connection = open();
    const startedAt = Date.now();
    connection.send(
      'POST /v1/declarations HTTP/1.1\r\nHost: tocsin\r\n' +
        `Authorization: Bearer ${ADMIN_KEY}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{`,
    );
    await connection.trickle(' ', 200, 4 * TIMEOUT_MS);

    const elapsedMs = connection.closedAt! - startedAt;
    expect({ elapsedMs, atLeastTheTimeout: elapsedMs >= TIMEOUT_MS - 50 }).toEqual({
      elapsedMs,
      atLeastTheTimeout: true,
    });
    const [head, body] = connection.received.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json; charset=utf-8(\r\n|$)/i);
    expect(JSON.parse(body)).toEqual({
      type: 'https://tocsin.dev/problems/request-timeout',
      title: 'Request Timeout',
      status: 408,
      detail: `The request did not arrive in full within ${TIMEOUT_MS} ms.`,
    });
    expect(await declarationCount()).toBe(before);
  });

  it('closes a connection whose headers trickle in', async () => {
    const connection = open();
    connection.send('GET /health/live HTTP/1.1\r\nHost: tocsin\r\n');
    await connection.trickle('X-Slow: 1\r\n', 200, 4 * TIMEOUT_MS);
    expect(connection.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('keeps an idle keep-alive connection for the next request, however long after the timeout', async () => {
    const connection = open();
    const get = 'GET /health/live HTTP/1.1\r\nHost: tocsin\r\n\r\n';
    const answers = (n: number) => (received: string) =>
      (received.match(/HTTP\/1\.1 200 OK/g) ?? []).length >= n;
    connection.send(get);
    await connection.until(answers(1), 2000);
    // Only the passing of time is under test here: idle past the timeout and past one check of Node's.
    await stillAfter(
      2.5 * TIMEOUT_MS,
      () => connection.closedAt,
      (closedAt) => closedAt === null,
      { what: 'the idle connection open' },
    );
    connection.send(get);
    await connection.until(answers(2), 2000);
    expect(connection.closedAt).toBeNull();
  });

  it('leaves an SSE stream open long past the timeout: the request has arrived, the answer is long', async () => {
    const stream = test.app.get(StreamService);
    stream.heartbeatMs = 300;
    const client = await SseClient.connect(`http://127.0.0.1:${port}/v1/stream`);
    try {
      const openedAt = Date.now();
      await client.until(() => Date.now() - openedAt > 3 * TIMEOUT_MS, 6 * TIMEOUT_MS, 'three timeouts');
      expect(client.ended).toBe(false);
      expect(client.comments.length).toBeGreaterThanOrEqual(8);
    } finally {
      client.close();
      stream.heartbeatMs = 15_000;
    }
  });
});
