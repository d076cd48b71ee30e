import { queryRows } from '@tocsin/database';
import { DATABASE_DRIVERS } from '@tocsin/database/testing';
import { sql } from 'drizzle-orm';
import { startTestApp, TestApp } from '../../../../test/support/test-app';

// Every list of the API, paged over HTTP as a client follows nextCursor, through rows that a set-wise
// insert gave one created_at to the microsecond (a millisecond cursor lost all but the first page of
// them), with neighbours one microsecond either side.

const ROWS = 1510;
const PAGE = 100;
/** Rows 6–1505 share this instant; rows 1–5 are a microsecond older, rows 1506–1510 a microsecond newer. */
const createdAt = (shared: string) =>
  sql.raw(`'${shared}'::timestamptz + case when n > ${ROWS - 5} then interval '1 microsecond'
    when n <= 5 then interval '-1 microsecond' else interval '0' end`);
const SHARED = '2024-11-27 09:00:00.123456+00';
const HOUR_EARLIER = '2024-11-27 08:00:00.123456+00';

const number = (n: number) => String(n).padStart(4, '0');
/** `prefix0001` … `prefix1510` (those `keep` keeps), newest first: by created_at, then by id. */
const newestFirst = (prefix: string, keep: (n: number) => boolean = () => true) =>
  Array.from({ length: ROWS }, (_, i) => ROWS - i)
    .filter(keep)
    .map((n) => `${prefix}${number(n)}`);

/**
 * Every page of `path`; the ids in the order they came, and the page sizes. `beforePage` runs before each
 * request, with the number of pages read so far.
 */
async function pageThrough(
  test: TestApp,
  path: string,
  key?: string,
  beforePage?: (pagesRead: number) => Promise<unknown>,
): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    await beforePage?.(sizes.length);
    const query: string = `limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await test.http
      .get(`${path}${path.includes('?') ? '&' : '?'}${query}`)
      .set(test.as(key))
      .expect(200);
    const body = response.body as {
      items: { id?: string; scheme?: string; at?: string }[];
      nextCursor: string | null;
    };
    ids.push(...body.items.map((item) => item.id ?? `${item.scheme} ${item.at}`));
    sizes.push(body.items.length);
    cursor = body.nextCursor;
  } while (cursor && sizes.length <= 2 * ROWS);
  return { ids, sizes };
}

/** Full pages, then what is left. */
const pageSizes = (count: number) =>
  Array.from({ length: Math.ceil(count / PAGE) }, (_, i) => Math.min(PAGE, count - i * PAGE));

describe.each(DATABASE_DRIVERS)('paging every list on %s', (driver) => {
  let test: TestApp;
  let adminKeyId: string;
  let integrator: { id: string; key: string };
  /** The endpoints' ids, numbered from 1 in this order. */
  let endpoints: string[];
  /** The ids of the endpoints that `keep` keeps, newest first. */
  const endpointsNewestFirst = (keep: (n: number) => boolean = () => true) =>
    endpoints.filter((_, i) => keep(i + 1)).reverse();

  beforeAll(async () => {
    test = await startTestApp(driver, {}, 'api');
    const run = (query: ReturnType<typeof sql>) => test.db.execute(query);
    adminKeyId = (await test.http.get('/v1/api-keys/me').set(test.as()).expect(200)).body.id;
    const created = await test.http
      .post('/v1/api-keys')
      .set(test.as())
      .send({ name: 'integrator', role: 'integrator' })
      .expect(201);
    integrator = { id: created.body.id, key: created.body.key };
    await run(sql`insert into api_keys (id, name, role, key_hash, key_prefix, created_at)
      select 'key_' || lpad(n::text, 4, '0'), 'k', 'viewer', 'hash-' || n, 'tk_', ${createdAt(SHARED)}
      from generate_series(1, ${ROWS}) n`);

    // Endpoints are made through the API, so that their secrets are stored as the app stores them (sealed,
    // bound to their ids), then numbered in id order and given one created_at set-wise; odd ones are the
    // integrator's.
    for (let made = 0; made < ROWS; made += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, ROWS - made) }, () =>
          test.http
            .post('/v1/webhooks')
            .set(test.as())
            .send({ url: 'http://127.0.0.1:9/hook', areas: ['KZ'] })
            .expect(201),
        ),
      );
    }
    await run(sql`update webhook_endpoints w
      set created_at = ${createdAt(SHARED)},
        owner_key_id = case when n % 2 = 1 then ${integrator.id} else ${adminKeyId} end
      from (select id, row_number() over (order by id) as n from webhook_endpoints) e where w.id = e.id`);
    const numbered = await queryRows<{ id: string }>(
      test.db,
      sql`select id from webhook_endpoints order by id`,
    );
    endpoints = numbered.map((e) => e.id);

    await run(sql`insert into email_subscriptions (id, email, areas, status, created_at, updated_at)
      select 'sub_' || lpad(n::text, 4, '0'), 'reader' || n || '@example.org', array['KZ'],
        case when n % 3 = 0 then 'pending' else 'confirmed' end, ${createdAt(SHARED)}, now()
      from generate_series(1, ${ROWS}) n`);

    await run(sql`with d as (
        insert into declarations (id, scheme_id, level_code, headline, summary, measures, authority,
          effective_at, created_at, created_by, created_by_name)
        select 'dcl_' || lpad(n::text, 4, '0'), 'kz-terror', 'yellow', 'h', 's', '[]', 'a',
          ${createdAt(SHARED)}, ${createdAt(SHARED)}, ${adminKeyId}, 'admin'
        from generate_series(1, ${ROWS}) n
        returning id, effective_at)
      insert into declaration_areas (declaration_id, area_code, country_code, scheme_id, effective_at)
      select id, 'KZ-75', 'KZ', 'kz-terror', effective_at from d`);

    // A fan-out of evt_0000 to every endpoint, an hour older (dlv_a_…, numbered as the endpoints); then one
    // delivery to the first endpoint of each of evt_0001 … evt_1510 (dlv_b_…).
    await run(sql`insert into outbox (event_id, type, declaration_id, cause, due_at)
      select 'evt_' || lpad(n::text, 4, '0'), 'threat_level.changed', 'dcl_0001', 'declared', now()
      from generate_series(0, ${ROWS}) n`);
    await run(sql`insert into deliveries (id, event_id, channel, webhook_endpoint_id, status, created_at)
      select 'dlv_a_' || lpad(n::text, 4, '0'), 'evt_0000', 'webhook', e.id,
        case when n % 2 = 0 then 'failed' else 'delivered' end, ${createdAt(HOUR_EARLIER)}
      from (select id, row_number() over (order by id) as n from webhook_endpoints) e`);
    await run(sql`insert into deliveries (id, event_id, channel, webhook_endpoint_id, status, created_at)
      select 'dlv_b_' || lpad(n::text, 4, '0'), 'evt_' || lpad(n::text, 4, '0'), 'webhook', ${endpoints[0]},
        case when n % 2 = 0 then 'failed' else 'delivered' end, ${createdAt(SHARED)}
      from generate_series(1, ${ROWS}) n`);
  });
  afterAll(() => test?.close());

  it('GET /v1/api-keys: every key once, newest first, in pages of the limit', async () => {
    const { ids, sizes } = await pageThrough(test, '/v1/api-keys');
    expect(ids).toEqual([integrator.id, adminKeyId, ...newestFirst('key_')]);
    expect(sizes).toEqual(pageSizes(ROWS + 2));
  });

  it('GET /v1/webhooks: every endpoint once, of every owner, of one, and an integrator’s own', async () => {
    expect((await pageThrough(test, '/v1/webhooks')).ids).toEqual(endpointsNewestFirst());
    expect((await pageThrough(test, `/v1/webhooks?owner=${adminKeyId}`)).ids).toEqual(
      endpointsNewestFirst((n) => n % 2 === 0),
    );
    expect((await pageThrough(test, '/v1/webhooks', integrator.key)).ids).toEqual(
      endpointsNewestFirst((n) => n % 2 === 1),
    );
  });

  it('GET /v1/email-subscriptions: every subscriber once, of every status and of one', async () => {
    expect((await pageThrough(test, '/v1/email-subscriptions')).ids).toEqual(newestFirst('sub_'));
    expect((await pageThrough(test, '/v1/email-subscriptions?status=pending')).ids).toEqual(
      newestFirst('sub_', (n) => n % 3 === 0),
    );
  });

  it('GET /v1/declarations: every declaration once, of every area and of one', async () => {
    const { ids, sizes } = await pageThrough(test, '/v1/declarations');
    expect(ids).toEqual(newestFirst('dcl_'));
    expect(sizes).toEqual(pageSizes(ROWS));
    expect((await pageThrough(test, '/v1/declarations?area=KZ-75')).ids).toEqual(newestFirst('dcl_'));
  });

  it('GET /v1/deliveries: every delivery once, of every status and of one, and an integrator’s', async () => {
    const toFirstEndpoint = newestFirst('dlv_b_');
    expect((await pageThrough(test, '/v1/deliveries')).ids).toEqual([
      ...toFirstEndpoint,
      ...newestFirst('dlv_a_'),
    ]);
    expect((await pageThrough(test, '/v1/deliveries?status=failed')).ids).toEqual([
      ...newestFirst('dlv_b_', (n) => n % 2 === 0),
      ...newestFirst('dlv_a_', (n) => n % 2 === 0),
    ]);
    expect((await pageThrough(test, '/v1/deliveries', integrator.key)).ids).toEqual([
      ...toFirstEndpoint,
      ...newestFirst('dlv_a_', (n) => n % 2 === 1),
    ]);
  });

  it.each([
    ['year 0000', ['0000-12-31T23:59:59.000000Z', 'dcl_0001']],
    ['30 February', ['2026-02-30T00:00:00.000000Z', 'dcl_0001']],
    ['an id with a NUL byte', ['2026-11-27T09:00:00.000000Z', 'dcl_\u0000']],
    ['an offset', 100],
  ])('answers a cursor holding %s with 400 problem+json on every list', async (_, value) => {
    const cursor = Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const path of [
      '/v1/api-keys',
      '/v1/webhooks',
      '/v1/email-subscriptions',
      '/v1/declarations',
      '/v1/deliveries',
      `/v1/webhooks/${endpoints[0]}/deliveries`,
      '/v1/levels/KZ-75/history',
    ]) {
      const response = await test.http.get(`${path}?cursor=${cursor}`).set(test.as());
      expect([path, response.status, response.type]).toEqual([path, 400, 'application/problem+json']);
    }
  });

  it('GET /v1/webhooks/{id}/deliveries: every delivery to the endpoint once', async () => {
    expect((await pageThrough(test, `/v1/webhooks/${endpoints[0]}/deliveries`)).ids).toEqual([
      ...newestFirst('dlv_b_'),
      'dlv_a_0001',
    ]);
  });
});

describe.each(DATABASE_DRIVERS)('paging the level history on %s', (driver) => {
  let test: TestApp;
  const CHANGES = 250;
  const hours = (n: number) => new Date(Date.parse('2020-01-01T00:00:00Z') + n * 3_600_000).toISOString();

  /** Declarations for KZ-55 in `scheme`, the nth effective n hours after 2020-01-01, all created at one instant. */
  const declare = (scheme: string, from: number, to: number) =>
    test.db.execute(sql`with d as (
        insert into declarations (id, scheme_id, level_code, headline, summary, measures, authority,
          effective_at, created_at, created_by, created_by_name)
        select ${scheme} || '-' || lpad(n::text, 4, '0'), ${scheme},
          case when n % 2 = 0 then 'high' else 'low' end, 'h', 's', '[]', 'a',
          '2020-01-01T00:00:00Z'::timestamptz + n * interval '1 hour', ${SHARED}::timestamptz, 'key_1', 'k'
        from generate_series(${from}::int, ${to}::int) n
        returning id, scheme_id, effective_at)
      insert into declaration_areas (declaration_id, area_code, country_code, scheme_id, effective_at)
      select id, 'KZ-55', 'KZ', scheme_id, effective_at from d`);

  beforeAll(async () => {
    test = await startTestApp(driver, {}, 'api');
    for (const scheme of ['alpha', 'beta']) {
      await test.db.execute(sql`insert into schemes (id, name, event, description, authority)
        values (${scheme}, 'S', 'e', 'd', 'a')`);
      await test.db.execute(sql`insert into scheme_levels (scheme_id, code, rank, name, description,
          measures, cap_severity)
        values (${scheme}, 'low', 1, 'Low', 'd', '[]', 'Minor'), (${scheme}, 'high', 2, 'High', 'd', '[]', 'Severe')`);
      await declare(scheme, 1, CHANGES);
    }
  });
  afterAll(() => test?.close());

  it('GET /v1/levels/{area}/history: every change once, newest first, though one is recorded between pages', async () => {
    // After the first page a newer change is recorded: with an offset, the first page's last change came again.
    const { ids } = await pageThrough(test, '/v1/levels/KZ-55/history', undefined, (pagesRead) =>
      pagesRead === 1 ? declare('alpha', CHANGES + 1, CHANGES + 1) : Promise.resolve(),
    );
    // Two schemes change at each instant: the later scheme id first, as rows tie by id.
    const expected = Array.from({ length: CHANGES }, (_, i) => CHANGES - i).flatMap((n) => [
      `beta ${hours(n)}`,
      `alpha ${hours(n)}`,
    ]);
    expect(ids).toEqual(expected);
  });
});
