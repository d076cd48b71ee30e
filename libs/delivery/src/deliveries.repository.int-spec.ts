import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { EventChange, OutboxRepository } from '@tocsin/declarations';
import { eq } from 'drizzle-orm';
import { AttemptOutcome, ChannelName, DeliveriesRepository } from './deliveries.repository';
import { seedDeclaredEvent } from './testing/declared-event';
import { levelChangedEvent } from './testing/level-changed-event';

const { deliveries, deliveryAttempts, emailSubscriptions, outbox, webhookEndpoints } = tables;

const at = new Date('2022-01-07T09:00:00Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const ANY = { schemeId: null, minRank: null, events: null };

/** The event every test fans out: kz-terror to red in Almaty city. */
const EVENT = levelChangedEvent('evt_almaty', ['KZ-75']);
const CHANGES: EventChange[] = [
  { areaCode: 'KZ-75', schemeId: 'kz-terror', previousRank: null, currentRank: 3, direction: 'escalated' },
];

const outcome = (deliveryId: string, changes: Partial<AttemptOutcome> = {}): AttemptOutcome => ({
  deliveryId,
  attempt: 1,
  at: later(1),
  ok: true,
  statusCode: 204,
  error: null,
  latencyMs: 12,
  responseExcerpt: 'thanks',
  status: 'delivered',
  nextAttemptAt: null,
  ...changes,
});

describe.each(DATABASE_DRIVERS)('DeliveriesRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeliveriesRepository;

  const webhook = (id: string, areas: string[], changes: { enabled?: boolean; ownerKeyId?: string } = {}) =>
    database.db.insert(webhookEndpoints).values({
      id,
      ownerKeyId: changes.ownerKeyId ?? 'key_1',
      url: `https://${id}.example.org/hook`,
      areas,
      ...ANY,
      enabled: changes.enabled ?? true,
      secret: `enc:v1:sealed-${id}`,
      createdAt: at,
      updatedAt: at,
    });
  const email = (id: string, areas: string[], status = 'confirmed') =>
    database.db.insert(emailSubscriptions).values({
      id,
      email: `${id}@example.org`,
      areas,
      ...ANY,
      status,
      tokenVersion: 3,
      createdAt: at,
      updatedAt: at,
    });
  /** Every delivery row of the event, by subscriber. */
  const rows = async () =>
    (await database.db.select().from(deliveries).where(eq(deliveries.eventId, EVENT.data.eventId))).sort(
      (a, b) =>
        (a.webhookEndpointId ?? a.emailSubscriptionId ?? '').localeCompare(
          b.webhookEndpointId ?? b.emailSubscriptionId ?? '',
        ),
    );
  const idOf = async (subscriber: string) => {
    const row = (await rows()).find(
      (r) => r.webhookEndpointId === subscriber || r.emailSubscriptionId === subscriber,
    );
    if (!row) throw new Error(`no delivery to ${subscriber}`);
    return row.id;
  };
  const set = (id: string, changes: Partial<typeof deliveries.$inferInsert>) =>
    database.db.update(deliveries).set(changes).where(eq(deliveries.id, id));
  /** Creates every page of `channel` for the event, `size` subscribers at a time; returns each page's end. */
  const fanOut = async (channel: ChannelName, size = 1000) => {
    const ends: string[] = [];
    for (let after = ''; ;) {
      const page = await repository.createPage(channel, EVENT.data.eventId, CHANGES, after, size);
      if (page === null) return ends;
      ends.push(page.last);
      after = page.last;
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new DeliveriesRepository(database.db, await seedDeclaredEvent(database.db, EVENT, at));
    await webhook('whk_a', ['KZ']);
    await webhook('whk_b', ['KZ-75'], { ownerKeyId: 'key_2' });
    await webhook('whk_c', ['*']);
    await webhook('whk_off', ['KZ'], { enabled: false });
    await webhook('whk_paris', ['FR']);
    await email('sub_kz', ['KZ']);
    await email('sub_pending', ['KZ'], 'pending');
  });
  beforeEach(() => database.db.delete(deliveries));
  afterAll(() => database?.close());

  describe('fan-out', () => {
    it('creates one pending delivery per enabled, matching subscriber, a page at a time', async () => {
      // Pages are cut from the candidates under the change's area keys, before the filter: the disabled
      // whk_off ends the second page, with no delivery of its own, as the unconfirmed sub_pending ends email's.
      expect(await fanOut('webhook', 2)).toEqual(['whk_b', 'whk_off']);
      expect(await fanOut('email', 2)).toEqual(['sub_pending']);
      expect(
        (await rows()).map((r) => [
          r.channel,
          r.webhookEndpointId ?? r.emailSubscriptionId,
          r.status,
          r.attempts,
        ]),
      ).toEqual([
        ['email', 'sub_kz', 'pending', 0],
        ['webhook', 'whk_a', 'pending', 0],
        ['webhook', 'whk_b', 'pending', 0],
        ['webhook', 'whk_c', 'pending', 0],
      ]);
      expect((await rows()).every((r) => /^dlv_[0-9a-f]{32}$/.test(r.id))).toBe(true);
    });

    it('creates no second row when run again, and keeps the rows it made', async () => {
      await fanOut('webhook');
      const first = await rows();
      await set(first[0].id, { status: 'delivered', attempts: 1 });
      await fanOut('webhook');
      expect((await rows()).map((r) => [r.id, r.status])).toEqual([
        [first[0].id, 'delivered'],
        [first[1].id, 'pending'],
        [first[2].id, 'pending'],
      ]);
    });

    it('answers the first attempts to make of the subscribers in each page, by subscriber', async () => {
      const first = await repository.createPage('webhook', EVENT.data.eventId, CHANGES, '', 2);
      const second = await repository.createPage('webhook', EVENT.data.eventId, CHANGES, 'whk_b', 2);
      expect(first).toEqual({
        last: 'whk_b',
        firstAttempts: [await idOf('whk_a'), await idOf('whk_b')],
        full: true,
      });
      // Full of candidates (whk_off is disabled), so there may be another; there is none.
      expect(second).toEqual({ last: 'whk_off', firstAttempts: [await idOf('whk_c')], full: true });
      expect(await repository.createPage('webhook', EVENT.data.eventId, CHANGES, 'whk_off', 2)).toBeNull();
      // A short page is the last: the fan-out asks for no other.
      expect(await repository.createPage('webhook', EVENT.data.eventId, CHANGES, 'whk_b', 3)).toEqual({
        last: 'whk_off',
        firstAttempts: [await idOf('whk_c')],
        full: false,
      });
    });

    it('creates the first page of every channel in one go, as createPage would, and again harmlessly', async () => {
      const first = await repository.createFirstPages(EVENT.data.eventId, 2, 100);
      // The event's changes as the outbox holds them (changesOf), read in the same statement.
      expect(first.changes).toEqual(CHANGES);
      // Full pages: there may be more, so the fan-out is not known to be small, and nothing comes to send.
      expect(first.toSend).toBeNull();
      expect(first.pages).toEqual({
        webhook: { last: 'whk_b', firstAttempts: [await idOf('whk_a'), await idOf('whk_b')], full: true },
        email: { last: 'sub_pending', firstAttempts: [await idOf('sub_kz')], full: true },
        sms: null,
      });
      await set(await idOf('whk_a'), { status: 'delivered', attempts: 1 });
      expect((await repository.createFirstPages(EVENT.data.eventId, 2, 100)).pages).toEqual({
        ...first.pages,
        webhook: { last: 'whk_b', firstAttempts: [await idOf('whk_b')], full: true },
      });
      expect(await rows()).toHaveLength(3);
    });

    it('answers a whole small fan-out ready to send, as toSend reads its rows, and only up to sendUpTo', async () => {
      const first = await repository.createFirstPages(EVENT.data.eventId, 1000, 4);
      const ids = [...first.pages.webhook!.firstAttempts, ...first.pages.email!.firstAttempts];
      expect(ids).toHaveLength(4);
      expect(first.toSend).toEqual(await repository.toSend(ids, 1));
      // Shared as toSend shares them: one parsed payload, one JSON text.
      expect(new Set(first.toSend!.map((row) => row.payload)).size).toBe(1);

      // Run again with one attempted: only the other three come, and with a bound below them, none.
      await set(await idOf('whk_a'), { status: 'delivered', attempts: 1 });
      const again = await repository.createFirstPages(EVENT.data.eventId, 1000, 4);
      expect(again.toSend!.map((row) => row.id).sort()).toEqual(ids.filter((id) => id !== ids[0]).sort());
      expect((await repository.createFirstPages(EVENT.data.eventId, 1000, 2)).toSend).toBeNull();
      expect(await rows()).toHaveLength(4);
    });

    it('creates no first pages for an event with no changes: not rendered, or not there', async () => {
      expect(await repository.createFirstPages('evt_unknown', 2, 100)).toEqual({
        changes: [],
        pages: { webhook: null, email: null, sms: null },
        toSend: [],
      });
      expect(await rows()).toHaveLength(0);
    });

    it('run again, answers only the rows of the page not yet attempted, by subscriber', async () => {
      await fanOut('webhook');
      const unattempted = await idOf('whk_a');
      await set(await idOf('whk_b'), { attempts: 1, nextAttemptAt: later(5) });
      // A row gone meanwhile is made again, and answered with the one made before and not attempted.
      await database.db.delete(deliveries).where(eq(deliveries.id, await idOf('whk_c')));

      const page = await repository.createPage('webhook', EVENT.data.eventId, CHANGES, '', 1000);

      expect(page).toEqual({
        last: 'whk_off',
        firstAttempts: [unattempted, await idOf('whk_c')],
        full: false,
      });
      expect(await rows()).toHaveLength(3);
    });
  });

  describe('sending', () => {
    beforeEach(async () => {
      await fanOut('webhook');
      await fanOut('email');
    });

    it('reads a batch with its endpoint or subscription, all sharing one parsed payload and its JSON', async () => {
      await database.db
        .update(emailSubscriptions)
        .set({ language: 'ru', timeZone: 'Europe/London' })
        .where(eq(emailSubscriptions.id, 'sub_kz'));
      const ids = [await idOf('whk_a'), await idOf('sub_kz')];
      const batch = await repository.toSend(ids, 1);
      const toWebhook = batch.find((row) => row.channel === 'webhook');
      const toEmail = batch.find((row) => row.channel === 'email');
      expect(toWebhook).toEqual({
        channel: 'webhook',
        id: ids[0],
        eventId: EVENT.data.eventId,
        attempts: 0,
        payload: EVENT,
        payloadJson: expect.any(String),
        endpoint: {
          id: 'whk_a',
          url: 'https://whk_a.example.org/hook',
          enabled: true,
          format: 'standard',
          telegramChatId: null,
          secret: 'enc:v1:sealed-whk_a',
          previousSecret: null,
          previousSecretExpiresAt: null,
        },
      });
      expect(toEmail).toEqual({
        channel: 'email',
        id: ids[1],
        eventId: EVENT.data.eventId,
        attempts: 0,
        payload: EVENT,
        payloadJson: expect.any(String),
        subscription: {
          id: 'sub_kz',
          address: 'sub_kz@example.org',
          status: 'confirmed',
          tokenVersion: 3,
          filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
          language: 'ru',
          timeZone: 'Europe/London',
        },
      });
      expect(JSON.parse(toWebhook?.payloadJson ?? '')).toEqual(EVENT);
      expect(toEmail?.payload).toBe(toWebhook?.payload);
      expect(toEmail?.payloadJson).toBe(toWebhook?.payloadJson);
    });

    it('reads a rotated endpoint’s previous secret and when it stops signing', async () => {
      await database.db
        .update(webhookEndpoints)
        .set({ previousSecret: 'enc:v1:old', previousSecretExpiresAt: later(60) })
        .where(eq(webhookEndpoints.id, 'whk_b'));
      try {
        const [row] = await repository.toSend([await idOf('whk_b')]);
        expect(row.channel === 'webhook' && row.endpoint).toMatchObject({
          previousSecret: 'enc:v1:old',
          previousSecretExpiresAt: later(60),
        });
      } finally {
        await database.db
          .update(webhookEndpoints)
          .set({ previousSecret: null, previousSecretExpiresAt: null })
          .where(eq(webhookEndpoints.id, 'whk_b'));
      }
    });

    it('reads only pending deliveries, and with an attempt number only those due for that attempt', async () => {
      const [a, b, c] = [await idOf('whk_a'), await idOf('whk_b'), await idOf('whk_c')];
      await set(a, { status: 'delivered', attempts: 1 });
      await set(b, { attempts: 1 });
      expect((await repository.toSend([a, b, c], 1)).map((r) => r.id)).toEqual([c]);
      expect((await repository.toSend([a, b, c], 2)).map((r) => r.id)).toEqual([b]);
      expect((await repository.toSend([a, b, c])).map((r) => r.id).sort()).toEqual([b, c].sort());
      expect(await repository.toSend([])).toEqual([]);
    });

    it('writes a batch of outcomes back in one go, and logs each attempt', async () => {
      const [a, b] = [await idOf('whk_a'), await idOf('whk_b')];
      await repository.record([
        outcome(a),
        outcome(b, {
          ok: false,
          statusCode: 503,
          error: 'answered 503',
          responseExcerpt: null,
          status: 'pending',
          nextAttemptAt: later(6),
        }),
      ]);
      const [delivered, retrying] = [await repository.findById(a), await repository.findById(b)];
      expect(delivered).toMatchObject({
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 204,
        lastError: null,
        lastLatencyMs: 12,
        responseExcerpt: 'thanks',
        deliveredAt: later(1),
        nextAttemptAt: null,
      });
      expect(delivered?.attemptsLog).toEqual([
        {
          attempt: 1,
          at: later(1),
          ok: true,
          statusCode: 204,
          error: null,
          latencyMs: 12,
          responseExcerpt: 'thanks',
        },
      ]);
      expect(retrying).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastStatusCode: 503,
        lastError: 'answered 503',
        deliveredAt: null,
        nextAttemptAt: later(6),
      });
      // A first attempt that succeeded is told by its delivery row alone: only the failure has a log row.
      const logged = await database.db.select().from(deliveryAttempts);
      expect(logged.map((row) => [row.deliveryId, row.attempt])).toEqual([[b, 1]]);
    });

    it('ignores the outcome of an attempt already written (a duplicate job), in the row and in the log', async () => {
      const a = await idOf('whk_a');
      await repository.record([outcome(a)]);
      await repository.record([outcome(a, { ok: false, statusCode: 500, status: 'pending', at: later(2) })]);
      expect(await repository.findById(a)).toMatchObject({ status: 'delivered', lastStatusCode: 204 });
      expect((await repository.findById(a))?.attemptsLog).toHaveLength(1);
    });

    it('marks pending deliveries skipped with the reason, and leaves finished ones alone', async () => {
      const [a, b] = [await idOf('whk_a'), await idOf('whk_b')];
      await repository.record([outcome(a)]);
      await repository.markSkipped([a, b], 'the endpoint is disabled', later(3));
      expect(await repository.findById(a)).toMatchObject({ status: 'delivered', lastError: null });
      expect(await repository.findById(b)).toMatchObject({
        status: 'skipped',
        lastError: 'the endpoint is disabled',
        nextAttemptAt: null,
      });
    });
  });

  describe('recovery', () => {
    beforeEach(() => fanOut('webhook'));

    it('finds retries long overdue, and first attempts long not made only when asked', async () => {
      const [a, b, c] = [await idOf('whk_a'), await idOf('whk_b'), await idOf('whk_c')];
      await set(a, { createdAt: later(-30), attempts: 2, nextAttemptAt: later(-20) });
      await set(b, { createdAt: later(-20) });
      await set(c, { createdAt: later(-10), attempts: 1, nextAttemptAt: later(30) });
      expect(await repository.lost(later(-5), 100, false)).toEqual([{ id: a, attempts: 2 }]);
      expect(await repository.lost(later(-5), 100, true)).toEqual([
        { id: a, attempts: 2 },
        { id: b, attempts: 0 },
      ]);
      expect(await repository.lost(later(-5), 1, true)).toEqual([{ id: a, attempts: 2 }]);
    });

    it('reopens one failed delivery for a replay, and nothing that is not failed', async () => {
      const [a, b] = [await idOf('whk_a'), await idOf('whk_b')];
      await set(a, { status: 'failed', attempts: 4 });
      expect(await repository.reopenFailed(a, later(10))).toEqual([{ id: a, attempts: 4 }]);
      expect(await repository.findById(a)).toMatchObject({ status: 'pending', nextAttemptAt: later(10) });
      expect(await repository.reopenFailed(b, later(10))).toEqual([]);
      expect(await repository.findById(b)).toMatchObject({ status: 'pending', nextAttemptAt: null });
    });

    it('reopens the failed deliveries to one endpoint created since an instant', async () => {
      const other = levelChangedEvent('evt_other', ['KZ']);
      await database.db.transaction((tx) =>
        new OutboxRepository(database.db).append(tx, [
          { eventId: 'evt_other', declarationId: 'dcl_1', cause: 'declared', dueAt: at, payload: other },
        ]),
      );
      try {
        await repository.createPage('webhook', 'evt_other', CHANGES, '', 10);
        const [older] = await database.db
          .select()
          .from(deliveries)
          .where(eq(deliveries.eventId, 'evt_other'))
          .orderBy(deliveries.webhookEndpointId);
        const recent = await idOf('whk_a');
        await set(older.id, { status: 'failed', createdAt: later(-60) });
        await set(recent, { status: 'failed', createdAt: later(0) });
        await set(await idOf('whk_b'), { status: 'failed', createdAt: later(0) });
        expect(await repository.reopenFailedToEndpoint('whk_a', later(-30), later(5))).toEqual([
          { id: recent, attempts: 0 },
        ]);
        expect((await repository.findById(older.id))?.status).toBe('failed');
        expect((await repository.findById(await idOf('whk_b')))?.status).toBe('failed');
      } finally {
        await database.db.delete(deliveries);
        await database.db.delete(outbox).where(eq(outbox.eventId, 'evt_other'));
      }
    });
  });

  describe('the log', () => {
    beforeEach(() => fanOut('webhook'));

    it('gives a delivery with its owner and its attempts in order, and null for an unknown id', async () => {
      const b = await idOf('whk_b');
      await repository.record([
        outcome(b, { ok: false, statusCode: 500, status: 'pending', error: 'answered 500' }),
      ]);
      await repository.record([outcome(b, { attempt: 2, at: later(2) })]);
      const found = await repository.findById(b);
      expect(found).toMatchObject({
        id: b,
        channel: 'webhook',
        webhookEndpointId: 'whk_b',
        ownerKeyId: 'key_2',
      });
      expect(found?.attemptsLog.map((a) => [a.attempt, a.ok, a.error])).toEqual([
        [1, false, 'answered 500'],
        [2, true, null],
      ]);
      expect(await repository.findById('dlv_nothing')).toBeNull();
    });

    it('pages newest first, by status, endpoint or owner', async () => {
      const [a, b, c] = [await idOf('whk_a'), await idOf('whk_b'), await idOf('whk_c')];
      await set(a, { createdAt: later(1) });
      await set(b, { createdAt: later(2), status: 'failed' });
      await set(c, { createdAt: later(2) });
      const first = await repository.findMany({ limit: 2 });
      expect(first.map((d) => d.id)).toEqual([b, c].sort().reverse());
      const rest = await repository.findMany({ limit: 2, after: first[1].position });
      expect(rest.map((d) => d.id)).toEqual([a]);
      expect((await repository.findMany({ limit: 10, status: 'failed' })).map((d) => d.id)).toEqual([b]);
      expect((await repository.findMany({ limit: 10, webhookEndpointId: 'whk_a' })).map((d) => d.id)).toEqual(
        [a],
      );
      expect((await repository.findMany({ limit: 10, ownerKeyId: 'key_2' })).map((d) => d.id)).toEqual([b]);
    });

    it('tells when the first delivery to fail after an endpoint’s last success was made', async () => {
      const other = levelChangedEvent('evt_second', ['KZ']);
      const outboxRepository = new OutboxRepository(database.db);
      await database.db.transaction((tx) =>
        outboxRepository.append(tx, [
          { eventId: 'evt_second', declarationId: 'dcl_1', cause: 'declared', dueAt: at, payload: other },
        ]),
      );
      try {
        await repository.createPage('webhook', 'evt_second', CHANGES, '', 10);
        const [second] = await database.db
          .select()
          .from(deliveries)
          .where(eq(deliveries.eventId, 'evt_second'))
          .orderBy(deliveries.webhookEndpointId);
        const first = await idOf('whk_a');
        expect(await repository.firstFailureSinceSuccess('whk_a')).toBeNull();
        await set(first, { status: 'failed', createdAt: later(1) });
        await set(second.id, { status: 'failed', createdAt: later(2) });
        expect(await repository.firstFailureSinceSuccess('whk_a')).toEqual(later(1));
        await set(first, { status: 'delivered', deliveredAt: later(1.5) });
        expect(await repository.firstFailureSinceSuccess('whk_a')).toEqual(later(2));
        await set(second.id, { status: 'delivered', deliveredAt: later(3) });
        expect(await repository.firstFailureSinceSuccess('whk_a')).toBeNull();
      } finally {
        await database.db.delete(deliveries);
        await database.db.delete(outbox).where(eq(outbox.eventId, 'evt_second'));
      }
    });
  });
});
