import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { createGuardedAgent, WebhookTargetRefused } from './ssrf-guard';
import { WebhookSender } from './webhook-sender';
import { generateWebhookSecret } from './webhook-signer';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local receiver; `answer` decides what it does with each request. */
async function startReceiver(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      answer(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    received,
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

const message = (url: string, secrets = [generateWebhookSecret()]) => ({
  url,
  id: 'msg_test',
  timestamp: new Date(),
  body: JSON.stringify({ type: 'webhook.test', data: { n: 1 } }),
  secrets,
});

describe('WebhookSender against a real receiver', () => {
  const senders: WebhookSender[] = [];
  const sender = (options: ConstructorParameters<typeof WebhookSender>[0]) => {
    const made = new WebhookSender(options);
    senders.push(made);
    return made;
  };
  afterAll(() => Promise.all(senders.map((s) => s.onModuleDestroy())));

  it('POSTs the signed body with Standard Webhooks headers and reports a 2xx as delivered', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(202).end('thanks'));
    try {
      const secret = generateWebhookSecret();
      const sent = message(`${receiver.url}/hook?x=1`, [secret]);
      const result = await sender({ allowPrivate: true, timeoutMs: 2000 }).send(sent);
      expect(result).toEqual({
        ok: true,
        statusCode: 202,
        latencyMs: expect.any(Number),
        error: null,
        responseExcerpt: 'thanks',
        retryAfterSeconds: null,
      });
      const [got] = receiver.received;
      expect(got).toMatchObject({ method: 'POST', url: '/hook?x=1', body: sent.body });
      expect(got.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'Tocsin-Webhooks/1',
        'webhook-id': 'msg_test',
        'webhook-timestamp': String(Math.floor(sent.timestamp.getTime() / 1000)),
      });
      expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toEqual(
        JSON.parse(sent.body),
      );
    } finally {
      await receiver.close();
    }
  });

  it('keeps only the first kilobyte of the answer and reads Retry-After', async () => {
    const receiver = await startReceiver((_req, res) =>
      res.writeHead(429, { 'retry-after': '42' }).end('x'.repeat(100_000)),
    );
    try {
      const result = await sender({ allowPrivate: true, timeoutMs: 2000 }).send(message(receiver.url));
      expect(result).toMatchObject({
        ok: false,
        statusCode: 429,
        error: 'answered 429',
        retryAfterSeconds: 42,
      });
      expect(result.responseExcerpt).toHaveLength(1024);
    } finally {
      await receiver.close();
    }
  });

  it('does not follow a redirect', async () => {
    const target = await startReceiver((_req, res) => res.writeHead(200).end());
    const receiver = await startReceiver((_req, res) => res.writeHead(307, { location: target.url }).end());
    try {
      const result = await sender({ allowPrivate: true, timeoutMs: 2000 }).send(message(receiver.url));
      expect(result).toMatchObject({ ok: false, statusCode: 307, error: expect.stringMatching(/redirect/) });
      expect(target.received).toHaveLength(0);
    } finally {
      await Promise.all([receiver.close(), target.close()]);
    }
  });

  it('gives up on a receiver that never answers', async () => {
    const receiver = await startReceiver(() => undefined);
    try {
      const started = Date.now();
      const result = await sender({ allowPrivate: true, timeoutMs: 300 }).send(message(receiver.url));
      expect(result).toMatchObject({ ok: false, statusCode: null, error: 'no answer within 300 ms' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await receiver.close();
    }
  });

  it('reports a refused connection', async () => {
    const receiver = await startReceiver(() => undefined);
    await receiver.close();
    const result = await sender({ allowPrivate: true, timeoutMs: 1000 }).send(message(receiver.url));
    expect(result).toMatchObject({ ok: false, statusCode: null, error: 'connection refused' });
  });

  it('checks the address when it connects, on every send: a host that now resolves to loopback is refused', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    const resolve = jest.fn(async () => [{ address: '127.0.0.1', family: 4 }]);
    try {
      const guarded = sender({ allowPrivate: false, timeoutMs: 1000, resolve });
      for (let attempt = 0; attempt < 2; attempt++) {
        const result = await guarded.send(message(`https://receiver.test:${receiver.port}/`));
        expect(result).toMatchObject({
          ok: false,
          statusCode: null,
          error: 'receiver.test resolves to 127.0.0.1, a loopback address; only public addresses are allowed',
        });
      }
      expect(resolve).toHaveBeenCalledTimes(2);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it('refuses plain http when private targets are not allowed, before any connection', async () => {
    const resolve = jest.fn();
    const result = await sender({ allowPrivate: false, timeoutMs: 1000, resolve }).send(
      message('http://receiver.test/'),
    );
    expect(result.error).toMatch(/^the URL must use https/);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('refuses a private IP address at connect time even when asked directly', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    const agent = createGuardedAgent({ allowPrivate: false, timeoutMs: 1000 });
    try {
      await expect(request(receiver.url, { dispatcher: agent })).rejects.toThrow(WebhookTargetRefused);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await agent.close();
      await receiver.close();
    }
  });
});
