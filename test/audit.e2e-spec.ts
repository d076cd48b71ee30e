import { AUDIT_CSV_COLUMNS } from '@tocsin/audit';
import { tables } from '@tocsin/database';
import { EmailSubscriptionsService } from '@tocsin/subscribers';
import { count, eq } from 'drizzle-orm';
import { eventually } from './support/eventually';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { ADMIN_KEY, createKey, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const PUBLIC_URL = 'https://alerts.tocsin.test';
const HOOK = 'http://127.0.0.1:9/hook';
const KZ_RULES = [{ level: 'orange', parameterName: 'threatLevel', parameterValue: 'orange' }];

interface Entry {
  id: string;
  at: string;
  actor: { keyId: string | null; name: string; role: string };
  action: string;
  target: { type: string; id: string };
  details: Record<string, unknown>;
}

describe('the audit log (GET /v1/audit)', () => {
  let test: TestApp;
  let smtp: SmtpSink;
  /** Before the acts of beforeAll: `since` it, the audit log holds exactly those acts. */
  let start: string;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const actors: Record<string, { keyId: string; name: string; role: string }> = {};
  /** Every secret the acts handed out, none of which the log may hold. */
  const secrets: string[] = [];

  const audit = async (query = '', key = ADMIN_KEY): Promise<Entry[]> =>
    (await test.http.get(`/v1/audit?limit=200${query}`).set(test.as(key)).expect(200)).body.items;
  const entryCount = async () => (await test.db.select({ n: count() }).from(tables.auditLog))[0].n;
  const me = async (key: string) => {
    const { body } = await test.http.get('/v1/api-keys/me').set(test.as(key)).expect(200);
    return { keyId: body.id as string, name: body.name as string, role: body.role as string };
  };

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url, PUBLIC_URL });
    actors.bootstrap = await me(ADMIN_KEY);
    start = new Date().toISOString();

    // The acts, oldest first; each test below reads them.
    const created = await test.http
      .post('/v1/api-keys')
      .set(test.as())
      .send({ name: 'second admin', role: 'admin' })
      .expect(201);
    keys.admin = created.body.key;
    secrets.push(keys.admin);
    keys.integrator = await createKey(test, 'integrator', 'integrator alpha');
    keys.revoked = await createKey(test, 'viewer', 'temporary viewer');
    secrets.push(keys.integrator, keys.revoked);
    for (const name of ['admin', 'integrator', 'revoked']) actors[name] = await me(keys[name]);

    const hook = await test.http
      .post('/v1/webhooks')
      .set(test.as(keys.integrator))
      .send({ url: HOOK, areas: ['KZ'] })
      .expect(201);
    ids.webhook = hook.body.id;
    secrets.push(hook.body.secret);
    await test.http
      .patch(`/v1/webhooks/${ids.webhook}`)
      .set(test.as(keys.integrator))
      .send({ minRank: 2, description: 'Central Asia desk', areas: ['KZ'] })
      .expect(200);
    const rotated = await test.http
      .post(`/v1/webhooks/${ids.webhook}/rotate-secret`)
      .set(test.as(keys.integrator))
      .send({ gracePeriodSeconds: 0 })
      .expect(200);
    secrets.push(rotated.body.secret);
    await test.http.delete(`/v1/webhooks/${ids.webhook}`).set(test.as(keys.integrator)).expect(204);

    const source = await test.http
      .post('/v1/sources')
      .set(test.as(keys.admin))
      .send({ name: 'KNB push', kind: 'cap-push', scheme: 'kz-terror', levelRules: KZ_RULES })
      .expect(201);
    ids.source = source.body.id;
    secrets.push(source.body.pushKey);
    await test.http
      .patch(`/v1/sources/${ids.source}`)
      .set(test.as(keys.admin))
      .send({ name: 'KNB push (renamed)', enabled: true })
      .expect(200);

    await test.http
      .post('/v1/email-subscriptions')
      .send({ email: 'erase.me@ngo.example', areas: ['KZ'] })
      .expect(202);
    const listed = await test.http.get('/v1/email-subscriptions?q=erase.me').set(test.as()).expect(200);
    ids.subscriber = listed.body.items[0].id;
    await test.http.delete(`/v1/email-subscriptions/${ids.subscriber}`).set(test.as(keys.admin)).expect(204);

    await test.http.delete(`/v1/api-keys/${actors.revoked.keyId}`).set(test.as()).expect(204);
    // Revoking again is fine, and no second act.
    await test.http.delete(`/v1/api-keys/${actors.revoked.keyId}`).set(test.as()).expect(204);
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
  });

  it('lists every act with its actor and target, newest first', async () => {
    const entries = await audit(`&since=${start}`);
    expect(entries.map((e) => [e.action, e.actor.keyId, e.target])).toEqual([
      ['api_key.revoked', actors.bootstrap.keyId, { type: 'api_key', id: actors.revoked.keyId }],
      ['subscriber.erased', actors.admin.keyId, { type: 'email_subscription', id: ids.subscriber }],
      ['source.updated', actors.admin.keyId, { type: 'source', id: ids.source }],
      ['source.created', actors.admin.keyId, { type: 'source', id: ids.source }],
      ['webhook.deleted', actors.integrator.keyId, { type: 'webhook', id: ids.webhook }],
      ['webhook.secret_rotated', actors.integrator.keyId, { type: 'webhook', id: ids.webhook }],
      ['webhook.updated', actors.integrator.keyId, { type: 'webhook', id: ids.webhook }],
      ['webhook.created', actors.integrator.keyId, { type: 'webhook', id: ids.webhook }],
      ['api_key.created', actors.bootstrap.keyId, { type: 'api_key', id: actors.revoked.keyId }],
      ['api_key.created', actors.bootstrap.keyId, { type: 'api_key', id: actors.integrator.keyId }],
      ['api_key.created', actors.bootstrap.keyId, { type: 'api_key', id: actors.admin.keyId }],
    ]);
    expect(entries[1].actor).toEqual({ keyId: actors.admin.keyId, name: 'second admin', role: 'admin' });
    expect(entries[4].actor).toEqual({
      keyId: actors.integrator.keyId,
      name: 'integrator alpha',
      role: 'integrator',
    });
    const order = entries.map((e) => Number(e.id));
    expect(order).toEqual([...order].sort((a, b) => b - a));
    for (const entry of entries) {
      expect(entry.id).toMatch(/^\d+$/);
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(Date.parse(start));
    }
  });

  it('says what each act did: for an update only the changed fields, with their new values', async () => {
    const [revoked, erased, sourceUpdated, sourceCreated, deleted, rotated, updated, created, keyCreated] =
      await audit(`&since=${start}`);
    expect(updated.details).toEqual({ minRank: 2, description: 'Central Asia desk' });
    expect(sourceUpdated.details).toEqual({ name: 'KNB push (renamed)' });
    expect(created.details).toMatchObject({
      ownerKeyId: actors.integrator.keyId,
      url: HOOK,
      areas: ['KZ'],
      minRank: null,
      exercises: false,
    });
    expect(sourceCreated.details).toMatchObject({ name: 'KNB push', kind: 'cap-push', scheme: 'kz-terror' });
    expect(deleted.details).toEqual({ ownerKeyId: actors.integrator.keyId, url: HOOK });
    expect(Object.keys(rotated.details)).toEqual(['previousSecretExpiresAt']);
    expect(keyCreated.details).toEqual({ name: 'temporary viewer', role: 'viewer' });
    expect([revoked.details, erased.details]).toEqual([{}, {}]);
  });

  it('never holds a secret, a key, a hash or an erased address', async () => {
    const everything = JSON.stringify(await audit());
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/whsec_|tk_|tpk_|erase\.me/);
    const hashes = await test.db.select({ hash: tables.apiKeys.keyHash }).from(tables.apiKeys);
    for (const { hash } of hashes) expect(everything).not.toContain(hash);
  });

  it('records what Tocsin did on its own as the system: the first admin key', async () => {
    const entries = await audit('&actor=system');
    expect(entries).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { keyId: null, name: 'system', role: 'system' },
        action: 'api_key.created',
        target: { type: 'api_key', id: actors.bootstrap.keyId },
        details: { name: 'bootstrap admin (ADMIN_API_KEY)', role: 'admin' },
      },
    ]);
  });

  it('filters by actor, action, since and target', async () => {
    const all = await audit();
    expect((await audit(`&actor=${actors.integrator.keyId}`)).map((e) => e.action)).toEqual([
      'webhook.deleted',
      'webhook.secret_rotated',
      'webhook.updated',
      'webhook.created',
    ]);
    expect((await audit('&action=api_key.created')).map((e) => e.target.id)).toEqual([
      actors.revoked.keyId,
      actors.integrator.keyId,
      actors.admin.keyId,
      actors.bootstrap.keyId,
    ]);
    expect(
      (await audit(`&action=source.updated&actor=${actors.admin.keyId}`)).map((e) => e.target.id),
    ).toEqual([ids.source]);
    expect(await audit(`&action=source.updated&actor=${actors.integrator.keyId}`)).toEqual([]);
    // `since` is inclusive: the act at that very instant is in.
    const sourceCreated = all.find((e) => e.action === 'source.created')!;
    const since = await audit(`&since=${encodeURIComponent(sourceCreated.at)}`);
    expect(since.at(-1)).toEqual(sourceCreated);
    expect(since).toEqual(all.slice(0, all.indexOf(sourceCreated) + 1));
    expect(await audit('&since=2999-01-01T00:00:00%2B06:00')).toEqual([]);
    expect((await audit(`&targetType=webhook&targetId=${ids.webhook}`)).map((e) => e.action)).toEqual([
      'webhook.deleted',
      'webhook.secret_rotated',
      'webhook.updated',
      'webhook.created',
    ]);
    expect((await audit('&targetType=email_subscription')).map((e) => e.target.id)).toEqual([ids.subscriber]);
  });

  it('pages with nextCursor like every list, never repeating or skipping an entry', async () => {
    const all = await audit();
    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=4&cursor=${cursor}` : '?limit=4';
      const { body } = await test.http.get(`/v1/audit${query}`).set(test.as()).expect(200);
      expect(body.items.length).toBeLessThanOrEqual(4);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('answers CSV with a header row for Accept: text/csv, the next page in a Link header', async () => {
    const all = await audit(`&since=${start}`);
    const response = await test.http
      .get(`/v1/audit?limit=200&since=${start}`)
      .set(test.as())
      .set('accept', 'text/csv')
      .expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers.vary).toMatch(/accept/i);
    expect(response.headers.link).toBeUndefined();
    const lines = response.text.split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines.slice(1, -1)).toHaveLength(all.length);
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toBe(
      [all[0].id, all[0].at, actors.bootstrap.keyId, actors.bootstrap.name, 'admin', 'api_key.revoked'].join(
        ',',
      ) + `,api_key,${actors.revoked.keyId},{}`,
    );
    expect(lines.map((line) => line.split(',')[5])).toEqual([
      'action',
      ...all.map((e) => e.action),
      undefined,
    ]);

    const first = await test.http
      .get(`/v1/audit?limit=2&since=${start}`)
      .set(test.as())
      .set('accept', 'text/csv')
      .expect(200);
    expect(first.text.split('\r\n')).toHaveLength(4);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link)?.[1];
    expect(next).toMatch(/^\/v1\/audit\?limit=2&since=.+&cursor=/);
    const second = await test.http.get(next!).set(test.as()).set('accept', 'text/csv').expect(200);
    expect(second.text.split('\r\n')[1].split(',')[0]).toBe(all[2].id);
    // JSON stays the default.
    const json = await test.http.get('/v1/audit?limit=1').set(test.as()).set('accept', '*/*').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it('is for admins only: other keys get 403, no key 401, as problem+json', async () => {
    for (const role of ['publisher', 'integrator', 'viewer']) {
      const key = role === 'integrator' ? keys.integrator : await createKey(test, role, `${role} reader`);
      const response = await test.http.get('/v1/audit').set(test.as(key)).expect(403);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    await test.http.get('/v1/audit').expect(401);
  });

  it.each([
    ['an unknown action', 'action=declaration.teleported'],
    ['an action with the wrong case', 'action=API_KEY.CREATED'],
    ['since without a time zone', 'since=2026-01-01T00:00:00'],
    ['since on 30 February', 'since=2026-02-30T00:00:00Z'],
    ['since as a word', 'since=yesterday'],
    ['since in year 0', 'since=0000-01-01T00:00:00Z'],
    ['an actor that is no key id', 'actor=a%20b'],
    ['an unknown target type', 'targetType=planet'],
    ['limit 0', 'limit=0'],
    ['limit 201', 'limit=201'],
    ['a cursor it never handed out', 'cursor=nonsense'],
    ['an unknown filter', 'who=me'],
  ])('refuses %s with a 400 problem', async (_name, query) => {
    const response = await test.http.get(`/v1/audit?${query}`).set(test.as()).expect(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('refuses the cursor of another list with a 400 problem', async () => {
    const keysPage = await test.http.get('/v1/api-keys?limit=1').set(test.as()).expect(200);
    expect(keysPage.body.nextCursor).toEqual(expect.any(String));
    const response = await test.http
      .get(`/v1/audit?cursor=${keysPage.body.nextCursor}`)
      .set(test.as())
      .expect(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('has no route that changes or removes an entry', async () => {
    const [newest] = await audit();
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      await test.http[method]('/v1/audit').set(test.as()).send({}).expect(404);
      await test.http[method](`/v1/audit/${newest.id}`).set(test.as()).send({}).expect(404);
    }
    expect((await audit())[0]).toEqual(newest);
  });

  it('writes no entry for an act that was refused or found nothing', async () => {
    const before = await entryCount();
    const hook = await test.http
      .post('/v1/webhooks')
      .set(test.as(keys.integrator))
      .send({ url: HOOK, areas: ['KZ'] })
      .expect(201);
    const after = before + 1;
    const refused: [string, () => Promise<unknown>][] = [
      [
        'a webhook with a bad URL',
        () =>
          test.http
            .post('/v1/webhooks')
            .set(test.as(keys.integrator))
            .send({ url: 'ftp://x', areas: ['KZ'] })
            .expect(422),
      ],
      [
        'a webhook with an unknown scheme',
        () =>
          test.http
            .post('/v1/webhooks')
            .set(test.as(keys.integrator))
            .send({ url: HOOK, areas: ['KZ'], scheme: 'nope' })
            .expect(422),
      ],
      [
        'a PATCH with exercises "yes"',
        () =>
          test.http
            .patch(`/v1/webhooks/${hook.body.id}`)
            .set(test.as(keys.integrator))
            .send({ exercises: 'yes' })
            .expect(400),
      ],
      [
        'a PATCH with an unknown area',
        () =>
          test.http
            .patch(`/v1/webhooks/${hook.body.id}`)
            .set(test.as(keys.integrator))
            .send({ areas: ['XX'] })
            .expect(422),
      ],
      [
        'a PATCH of a missing webhook',
        () =>
          test.http
            .patch('/v1/webhooks/whk_nope')
            .set(test.as(keys.integrator))
            .send({ minRank: 1 })
            .expect(404),
      ],
      [
        'a rotation of a missing webhook',
        () =>
          test.http
            .post('/v1/webhooks/whk_nope/rotate-secret')
            .set(test.as(keys.integrator))
            .send({})
            .expect(404),
      ],
      [
        'a deletion of a missing webhook',
        () => test.http.delete('/v1/webhooks/whk_nope').set(test.as(keys.integrator)).expect(404),
      ],
      [
        'a source of an unknown scheme',
        () =>
          test.http
            .post('/v1/sources')
            .set(test.as())
            .send({ name: 'x', kind: 'cap-push', scheme: 'nope', levelRules: KZ_RULES })
            .expect(422),
      ],
      [
        'a source PATCH polling too often',
        () =>
          test.http.patch(`/v1/sources/${ids.source}`).set(test.as()).send({ pollSeconds: 1 }).expect(422),
      ],
      [
        'a deletion of a missing source',
        () => test.http.delete('/v1/sources/src_nope').set(test.as()).expect(404),
      ],
      [
        'a key of an unknown role',
        () => test.http.post('/v1/api-keys').set(test.as()).send({ name: 'x', role: 'god' }).expect(400),
      ],
      [
        'a revocation of a missing key',
        () => test.http.delete('/v1/api-keys/key_nope').set(test.as()).expect(404),
      ],
      [
        'an erasure of a missing subscriber',
        () => test.http.delete('/v1/email-subscriptions/sub_nope').set(test.as()).expect(404),
      ],
      [
        'an erasure by a non-admin',
        () =>
          test.http
            .delete(`/v1/email-subscriptions/${ids.subscriber}`)
            .set(test.as(keys.integrator))
            .expect(403),
      ],
      [
        'a PATCH that changes nothing',
        () =>
          test.http
            .patch(`/v1/webhooks/${hook.body.id}`)
            .set(test.as(keys.integrator))
            .send({ areas: ['KZ'] })
            .expect(200),
      ],
    ];
    for (const [name, attempt] of refused) {
      await attempt();
      expect([name, await entryCount()]).toEqual([name, after]);
    }
  });
});

describe('the exercises opt-in of webhook endpoints and email subscriptions', () => {
  let test: TestApp;
  let smtp: SmtpSink;
  let integrator: string;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    test = await startTestApp('pglite', { SMTP_URL: smtp.url, PUBLIC_URL }, 'api');
    integrator = await createKey(test, 'integrator');
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
  });

  const webhookRow = async (id: string) =>
    (await test.db.select().from(tables.webhookEndpoints).where(eq(tables.webhookEndpoints.id, id)))[0];
  const subscriptionRow = async (email: string) =>
    (
      await test.db.select().from(tables.emailSubscriptions).where(eq(tables.emailSubscriptions.email, email))
    )[0];

  it('stores and echoes a webhook endpoint’s exercises, false unless asked, changed by PATCH', async () => {
    const opted = await test.http
      .post('/v1/webhooks')
      .set(test.as(integrator))
      .send({ url: HOOK, areas: ['KZ'], exercises: true })
      .expect(201);
    expect(opted.body.exercises).toBe(true);
    expect((await webhookRow(opted.body.id)).exercises).toBe(true);
    expect(
      (await test.http.get(`/v1/webhooks/${opted.body.id}`).set(test.as(integrator))).body.exercises,
    ).toBe(true);
    const plain = await test.http
      .post('/v1/webhooks')
      .set(test.as(integrator))
      .send({ url: HOOK, areas: ['KZ'] })
      .expect(201);
    expect(plain.body.exercises).toBe(false);
    expect((await webhookRow(plain.body.id)).exercises).toBe(false);

    const patched = await test.http
      .patch(`/v1/webhooks/${opted.body.id}`)
      .set(test.as(integrator))
      .send({ exercises: false })
      .expect(200);
    expect(patched.body.exercises).toBe(false);
    const [entry] = (await test.http.get('/v1/audit?action=webhook.updated').set(test.as()).expect(200)).body
      .items;
    expect(entry).toMatchObject({ target: { id: opted.body.id }, details: { exercises: false } });
    // Another PATCH leaves it as it is.
    const renamed = await test.http
      .patch(`/v1/webhooks/${plain.body.id}`)
      .set(test.as(integrator))
      .send({ description: 'desk' })
      .expect(200);
    expect(renamed.body.exercises).toBe(false);
  });

  it.each([
    ['"yes"', 'yes'],
    ['1', 1],
    ['null', null],
    ['"true"', 'true'],
  ])(
    'refuses exercises %s on a webhook endpoint (POST, PATCH) with a 400, changing nothing',
    async (_name, value) => {
      const before = await test.db.select({ n: count() }).from(tables.webhookEndpoints);
      const created = await test.http
        .post('/v1/webhooks')
        .set(test.as(integrator))
        .send({ url: HOOK, areas: ['KZ'], exercises: value })
        .expect(400);
      expect(created.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(await test.db.select({ n: count() }).from(tables.webhookEndpoints)).toEqual(before);
      const [endpoint] = await test.db.select().from(tables.webhookEndpoints).limit(1);
      const patched = await test.http
        .patch(`/v1/webhooks/${endpoint.id}`)
        .set(test.as(integrator))
        .send({ exercises: value })
        .expect(400);
      expect(patched.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(await webhookRow(endpoint.id)).toEqual(endpoint);
    },
  );

  it('stores and echoes an email subscription’s exercises at sign-up and through the manage link', async () => {
    const accepted = await test.http
      .post('/v1/email-subscriptions')
      .send({ email: 'drill@ngo.example', areas: ['KZ'], exercises: true })
      .expect(202);
    expect(accepted.body).toMatchObject({ status: 'accepted', exercises: true });
    expect((await subscriptionRow('drill@ngo.example')).exercises).toBe(true);
    const plain = await test.http
      .post('/v1/email-subscriptions')
      .send({ email: 'plain@ngo.example', areas: ['KZ'] })
      .expect(202);
    expect(plain.body.exercises).toBe(false);
    expect((await subscriptionRow('plain@ngo.example')).exercises).toBe(false);
    for (const exercises of ['yes', null, 0]) {
      const refused = await test.http
        .post('/v1/email-subscriptions')
        .send({ email: 'bad@ngo.example', areas: ['KZ'], exercises })
        .expect(400);
      expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    expect(await subscriptionRow('bad@ngo.example')).toBeUndefined();

    const row = await subscriptionRow('plain@ngo.example');
    expect(
      (await test.http.get(`/v1/email-subscriptions/${row.id}`).set(test.as()).expect(200)).body.exercises,
    ).toBe(false);
    const [mail] = await smtp.waitFor('plain@ngo.example');
    const confirm = linkIn(mail, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: new URL(confirm).searchParams.get('token') })
      .expect(200);
    const { manageUrl } = await test.app.get(EmailSubscriptionsService).linksFor(row);
    const manage = manageUrl.slice(PUBLIC_URL.length);
    expect((await test.http.get(manage).expect(200)).body.exercises).toBe(false);
    const saved = await test.http
      .put(manage)
      .send({ areas: ['KZ'], exercises: true })
      .expect(200);
    expect(saved.body).toMatchObject({ message: 'Saved.', exercises: true });
    expect((await subscriptionRow('plain@ngo.example')).exercises).toBe(true);
    // Left out, it stays as it is.
    expect(
      (
        await test.http
          .put(manage)
          .send({ areas: ['UZ'] })
          .expect(200)
      ).body.exercises,
    ).toBe(true);
    for (const exercises of ['no', null]) {
      const refused = await test.http
        .put(manage)
        .send({ areas: ['KZ'], exercises })
        .expect(400);
      expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    expect(await subscriptionRow('plain@ngo.example')).toMatchObject({ exercises: true, areas: ['UZ'] });
  });
});

describe('the audit log of what Tocsin does on its own', () => {
  let test: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    [test, receiver] = await Promise.all([startTestApp('pglite'), WebhookReceiver.start()]);
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
  });

  it('records an endpoint disabled for a 410 Gone as an update by the system', async () => {
    receiver.script('/gone', [{ status: 410 }]);
    const integrator = await createKey(test, 'integrator');
    const endpoint = await test.http
      .post('/v1/webhooks')
      .set(test.as(integrator))
      .send({ url: receiver.url('/gone'), areas: ['SE'] })
      .expect(201);
    await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'travel-advisory',
        level: '3',
        areas: ['SE'],
        headline: 'Reconsider travel to Sweden',
        summary: 'An audit e2e declaration.',
        authority: 'Tocsin e2e',
      })
      .expect(201);
    const [entry] = await eventually(
      async () =>
        (await test.http.get('/v1/audit?actor=system&action=webhook.updated').set(test.as()).expect(200)).body
          .items as Entry[],
      (items) => items.length > 0,
      { what: 'the system to disable the endpoint' },
    );
    expect(entry).toMatchObject({
      actor: { keyId: null, name: 'system', role: 'system' },
      action: 'webhook.updated',
      target: { type: 'webhook', id: endpoint.body.id },
      details: { enabled: false, disabledReason: expect.stringContaining('410') },
    });
    const shown = await test.http.get(`/v1/webhooks/${endpoint.body.id}`).set(test.as()).expect(200);
    expect(shown.body).toMatchObject({ enabled: false, disabledReason: entry.details.disabledReason });
  });
});

describe('the audit log of schemes and declarations (four eyes)', () => {
  let test: TestApp;
  const keys: Record<string, string> = {};
  const actors: Record<string, { keyId: string; name: string; role: string }> = {};
  const ids: Record<string, string> = {};
  const declaration = (overrides: Record<string, unknown> = {}) => ({
    scheme: 'kz-terror',
    level: 'red',
    areas: ['KZ-75'],
    headline: 'Critical (red) terrorism threat level',
    summary: 'Repeat attacks are possible.',
    authority: 'Anti-Terrorist Centre',
    ...overrides,
  });

  beforeAll(async () => {
    test = await startTestApp('pglite', {}, 'api');
    keys.a = await createKey(test, 'publisher', 'officer A');
    keys.b = await createKey(test, 'publisher', 'officer B');
    for (const [name, key] of [
      ['admin', ADMIN_KEY],
      ['a', keys.a],
      ['b', keys.b],
    ]) {
      const { body } = await test.http.get('/v1/api-keys/me').set(test.as(key)).expect(200);
      actors[name] = { keyId: body.id, name: body.name, role: body.role };
    }
    await test.http
      .patch('/v1/schemes/kz-terror')
      .set(test.as())
      .send({ approval: { minRank: 3 } })
      .expect(200);
    const approved = await test.http
      .post('/v1/declarations')
      .set(test.as(keys.a))
      .send(declaration())
      .expect(201);
    ids.approved = approved.body.id;
    await test.http.post(`/v1/declarations/${ids.approved}/approve`).set(test.as(keys.b)).send().expect(200);
    const rejected = await test.http
      .post('/v1/declarations')
      .set(test.as(keys.a))
      .send(declaration({ areas: ['KZ-71'] }))
      .expect(201);
    ids.rejected = rejected.body.id;
    await test.http
      .post(`/v1/declarations/${ids.rejected}/reject`)
      .set(test.as(keys.b))
      .send({ reason: 'Not confirmed.' })
      .expect(200);
    const urgent = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send(declaration({ areas: ['KZ-79'], urgent: true, urgentReason: 'Attack under way.' }))
      .expect(201);
    ids.urgent = urgent.body.id;
    await test.http
      .post(`/v1/declarations/${ids.urgent}/cancel`)
      .set(test.as())
      .send({ reason: 'All clear.' })
      .expect(200);
  });
  afterAll(() => test?.close());

  const audit = async (query: string): Promise<Entry[]> =>
    (await test.http.get(`/v1/audit?limit=200&${query}`).set(test.as()).expect(200)).body.items;

  it('lists each act on a declaration with who did it, newest first', async () => {
    const entries = await audit('targetType=declaration');
    expect(entries.map((e) => [e.action, e.actor.name, e.target.id])).toEqual([
      ['declaration.cancelled', actors.admin.name, ids.urgent],
      ['declaration.published_urgent', actors.admin.name, ids.urgent],
      ['declaration.rejected', 'officer B', ids.rejected],
      ['declaration.published', 'officer A', ids.rejected],
      ['declaration.approved', 'officer B', ids.approved],
      ['declaration.published', 'officer A', ids.approved],
    ]);
    expect(entries[2].actor).toEqual(actors.b);
    expect(entries[1].details).toMatchObject({ urgentReason: 'Attack under way.' });
    expect(entries[2].details).toMatchObject({ reason: 'Not confirmed.' });
  });

  it('filters declaration acts by actor and action, and lists the scheme change', async () => {
    expect((await audit(`actor=${actors.b.keyId}`)).map((e) => e.action)).toEqual([
      'declaration.rejected',
      'declaration.approved',
    ]);
    expect((await audit('action=declaration.published')).map((e) => e.target.id)).toEqual([
      ids.rejected,
      ids.approved,
    ]);
    const [scheme] = await audit('targetType=scheme');
    expect(scheme).toMatchObject({
      action: 'scheme.updated',
      actor: actors.admin,
      target: { type: 'scheme', id: 'kz-terror' },
    });
    expect(JSON.stringify(scheme.details)).toContain('"minRank":3');
  });
});
