import { createServer, Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { readFixture } from '../libs/ingest/src/testing/fixtures';
import { eventually } from './support/eventually';
import { freePort, MAIN, runBuilt } from './support/processes';
import { ADMIN_KEY, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

// Other authorities' CAP alerts (DESIGN.md §5.3) over HTTP: feeds served by a real local server with ETags,
// pushes with a source's key, and the hostile documents.

/** The fixtures as a publisher's server would serve them: validity moved into the present, links to here. */
class FeedServer {
  readonly requests: { path: string; ifNoneMatch?: string }[] = [];
  private readonly server: Server;
  private readonly documents = new Map<string, { body: Buffer; type: string }>();

  private constructor() {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      this.requests.push({ path, ifNoneMatch: req.headers['if-none-match'] as string | undefined });
      if (path === '/hang') return;
      if (path === '/fail') {
        res.writeHead(500).end('down');
        return;
      }
      const served = this.documents.get(path) ?? this.documents.get(`/${path.split('/').pop()}`);
      if (!served) {
        res.writeHead(404).end();
        return;
      }
      const etag = `"${served.body.length}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': served.type, etag }).end(served.body);
    });
  }

  static async start(): Promise<FeedServer> {
    const server = new FeedServer();
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  serve(path: string, body: string | Buffer, type = 'application/cap+xml'): void {
    this.documents.set(path, { body: Buffer.from(body), type });
  }

  hits(path: string) {
    return this.requests.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A fixture with its expiry far ahead, so what it declares is in force now (the fixtures are of early 2026). */
const current = (name: string) =>
  readFixture(name)
    .toString('utf8')
    .replace(/<(cap:)?expires>[^<]*<\/(cap:)?expires>/g, '<$1expires>2099-01-01T00:00:00+05:00</$2expires>');

const KZ_RULES = [
  { level: 'yellow', parameterName: 'threatLevel', parameterValue: 'yellow' },
  { level: 'orange', parameterName: 'threatLevel', parameterValue: 'orange' },
  { level: 'red', parameterName: 'threatLevel', parameterValue: 'red' },
];

describe('ingest: sources polled and pushed', () => {
  let test: TestApp;
  let feeds: FeedServer;
  let receiver: WebhookReceiver;
  const hostnameFile = readFileSync('/etc/hostname', 'utf8').trim();

  beforeAll(async () => {
    feeds = await FeedServer.start();
    receiver = await WebhookReceiver.start();
    test = await startTestApp('postgres', { SOURCE_MIN_POLL_SECONDS: '1', WEBHOOK_TIMEOUT_MS: '1500' });
    const atom = readFixture('alerts.atom.xml')
      .toString('utf8')
      .replace('https://mirror.example.kz', feeds.base);
    feeds.serve('/cap/feed.atom', atom, 'application/atom+xml');
    const rss = readFixture('alerts.rss.xml')
      .toString('utf8')
      .replace('https://cdn.example.org', feeds.base)
      .replace('https://alerts.example.org/cap/old.cap.xml', `${feeds.base}/missing.cap.xml`);
    feeds.serve('/rss/feed.rss', rss, 'application/rss+xml');
    for (const name of ['kz-alert.cap.xml', 'kz-update.cap.xml', 'kz-cancel.cap.xml']) {
      feeds.serve(`/${name}`, current(name));
    }
    feeds.serve(
      '/big/one.cap.xml',
      `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">${' '.repeat(5 * 1024 * 1024)}</alert>`,
    );
  });
  afterAll(async () => {
    await test?.close();
    await feeds?.close();
    await receiver?.close();
  });

  const createSource = async (body: Record<string, unknown>) =>
    (await test.http.post('/v1/sources').set(test.as()).send(body).expect(201)).body;
  const source = async (id: string) =>
    (await test.http.get(`/v1/sources/${id}`).set(test.as()).expect(200)).body;
  const items = async (id: string) =>
    (await test.http.get(`/v1/sources/${id}/items?limit=200`).set(test.as()).expect(200)).body.items as {
      identifier: string | null;
      outcome: string;
      reason: string | null;
      declarationIds: string[];
    }[];
  const poll = (id: string) => test.http.post(`/v1/sources/${id}/poll`).set(test.as()).expect(202);
  const declaration = async (id: string) => (await test.http.get(`/v1/declarations/${id}`).expect(200)).body;

  it('imports an Atom feed oldest first: Alert, Update superseding it, Cancel cancelling; with origin, levels, areas, webhooks; re-polls are 304s', async () => {
    await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url('/hook'), areas: ['KZ'] })
      .expect(201);
    const atom = await createSource({
      name: 'KNB Atom',
      kind: 'cap-feed',
      url: `${feeds.base}/cap/feed.atom`,
      pollSeconds: 3600,
      scheme: 'kz-terror',
      levelRules: KZ_RULES,
    });
    expect(atom).toMatchObject({ kind: 'cap-feed', scheme: 'kz-terror', pollSeconds: 3600 });
    expect(atom.pushKey).toBeUndefined();
    await poll(atom.id);
    const seen = await eventually(
      () => source(atom.id),
      (s) => s.counts.seen === 3 && s.lastFetchedAt !== null,
      {
        what: 'three documents',
        timeoutMs: 20_000,
      },
    );
    expect(seen).toMatchObject({ lastStatus: 200, lastError: null, counts: { seen: 3, imported: 3 } });
    const listed = await items(atom.id);
    const byId = Object.fromEntries(listed.map((i) => [i.identifier, i]));
    const alertId = byId['KZ-KNB-2026-0142'].declarationIds[0];
    const updateId = byId['KZ-KNB-2026-0143'].declarationIds[0];
    expect(byId['KZ-KNB-2026-0150'].declarationIds).toEqual([updateId]);
    // Valid against the schema: nothing to report.
    expect(listed.map((i) => i.reason)).toEqual([null, null, null]);

    const alert = await declaration(alertId);
    expect(alert).toMatchObject({
      status: 'superseded',
      scheme: 'kz-terror',
      level: { code: 'yellow' },
      language: 'kk-KZ',
      origin: {
        sourceId: atom.id,
        sourceName: 'KNB Atom',
        sender: 'atc@knb.kz',
        identifier: 'KZ-KNB-2026-0142',
        sent: '2026-01-05T09:30:00+05:00',
      },
      createdBy: 'source KNB Atom',
    });
    expect(alert.areas.map((a: { code: string }) => a.code).sort()).toEqual(['KZ-19', 'KZ-75']);
    expect(Object.keys(alert.translations)).toEqual(['ru-KZ']);
    const update = await declaration(updateId);
    expect(update).toMatchObject({ status: 'cancelled', level: { code: 'orange' } });

    const origin = await test.http.get(`/v1/declarations/${alertId}/origin.xml`).expect(200);
    expect(origin.headers['content-type']).toMatch(/^application\/cap\+xml/);
    expect(origin.text).toBe(current('kz-alert.cap.xml'));
    await test.http.get(`/v1/declarations/${alertId}/cap`).expect(200);

    // declared yellow, escalated to orange, then cancelled: each reaches the webhook.
    await receiver.waitFor(() => receiver.at('/hook').length >= 3, 20_000, 'three events');
    const events = receiver.at('/hook').map((r) => JSON.parse(r.body).data);
    expect(events.map((e) => e.cause)).toEqual(expect.arrayContaining(['declared', 'cancelled']));
    // The payload's declaration says where it came from.
    expect(events.find((e) => e.declaration.id === alertId)?.declaration.origin).toEqual(alert.origin);

    const before = feeds.hits('/cap/feed.atom').length;
    await poll(atom.id);
    await eventually(
      () => feeds.hits('/cap/feed.atom').length,
      (n) => n > before,
      { what: 'a second poll' },
    );
    const again = await eventually(
      () => source(atom.id),
      (s) => s.lastStatus === 304,
      { what: 'a 304' },
    );
    expect(again.counts).toEqual({ seen: 3, imported: 3, duplicates: 0, rejected: 0 });
    expect(feeds.hits('/cap/feed.atom').at(-1)?.ifNoneMatch).toBeDefined();
  });

  it('imports nothing twice from an RSS feed of the same documents, and lists what it could not fetch', async () => {
    const rss = await createSource({
      name: 'KNB RSS',
      kind: 'cap-feed',
      url: `${feeds.base}/rss/feed.rss`,
      pollSeconds: 3600,
      scheme: 'kz-terror',
      levelRules: KZ_RULES,
    });
    await poll(rss.id);
    const done = await eventually(
      () => source(rss.id),
      (s) => s.counts.seen === 3 && s.lastFetchedAt !== null,
      {
        what: 'three documents',
        timeoutMs: 20_000,
      },
    );
    // The Atom source may have imported these documents already; either way each is imported once in all.
    expect(done.counts.imported + done.counts.duplicates).toBe(2);
    expect(done.counts.rejected).toBe(1);
    expect(done.lastError).toMatch(/missing\.cap\.xml: answered 404/);
    const listed = await items(rss.id);
    expect(
      listed
        .filter((i) => i.outcome !== 'rejected')
        .map((i) => i.identifier)
        .sort(),
    ).toEqual(['KZ-KNB-2026-0142', 'KZ-KNB-2026-0143']);
    const imported = await test.http.get('/v1/declarations?limit=200').expect(200);
    const alerts = imported.body.items.filter(
      (d: { origin: { identifier: string } | null }) => d.origin?.identifier === 'KZ-KNB-2026-0142',
    );
    expect(alerts).toHaveLength(1);
  });

  it('shows the error of a source that answers 500 or hangs, while another keeps importing', async () => {
    const make = (name: string, path: string) =>
      createSource({
        name,
        kind: 'cap-feed',
        url: `${feeds.base}${path}`,
        pollSeconds: 3600,
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
      });
    const failing = await make('failing', '/fail');
    const hanging = await make('hanging', '/hang');
    feeds.serve(
      '/fresh/one.cap.xml',
      current('kz-alert.cap.xml').replace(/KZ-KNB-2026-0142/g, 'KZ-KNB-2026-0999'),
    );
    const healthy = await make('healthy', '/fresh/one.cap.xml');
    await Promise.all([poll(hanging.id), poll(failing.id), poll(healthy.id)]);
    const ok = await eventually(
      () => source(healthy.id),
      (s) => s.counts.imported === 1,
      {
        what: 'the healthy source importing',
      },
    );
    expect(ok.lastError).toBeNull();
    const failed = await eventually(
      () => source(failing.id),
      (s) => s.lastStatus === 500,
      { what: 'a 500' },
    );
    expect(failed.lastError).toBe('answered 500');
    const hung = await eventually(
      () => source(hanging.id),
      (s) => s.lastError !== null,
      {
        what: 'the hanging source timing out',
        timeoutMs: 15_000,
      },
    );
    expect(hung.lastError).toMatch(/no (complete )?answer within/);
    expect(hung.lastStatus).toBeNull();
  });

  it('polls on its schedule, each source by its own job, and stops when disabled', async () => {
    feeds.serve(
      '/scheduled/one.cap.xml',
      current('no-rule.cap.xml').replace('KZ-KAZHYDROMET-2026-77', 'KZ-SCHEDULED-1'),
    );
    const scheduled = await createSource({
      name: 'scheduled',
      kind: 'cap-feed',
      url: `${feeds.base}/scheduled/one.cap.xml`,
      pollSeconds: 1,
      scheme: 'kz-terror',
      levelRules: KZ_RULES,
    });
    await eventually(
      () => feeds.hits('/scheduled/one.cap.xml').length,
      (n) => n >= 3,
      {
        what: 'three scheduled polls',
        timeoutMs: 15_000,
      },
    );
    const polled = await source(scheduled.id);
    // The first answer is a document, the later ones 304s: it is seen once.
    expect(polled).toMatchObject({ lastStatus: 304, counts: { seen: 1, rejected: 1 } });
    await test.http.patch(`/v1/sources/${scheduled.id}`).set(test.as()).send({ enabled: false }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stopped = feeds.hits('/scheduled/one.cap.xml').length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(feeds.hits('/scheduled/one.cap.xml').length).toBe(stopped);
  });

  it('refuses a hostile document fetched from a feed at its DOCTYPE, keeping nothing of it', async () => {
    feeds.serve('/hostile/xxe.cap.xml', readFixture('xxe.cap.xml'));
    const hostile = await createSource({
      name: 'hostile',
      kind: 'cap-feed',
      url: `${feeds.base}/hostile/xxe.cap.xml`,
      pollSeconds: 3600,
      scheme: 'kz-terror',
      levelRules: KZ_RULES,
    });
    await poll(hostile.id);
    const seen = await eventually(
      () => source(hostile.id),
      (s) => s.lastError !== null,
      { what: 'the refusal' },
    );
    expect(seen.lastError).toMatch(/DOCTYPE/i);
    expect(JSON.stringify([seen, await items(hostile.id)])).not.toContain(hostnameFile);
  });

  it('counts documents by outcome for Prometheus', async () => {
    const counted = await createSource({
      name: 'counted',
      kind: 'cap-push',
      scheme: 'kz-terror',
      levelRules: KZ_RULES,
    });
    await test.http
      .post(`/v1/sources/${counted.id}/alerts`)
      .set('content-type', 'application/cap+xml')
      .set('tocsin-push-key', counted.pushKey)
      .send(Buffer.from(current('kz-alert.cap.xml').replace(/KZ-KNB-2026-0142/g, 'KZ-COUNTED-1')))
      .expect(202);
    const metrics = await test.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/tocsin_ingest_items_total\{outcome="imported"\} [1-9]/);
  });

  it('refuses a 5 MB document and says so', async () => {
    const big = await createSource({
      name: 'big',
      kind: 'cap-feed',
      url: `${feeds.base}/big/one.cap.xml`,
      pollSeconds: 3600,
      scheme: 'kz-terror',
      levelRules: KZ_RULES,
    });
    await poll(big.id);
    const seen = await eventually(
      () => source(big.id),
      (s) => s.lastError !== null,
      { what: 'the refusal' },
    );
    expect(seen.lastError).toMatch(/larger than INGEST_MAX_BYTES/);
    expect(seen.counts.imported).toBe(0);
  });

  describe('push', () => {
    let pushed: { id: string; pushKey: string };
    const push = (body: string | Buffer, key: string | undefined = pushed.pushKey, id = pushed.id) => {
      const req = test.http.post(`/v1/sources/${id}/alerts`).set('content-type', 'application/cap+xml');
      return (key ? req.set('authorization', `Bearer ${key}`) : req).send(Buffer.from(body));
    };

    beforeAll(async () => {
      pushed = await createSource({
        name: 'pusher',
        kind: 'cap-push',
        scheme: 'kz-terror',
        levelRules: [
          { level: 'red', severity: 'Extreme' },
          ...KZ_RULES,
          { level: 'yellow', event: 'Dreigingsniveau' },
        ],
        areaMap: { 'EMMA_ID=NL007': 'NL' },
      });
    });

    it('answers the push key once, imports with it, and calls the same document again a duplicate', async () => {
      expect(pushed.pushKey).toMatch(/^tpk_/);
      expect((await source(pushed.id)).pushKey).toBeUndefined();
      const first = await push(current('cap-1.1-alert.cap.xml')).expect(202);
      expect(first.body).toEqual({ outcome: 'imported', declarationIds: [expect.stringMatching(/^dcl_/)] });
      const made = await declaration(first.body.declarationIds[0]);
      expect(made).toMatchObject({
        level: { code: 'red' },
        origin: { sourceId: pushed.id, identifier: 'GB-HO-2025-07' },
      });
      expect(made.areas.map((a: { code: string }) => a.code)).toEqual(['GB']);
      const second = await test.http
        .post(`/v1/sources/${pushed.id}/alerts`)
        .set('content-type', 'application/cap+xml')
        .set('tocsin-push-key', pushed.pushKey)
        .send(Buffer.from(current('cap-1.1-alert.cap.xml')))
        .expect(202);
      expect(second.body).toMatchObject({ outcome: 'duplicate', declarationIds: [] });
    });

    it('imports a document that is off-schema and reports the schema problems in its reason', async () => {
      const document = current('kz-alert.cap.xml')
        .replace(/KZ-KNB-2026-0142/g, 'KZ-OFF-SCHEMA-1')
        .replace('<scope>Public</scope>', '<scope>Public</scope><mood>tense</mood>');
      const answer = await push(document).expect(202);
      expect(answer.body).toMatchObject({
        outcome: 'imported',
        reason: expect.stringMatching(/not valid against the CAP 1\.2 schema: .*mood/),
      });
    });

    it('maps other geocodes by areaMap and rejects, with reasons, what no rule or area fits', async () => {
      const emma = await push(current('emma-id-alert.cap.xml')).expect(202);
      expect(emma.body.outcome).toBe('imported');
      expect(
        (await declaration(emma.body.declarationIds[0])).areas.map((a: { code: string }) => a.code),
      ).toEqual(['NL']);
      const noRule = await push(current('no-rule.cap.xml')).expect(202);
      expect(noRule.body).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringMatching(/no level rule/),
      });
      const unmappable = await push(current('unmappable-area.cap.xml')).expect(202);
      expect(unmappable.body).toMatchObject({ outcome: 'rejected', declarationIds: [] });
      const draft = await push(
        current('cap-1.1-alert.cap.xml')
          .replace('GB-HO-2025-07', 'X-1')
          .replace(/Actual/g, 'Draft'),
      ).expect(202);
      expect(draft.body).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringMatching(/status Draft: only Actual, Exercise and Test/),
      });
      const listed = await items(pushed.id);
      expect(listed.filter((i) => i.outcome === 'rejected').every((i) => i.reason)).toBe(true);
    });

    it('imports an Exercise or a Test as one: in that mode, changing no level', async () => {
      const levelsBefore = (await test.http.get('/v1/levels/GB').expect(200)).body;
      for (const [status, mode] of [
        ['Exercise', 'exercise'],
        ['Test', 'test'],
      ] as const) {
        const answer = await push(
          current('cap-1.1-alert.cap.xml')
            .replace('GB-HO-2025-07', `GB-${status}-1`)
            .replace(/<cap:status>Actual<\/cap:status>/, `<cap:status>${status}</cap:status>`),
        ).expect(202);
        expect(answer.body).toMatchObject({ outcome: 'imported', declarationIds: [expect.any(String)] });
        expect(await declaration(answer.body.declarationIds[0])).toMatchObject({
          mode,
          level: { code: 'red' },
        });
      }
      expect((await test.http.get('/v1/levels/GB').expect(200)).body).toEqual(levelsBefore);
    });

    it('cannot cancel what another source imported, whatever sender its document claims', async () => {
      const spoof = current('kz-cancel.cap.xml').replace(/KZ-KNB-2026-0150/g, 'KZ-SPOOF-1');
      const answer = await push(spoof).expect(202);
      expect(answer.body).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringMatching(/references name nothing imported/),
        declarationIds: [],
      });
    });

    it('rejects XXE and billion laughs at their DOCTYPE, keeping nothing of what they point at', async () => {
      for (const name of ['xxe.cap.xml', 'billion-laughs.cap.xml']) {
        const answer = await push(readFixture(name)).expect(202);
        expect(answer.body).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/DOCTYPE/i) });
      }
      const everything = JSON.stringify([
        await items(pushed.id),
        (await test.http.get('/v1/declarations?limit=200').expect(200)).body,
        await source(pushed.id),
      ]);
      expect(everything).not.toContain(hostnameFile);
      expect(everything).not.toContain('lollollol');
    });

    it('refuses a wrong or missing key, another source’s key, and a body over INGEST_MAX_BYTES', async () => {
      const document = current('kz-alert.cap.xml').replace(/KZ-KNB-2026-0142/g, 'KZ-PUSH-1');
      const missing = await push(document, '').expect(401);
      expect(missing.headers['content-type']).toMatch(/problem\+json/);
      await push(document, 'tpk_wrong').expect(401);
      const other = await createSource({
        name: 'other',
        kind: 'cap-push',
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
      });
      await push(document, other.pushKey).expect(403);
      await test.http
        .post(`/v1/sources/${pushed.id}/alerts`)
        .set('content-type', 'application/cap+xml')
        .set('authorization', `Bearer ${pushed.pushKey}`)
        .send(Buffer.alloc(2 * 1024 * 1024, 0x20))
        .expect(413);
      expect((await items(pushed.id)).some((i) => i.identifier === 'KZ-PUSH-1')).toBe(false);
    });
  });

  it.each([
    ['no name', { kind: 'cap-push', scheme: 'kz-terror', levelRules: KZ_RULES }, 400],
    ['an unknown kind', { name: 'x', kind: 'rss', scheme: 'kz-terror', levelRules: KZ_RULES }, 400],
    ['an unknown scheme', { name: 'x', kind: 'cap-push', scheme: 'nope', levelRules: KZ_RULES }, 422],
    [
      'a level the scheme lacks',
      { name: 'x', kind: 'cap-push', scheme: 'kz-terror', levelRules: [{ level: 'purple' }] },
      422,
    ],
    ['no level rules', { name: 'x', kind: 'cap-push', scheme: 'kz-terror', levelRules: [] }, 400],
    ['a feed without url', { name: 'x', kind: 'cap-feed', scheme: 'kz-terror', levelRules: KZ_RULES }, 422],
    [
      'a poll below SOURCE_MIN_POLL_SECONDS',
      {
        name: 'x',
        kind: 'cap-feed',
        url: 'https://example.org/f',
        pollSeconds: 0,
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
      },
      400,
    ],
    [
      'a non-http url',
      { name: 'x', kind: 'cap-feed', url: 'file:///etc/hostname', scheme: 'kz-terror', levelRules: KZ_RULES },
      422,
    ],
    [
      'an unknown default area',
      { name: 'x', kind: 'cap-push', scheme: 'kz-terror', levelRules: KZ_RULES, defaultAreas: ['ZZ-99'] },
      422,
    ],
    [
      'an areaMap key without =',
      { name: 'x', kind: 'cap-push', scheme: 'kz-terror', levelRules: KZ_RULES, areaMap: { NL007: 'NL' } },
      422,
    ],
    [
      'an areaMap value that is no area code',
      { name: 'x', kind: 'cap-push', scheme: 'kz-terror', levelRules: KZ_RULES, areaMap: { 'EMMA_ID=1': 5 } },
      422,
    ],
    [
      'an areaMap value that is an unknown area',
      {
        name: 'x',
        kind: 'cap-push',
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
        areaMap: { 'EMMA_ID=1': 'ZZ' },
      },
      422,
    ],
    [
      'a url on a push source',
      {
        name: 'x',
        kind: 'cap-push',
        url: 'https://example.org/f',
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
      },
      422,
    ],
    [
      'a rule with parameterName but no parameterValue',
      {
        name: 'x',
        kind: 'cap-push',
        scheme: 'kz-terror',
        levelRules: [{ level: 'red', parameterName: 'p' }],
      },
      422,
    ],
    [
      'an unknown field',
      { name: 'x', kind: 'cap-push', scheme: 'kz-terror', levelRules: KZ_RULES, colour: 'red' },
      400,
    ],
  ])('refuses a source with %s, creating nothing', async (_what, body, status) => {
    const before = (await test.http.get('/v1/sources?limit=200').set(test.as()).expect(200)).body.items
      .length;
    const answer = await test.http.post('/v1/sources').set(test.as()).send(body);
    expect([answer.status, answer.headers['content-type']]).toEqual([
      status,
      expect.stringMatching(/problem\+json/),
    ]);
    expect((await test.http.get('/v1/sources?limit=200').set(test.as()).expect(200)).body.items.length).toBe(
      before,
    );
  });

  it('updates and deletes a source (admin only)', async () => {
    const made = await createSource({
      name: 'temp',
      kind: 'cap-push',
      scheme: 'kz-terror',
      levelRules: KZ_RULES,
    });
    await test.http.get(`/v1/sources/${made.id}`).expect(401);
    const patched = await test.http
      .patch(`/v1/sources/${made.id}`)
      .set(test.as())
      .send({ name: 'renamed', enabled: false })
      .expect(200);
    expect(patched.body).toMatchObject({ name: 'renamed', enabled: false, kind: 'cap-push' });
    // Bad changes are refused and change nothing.
    await test.http.patch(`/v1/sources/${made.id}`).set(test.as()).send({ kind: 'cap-feed' }).expect(400);
    await test.http.patch(`/v1/sources/${made.id}`).set(test.as()).send({ pollSeconds: 60 }).expect(422);
    await test.http.patch(`/v1/sources/${made.id}`).set(test.as()).send({ scheme: 'nope' }).expect(422);
    await test.http.patch('/v1/sources/src_nope').set(test.as()).send({ name: 'x' }).expect(404);
    await test.http.get(`/v1/sources/${made.id}/items?cursor=nonsense`).set(test.as()).expect(400);
    expect((await source(made.id)).name).toBe('renamed');
    await test.http.delete(`/v1/sources/${made.id}`).set(test.as()).expect(204);
    await test.http.get(`/v1/sources/${made.id}`).set(test.as()).expect(404);
  });
});

describe('ingest without WEBHOOK_ALLOW_PRIVATE', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp('pglite', { WEBHOOK_ALLOW_PRIVATE: 'false' }, 'api');
  });
  afterAll(() => test?.close());

  it.each(['http://127.0.0.1:8080/feed.atom', 'https://10.0.0.1/feed.atom', 'https://localhost/feed.atom'])(
    'refuses a feed on a private address (%s)',
    async (url) => {
      const answer = await test.http
        .post('/v1/sources')
        .set(test.as())
        .send({ name: 'private', kind: 'cap-feed', url, scheme: 'kz-terror', levelRules: KZ_RULES });
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toMatch(/url/);
    },
  );
});

describe('ingest of hostile documents, as the logs see it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-ingest-'));
  const secret = `tocsin-secret-${process.pid}-${Date.now()}`;
  const secretFile = join(dataDir, 'secret.txt');
  let feeds: FeedServer;
  afterAll(async () => {
    await feeds?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads no file and fetches no entity, and nothing of them reaches the logs (LOG_LEVEL=debug)', async () => {
    writeFileSync(secretFile, secret);
    feeds = await FeedServer.start();
    const hostile = (entity: string) => `<?xml version="1.0"?>
<!DOCTYPE alert [ <!ENTITY leak ${entity}> ]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&leak;</identifier></alert>`;
    feeds.serve('/hostile-file.cap.xml', hostile(`SYSTEM "file://${secretFile}"`));
    feeds.serve('/hostile-remote.cap.xml', hostile(`SYSTEM "${feeds.base}/entity.txt"`));
    feeds.serve('/entity.txt', secret, 'text/plain');
    const port = await freePort();
    const app = runBuilt(MAIN.tocsin, {
      DATA_DIR: join(dataDir, 'data'),
      PORT: String(port),
      ADMIN_API_KEY: ADMIN_KEY,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `tocsin-ingest-logs-${process.pid}-${Date.now()}`,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'debug',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await eventually(
        () =>
          fetch(`${base}/health/ready`).then(
            (r) => r.ok,
            () => false,
          ),
        (ready) => ready,
        { timeoutMs: 30_000, intervalMs: 200, what: 'readiness' },
      );
      const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
      const create = async (body: Record<string, unknown>) =>
        (
          await fetch(`${base}/v1/sources`, { method: 'POST', headers: admin, body: JSON.stringify(body) })
        ).json() as Promise<{ id: string; pushKey: string }>;
      const pushed = await create({
        name: 'push',
        kind: 'cap-push',
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
      });
      for (const path of ['/hostile-file.cap.xml', '/hostile-remote.cap.xml']) {
        const answer = await fetch(`${base}/v1/sources/${pushed.id}/alerts`, {
          method: 'POST',
          headers: { 'tocsin-push-key': pushed.pushKey, 'content-type': 'application/cap+xml' },
          body: await fetch(`${feeds.base}${path}`).then((r) => r.text()),
        });
        expect(answer.status).toBe(202);
        expect(((await answer.json()) as { outcome: string }).outcome).toBe('rejected');
        const polled = await create({
          name: `feed ${path}`,
          kind: 'cap-feed',
          url: `${feeds.base}${path}`,
          pollSeconds: 3600,
          scheme: 'kz-terror',
          levelRules: KZ_RULES,
        });
        await eventually(
          () =>
            fetch(`${base}/v1/sources/${polled.id}`, { headers: admin }).then(
              (r) => r.json() as Promise<{ lastError: string | null }>,
            ),
          (s: { lastError: string | null }) => s.lastError !== null,
          { what: 'the poll of the hostile document', timeoutMs: 20_000 },
        );
      }
      const entityFetches = feeds.hits('/entity.txt').length;
      const declarations = await fetch(`${base}/v1/declarations`).then((r) => r.text());
      const items = await fetch(`${base}/v1/sources/${pushed.id}/items`, { headers: admin }).then((r) =>
        r.text(),
      );
      app.child.kill('SIGTERM');
      const { stdout, stderr } = await app.exit;
      // Nobody asked for the external entity: it was never resolved.
      expect(entityFetches).toBe(0);
      expect(stdout.length).toBeGreaterThan(0);
      for (const text of [stdout, stderr, declarations, items]) expect(text).not.toContain(secret);
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  });
});
