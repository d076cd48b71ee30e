import { get, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { StreamService } from '@tocsin/stream';
import { eventually } from './support/eventually';
import { SseClient, ReceivedEvent } from './support/sse-client';
import { createKey, startTestApp, TestApp } from './support/test-app';

interface Declared {
  id: string;
}
interface StreamedEvent {
  type: string;
  data: { eventId: string; declaration: { id: string }; changes: { area: { code: string } }[] };
}

const KAZAKHSTAN = { scheme: 'kz-terror', level: 'red', areas: ['KZ'] };
// Another scheme than KAZAKHSTAN's: under a countrywide red, an orange for Almaty would change no level.
const ALMATY = { scheme: 'travel-advisory', level: '4', areas: ['KZ-75'] };
const BRITAIN = { scheme: 'uk-terror', level: 'severe', areas: ['GB'] };

const dataOf = (event: ReceivedEvent) => JSON.parse(event.data) as StreamedEvent;
const declarationOf = (event: ReceivedEvent) => dataOf(event).data.declaration.id;
const baseUrlOf = (test: TestApp) =>
  `http://127.0.0.1:${(test.app.getHttpServer().address() as AddressInfo).port}`;

describe('GET /v1/stream: threat-level changes as Server-Sent Events', () => {
  let test: TestApp;
  let publisher: string;
  let baseUrl: string;
  const clients: SseClient[] = [];

  const connect = async (path = '/v1/stream', headers: Record<string, string> = {}, base = baseUrl) => {
    const client = await SseClient.connect(`${base}${path}`, headers);
    clients.push(client);
    return client;
  };
  const declare = async (
    change: { scheme: string; level: string; areas: string[]; mode?: string },
    on: TestApp = test,
  ): Promise<string> => {
    const response = await on.http
      .post('/v1/declarations')
      .set(on.as(publisher))
      .send({ ...change, headline: 'Stream test', summary: 'Live.', authority: 'Anti-Terrorist Centre' })
      .expect(201);
    return (response.body as Declared).id;
  };

  beforeAll(async () => {
    test = await startTestApp('postgres');
    await test.app.listen(0, '127.0.0.1');
    baseUrl = baseUrlOf(test);
    publisher = await createKey(test, 'publisher', 'KNB duty desk');
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => test?.close());

  it('sends a declaration to a connected client within a second, as id, event and data', async () => {
    const client = await connect();
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.headers['cache-control']).toBe('no-cache');
    expect(client.headers['x-accel-buffering']).toBe('no');
    expect(client.headers['x-request-id']).toEqual(expect.any(String));

    const postedAt = Date.now();
    const id = await declare(KAZAKHSTAN);
    const event = await client.next();
    const latencyMs = event.at - postedAt;
    expect({ latencyMs, under: latencyMs < 1000 }).toEqual({ latencyMs, under: true });

    expect(client.retry).toBe(3000);
    expect(event.event).toBe('threat_level.changed');
    expect(event.id).toMatch(/^[1-9]\d*$/);
    expect(client.lines).toEqual([
      'retry: 3000',
      `id: ${event.id}`,
      'event: threat_level.changed',
      `data: ${event.data}`,
    ]);
    const data = dataOf(event);
    expect(data).toMatchObject({
      type: 'threat_level.changed',
      data: {
        eventId: expect.stringMatching(/^evt_/),
        declaration: { id },
        changes: [{ area: { code: 'KZ' } }],
      },
    });
  });

  it('never streams an exercise or a test: the stream is public', async () => {
    const client = await connect();
    await declare({ ...KAZAKHSTAN, mode: 'exercise' });
    await declare({ ...KAZAKHSTAN, mode: 'test' });
    const actual = await declare(BRITAIN);
    // The actual one came after the others: had they been streamed, they would be there first.
    expect(declarationOf(await client.next())).toBe(actual);
    expect(client.events).toHaveLength(1);
  });

  it('gives a stream of an area only the changes concerning it', async () => {
    const kazakhstan = await connect('/v1/stream?area=KZ');
    const britain = await connect('/v1/stream?area=GB');
    const almaty = await connect('/v1/stream?area=kz-ala'); // the old code of Almaty city, KZ-75
    const kz = await declare(KAZAKHSTAN);
    const almatyOnly = await declare(ALMATY);
    const gb = await declare(BRITAIN);

    expect([await britain.next()].map(declarationOf)).toEqual([gb]);
    expect([await kazakhstan.next(), await kazakhstan.next()].map(declarationOf)).toEqual([kz, almatyOnly]);
    expect([await almaty.next(), await almaty.next()].map(declarationOf)).toEqual([kz, almatyOnly]);
    // The GB event came after the others: had they reached the wrong streams, they would be there by now.
    expect(britain.events).toHaveLength(1);
    await declare(BRITAIN);
    await britain.next();
    expect(kazakhstan.events).toHaveLength(2);
    expect(almaty.events).toHaveLength(2);
  });

  it('resumes after a dropped connection with exactly the missed events, in order, then live ones', async () => {
    const witness = await connect();
    const client = await connect();
    const first = await declare(KAZAKHSTAN);
    const seen = await client.next();
    expect(declarationOf(seen)).toBe(first);
    await witness.next();
    client.close();

    const missed = [await declare(ALMATY), await declare(KAZAKHSTAN)];
    // Announced while the client was away: the witness saw both.
    const announced = [await witness.next(), await witness.next()];
    expect(announced.map(declarationOf)).toEqual(missed);

    const resumed = await connect('/v1/stream', { 'last-event-id': seen.id! });
    const caughtUp = [await resumed.next(), await resumed.next()];
    expect(caughtUp.map((e) => [e.id, declarationOf(e)])).toEqual(
      announced.map((e) => [e.id, declarationOf(e)]),
    );
    const live = await declare(BRITAIN);
    expect(declarationOf(await resumed.next())).toBe(live);
    expect(resumed.events).toHaveLength(3);
  });

  it('resumes from ?lastEventId= for clients that cannot set headers, filtered by area', async () => {
    const witness = await connect();
    await declare(BRITAIN);
    const from = (await witness.next()).id!;
    const kz = await declare(KAZAKHSTAN);
    await declare(BRITAIN);
    const almaty = await declare(ALMATY);
    await witness.until(() => witness.events.length === 4, 2000, 'three more events');

    const resumed = await connect(`/v1/stream?area=KZ&lastEventId=${from}`);
    expect([await resumed.next(), await resumed.next()].map(declarationOf)).toEqual([kz, almaty]);
    // The header, sent by an EventSource when it reconnects, is newer than the query of its first connection.
    const byHeader = await connect(`/v1/stream?area=KZ&lastEventId=${from}`, {
      'last-event-id': witness.events[3].id!,
    });
    const live = await declare(KAZAKHSTAN);
    expect(declarationOf(await byHeader.next())).toBe(live);
  });

  it('keeps an idle connection alive with heartbeat comments', async () => {
    const stream = test.app.get(StreamService);
    stream.heartbeatMs = 50;
    try {
      const client = await connect();
      await client.until(() => client.comments.length >= 2, 2000, 'two heartbeats');
      expect(client.comments.slice(0, 2)).toEqual(['heartbeat', 'heartbeat']);
    } finally {
      stream.heartbeatMs = 15_000;
    }
  });

  it('answers a malformed or unknown area, or a malformed Last-Event-ID, with a problem before streaming', async () => {
    const unknown = await test.http.get('/v1/stream?area=ZZ').expect(404);
    expect(unknown.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(unknown.body).toMatchObject({ status: 404, detail: expect.stringContaining('"ZZ"') });
    await test.http.get('/v1/stream?area=not%20an%20area').expect(400);
    const header = await test.http.get('/v1/stream').set('last-event-id', 'abc').expect(400);
    expect(header.body.errors).toEqual([{ field: 'Last-Event-ID', message: expect.any(String) }]);
    const query = await test.http.get('/v1/stream?lastEventId=-1').expect(400);
    expect(query.body.errors).toEqual([{ field: 'lastEventId', message: expect.any(String) }]);
  });

  it('documents the route as text/event-stream in the OpenAPI document', async () => {
    const { paths } = (await test.http.get('/openapi.json').expect(200)).body;
    const operation = paths['/v1/stream'].get;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    expect(operation.responses['200'].description).toContain('Last-Event-ID');
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'Last-Event-ID',
      'area',
      'lastEventId',
    ]);
  });

  describe('with two API processes', () => {
    let other: TestApp;

    beforeAll(async () => {
      // Same database and Redis prefix, API only: what a second replica behind a load balancer is.
      other = await startTestApp(
        'postgres',
        { DATABASE_URL: test.config.databaseUrl!, QUEUE_PREFIX: test.config.queuePrefix },
        'api',
      );
      await other.app.listen(0, '127.0.0.1');
    });
    afterAll(() => other?.close());

    it('gives a client of one process the events declared through the other', async () => {
      const client = await connect('/v1/stream?area=KZ', {}, baseUrlOf(other));
      const postedAt = Date.now();
      const id = await declare(KAZAKHSTAN);
      const event = await client.next();
      expect(declarationOf(event)).toBe(id);
      expect(event.at - postedAt).toBeLessThan(1000);
    });

    it('ends open streams when its app closes, so that closing is not held up', async () => {
      const third = await startTestApp(
        'postgres',
        { DATABASE_URL: test.config.databaseUrl!, QUEUE_PREFIX: test.config.queuePrefix },
        'api',
      );
      await third.app.listen(0, '127.0.0.1');
      const client = await connect('/v1/stream', {}, baseUrlOf(third));
      const started = Date.now();
      await third.close();
      expect(Date.now() - started).toBeLessThan(2000);
      await client.end();
    });
  });
});

/** The answer to a stream request that is expected to be refused: status, headers and the problem. */
function refusal(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: { status: number; detail: string } }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode === 200) {
        request.destroy();
        return reject(new Error('the stream was opened, not refused'));
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) }),
      );
    });
    request.on('error', reject);
  });
}

describe('GET /v1/stream: connection limits (STREAM_MAX_PER_CLIENT, STREAM_MAX)', () => {
  let test: TestApp;
  let streams: StreamService;
  const clients: SseClient[] = [];
  // Behind a proxy (TRUST_PROXY), X-Forwarded-For names the client; each address below is another client.
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const open = async (address: string, on: TestApp = test) => {
    const client = await SseClient.connect(`${baseUrlOf(on)}/v1/stream`, from(address));
    clients.push(client);
    expect(client.status).toBe(200);
    return client;
  };

  beforeAll(async () => {
    test = await startTestApp('postgres', {
      STREAM_MAX_PER_CLIENT: '2',
      STREAM_MAX: '3',
      TRUST_PROXY: 'true',
    });
    await test.app.listen(0, '127.0.0.1');
    streams = test.app.get(StreamService);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    // Every test starts with no stream open: the server frees a slot once it sees the close.
    await eventually(
      () => streams.openStreams,
      (open) => open === 0,
      { timeoutMs: 2000, intervalMs: 10, what: 'every stream to be closed' },
    );
  });
  afterAll(() => test?.close());

  it('refuses a client past its limit with a 429 problem and Retry-After, and still takes other clients', async () => {
    await open('203.0.113.1');
    await open('203.0.113.1');
    const refused = await refusal(`${baseUrlOf(test)}/v1/stream`, from('203.0.113.1'));
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused.body).toMatchObject({
      status: 429,
      detail: 'This client already has 2 open streams, the most allowed; close one, or try again later.',
    });
    await open('203.0.113.2');
  });

  it('refuses any client once the server has STREAM_MAX streams, with a 503 problem and Retry-After', async () => {
    await open('203.0.113.1');
    await open('203.0.113.2');
    await open('203.0.113.3');
    const refused = await refusal(`${baseUrlOf(test)}/v1/stream`, from('203.0.113.4'));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused.body).toMatchObject({
      status: 503,
      detail: 'This server has 3 open streams, the most it allows; try again later.',
    });
  });

  it('frees the slot of a stream whose client has left, for that client and for all', async () => {
    const [first] = [await open('203.0.113.1'), await open('203.0.113.1'), await open('203.0.113.2')];
    first.close();
    // The server frees the slot once it sees the close: until then the client is still refused.
    const status = await eventually(
      async () => {
        const client = await SseClient.connect(`${baseUrlOf(test)}/v1/stream`, from('203.0.113.1'));
        clients.push(client);
        return client.status;
      },
      (answered) => answered === 200,
      { timeoutMs: 2000, intervalMs: 20, what: 'the freed slot to take the client' },
    );
    expect(status).toBe(200);
    expect(streams.openStreams).toBe(3);
  });

  it('counts a client by its own address when the proxy is not trusted: X-Forwarded-For changes nothing', async () => {
    const direct = await startTestApp('postgres', { STREAM_MAX_PER_CLIENT: '2' });
    try {
      await direct.app.listen(0, '127.0.0.1');
      await open('203.0.113.1', direct);
      await open('203.0.113.2', direct);
      const refused = await refusal(`${baseUrlOf(direct)}/v1/stream`, from('203.0.113.3'));
      expect(refused.status).toBe(429);
    } finally {
      for (const client of clients.splice(0)) client.close();
      await direct.close();
    }
  });
});
