import { loadConfig } from '@tocsin/config';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CapFetcher } from './cap-fetcher';

describe('CapFetcher', () => {
  let server: Server;
  let base: string;
  const fetcher = (env: Record<string, string> = {}) =>
    new CapFetcher(
      loadConfig({
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_TIMEOUT_MS: '500',
        INGEST_MAX_BYTES: '2048',
        ...env,
      }),
    );

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/doc') {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        return void res
          .writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 05 Jan 2026 04:30:00 GMT' })
          .end('<alert/>');
      }
      if (req.url === '/chunked') {
        // No content-length: the limit is found while reading.
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write('x'.repeat(1000));
        return void res.end();
      }
      if (req.url === '/slow') return; // never answers
      if (req.url === '/trickle') {
        // Answers at once, then a byte every 100 ms for ever: no gap is long enough to time out.
        res.writeHead(200);
        const drip = setInterval(() => res.write('x'), 100);
        res.on('close', () => clearInterval(drip));
        return;
      }
      if (req.url === '/moved') return void res.writeHead(302, { location: '/doc' }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers the body and its validators, then not-modified for a conditional GET with them', async () => {
    const f = fetcher();
    const first = await f.get(`${base}/doc`);
    expect(first).toEqual({
      kind: 'ok',
      status: 200,
      body: Buffer.from('<alert/>'),
      validators: { etag: '"v1"', lastModified: 'Mon, 05 Jan 2026 04:30:00 GMT' },
    });
    expect(await f.get(`${base}/doc`, { etag: '"v1"', lastModified: null })).toEqual({
      kind: 'not-modified',
      status: 304,
    });
    await f.onModuleDestroy();
  });

  it('stops reading past INGEST_MAX_BYTES, times out a silent server, follows no redirect', async () => {
    const f = fetcher();
    expect(await f.get(`${base}/chunked`)).toEqual({
      kind: 'failed',
      status: 200,
      error: 'larger than INGEST_MAX_BYTES (2048 bytes)',
    });
    expect(await f.get(`${base}/slow`)).toEqual({
      kind: 'failed',
      status: null,
      error: 'no answer within 500 ms',
    });
    expect(await f.get(`${base}/moved`)).toEqual({ kind: 'failed', status: 302, error: 'answered 302' });
    await f.onModuleDestroy();
  });

  it('ends an answer that trickles in within twice the timeout, saying it came incomplete', async () => {
    const f = fetcher();
    expect(await f.get(`${base}/trickle`)).toEqual({
      kind: 'failed',
      status: null,
      error: 'no complete answer within 1000 ms',
    });
    await f.onModuleDestroy();
  });

  it('refuses private and non-http targets without WEBHOOK_ALLOW_PRIVATE, before connecting', async () => {
    const f = fetcher({ WEBHOOK_ALLOW_PRIVATE: 'false' });
    for (const url of [
      `${base}/doc`,
      'https://127.0.0.1/doc',
      'https://localhost/doc',
      'file:///etc/hostname',
    ]) {
      const result = await f.get(url);
      expect(result).toMatchObject({
        kind: 'failed',
        status: null,
        error: expect.stringMatching(/^the URL /),
      });
    }
    await f.onModuleDestroy();
  });
});
