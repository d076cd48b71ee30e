import { queryRows } from '@tocsin/database';
import { sql } from 'drizzle-orm';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

const advisory = (overrides: Record<string, unknown> = {}) => ({
  scheme: 'travel-advisory',
  level: '3',
  areas: ['KG'],
  headline: 'Reconsider travel',
  summary: 'Unrest.',
  authority: 'Desk',
  ...overrides,
});

interface ListedLevel {
  area: { code: string };
  declarationId: string;
  level: { code: string; color: string | null };
  until: string | null;
}

/** GET /v1/levels, the list cached by the API, on two API processes sharing one PostgreSQL database. */
describe('GET /v1/levels across two API processes', () => {
  let writer: TestApp;
  let reader: TestApp;

  beforeAll(async () => {
    writer = await startTestApp('postgres');
    reader = await startTestApp('postgres', { DATABASE_URL: writer.config.databaseUrl! }, 'api');
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
  });

  const publish = (overrides: Record<string, unknown> = {}) =>
    writer.http.post('/v1/declarations').set(writer.as()).send(advisory(overrides)).expect(201);
  const listedIn = async (test: TestApp, area: string): Promise<ListedLevel[]> =>
    (await test.http.get('/v1/levels').expect(200)).body.items.filter(
      (item: ListedLevel) => item.area.code === area,
    );
  const csvRowsOf = async (test: TestApp, area: string): Promise<string[]> =>
    (await test.http.get('/v1/levels').set('accept', 'text/csv').buffer(true).expect(200)).text
      .split('\r\n')
      .filter((row) => row.startsWith(`${area},`));
  const levelRevision = async () =>
    (await queryRows<{ revision: string }>(writer.db, sql`select revision from level_revision`))[0].revision;

  it('shows what the other process publishes, recolours and cancels on the very next request', async () => {
    expect(await listedIn(reader, 'KG')).toEqual([]);
    expect(await csvRowsOf(reader, 'KG')).toEqual([]);

    const published = (await publish()).body;
    expect(await listedIn(reader, 'KG')).toEqual([
      expect.objectContaining({ declarationId: published.id, level: expect.objectContaining({ code: '3' }) }),
    ]);
    expect(await csvRowsOf(reader, 'KG')).toEqual([expect.stringContaining(`,${published.id},`)]);

    await writer.http
      .patch('/v1/schemes/travel-advisory')
      .set(writer.as())
      .send({ levels: [{ code: '3', color: '#123456' }] })
      .expect(200);
    expect((await listedIn(reader, 'KG'))[0].level.color).toBe('#123456');

    await writer.http.post(`/v1/declarations/${published.id}/cancel`).set(writer.as()).send({}).expect(200);
    expect(await listedIn(reader, 'KG')).toEqual([]);
    expect(await csvRowsOf(reader, 'KG')).toEqual([]);
  });

  it('shows a scheduled declaration when it starts and drops it when it expires, with no write between', async () => {
    const effectiveAt = new Date(Date.now() + 1500);
    const expiresAt = new Date(effectiveAt.getTime() + 1500);
    const scheduled = (await publish({ areas: ['UZ'], effectiveAt, expiresAt })).body;
    const revision = await levelRevision();
    expect(await listedIn(reader, 'UZ')).toEqual([]);

    // Read until the list changes, at most 500 ms past `instant`, then check it changed no sooner (`at` is
    // taken after the answer).
    const changeAt = (instant: Date, countBefore: number, what: string) =>
      eventually(
        async () => ({ items: await listedIn(reader, 'UZ'), at: Date.now() }),
        (read) => read.items.length !== countBefore,
        { timeoutMs: instant.getTime() + 500 - Date.now(), intervalMs: 20, what },
      );
    const started = await changeAt(effectiveAt, 0, 'the start to show');
    expect(started.at).toBeGreaterThanOrEqual(effectiveAt.getTime());
    expect(started.items).toEqual([
      expect.objectContaining({ declarationId: scheduled.id, until: expiresAt.toISOString() }),
    ]);
    expect(await csvRowsOf(reader, 'UZ')).toEqual([expect.stringContaining(`,${scheduled.id},`)]);

    const expired = await changeAt(expiresAt, 1, 'the expiry to show');
    expect(expired.at).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(expired.items).toEqual([]);
    expect(await csvRowsOf(reader, 'UZ')).toEqual([]);
    expect(await levelRevision()).toBe(revision);
  });

  it('answers If-None-Match with 304 while its representation is unchanged, and 200 once it changes', async () => {
    const json = await reader.http.get('/v1/levels').expect(200);
    const jsonTag = json.headers.etag;
    expect(jsonTag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(json.headers['cache-control']).toBe('public, no-cache');
    const notModified = await reader.http.get('/v1/levels').set('if-none-match', jsonTag).expect(304);
    expect(notModified.headers.etag).toBe(jsonTag);
    expect(notModified.text).toBeFalsy();

    // Another representation, another tag: the JSON one does not match the CSV.
    const csv = await reader.http
      .get('/v1/levels')
      .set({ accept: 'text/csv', 'if-none-match': jsonTag })
      .expect(200);
    expect(csv.headers.etag).not.toBe(jsonTag);
    await reader.http
      .get('/v1/levels')
      .set({ accept: 'text/csv', 'if-none-match': csv.headers.etag })
      .expect(304);

    // Both processes render the same bytes, so they give the same tag.
    expect((await writer.http.get('/v1/levels').expect(200)).headers.etag).toBe(jsonTag);

    await publish({ areas: ['TJ'] });
    const changed = await reader.http.get('/v1/levels').set('if-none-match', jsonTag).expect(200);
    expect(changed.headers.etag).not.toBe(jsonTag);
    expect(changed.body.items.map((item: ListedLevel) => item.area.code)).toContain('TJ');

    // A list as of an instant has its own tag too.
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const past = await reader.http.get('/v1/levels').query({ at }).expect(200);
    await reader.http.get('/v1/levels').query({ at }).set('if-none-match', past.headers.etag).expect(304);
  });
});
