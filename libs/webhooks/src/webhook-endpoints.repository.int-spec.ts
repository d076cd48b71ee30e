import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { StoredWebhookEndpoint } from './webhook-endpoint';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

const endpoint = (id: string, ownerKeyId: string, createdAt: string): StoredWebhookEndpoint => ({
  id,
  ownerKeyId,
  url: `https://${id}.example.org/hook`,
  description: null,
  contactEmail: null,
  filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
  exercises: false,
  enabled: true,
  disabledReason: null,
  format: 'standard',
  telegramChatId: null,
  secret: `whsec_${id}`,
  previousSecret: null,
  previousSecretExpiresAt: null,
  createdAt: new Date(createdAt),
  updatedAt: new Date(createdAt),
});

describe.each(DATABASE_DRIVERS)('WebhookEndpointsRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: WebhookEndpointsRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new WebhookEndpointsRepository(database.db);
  });
  afterAll(() => database?.close());

  beforeEach(async () => {
    await database.db.delete(tables.webhookEndpoints);
    await repository.insert(endpoint('whk_a', 'key_1', '2026-01-01T00:00:00Z'));
    await repository.insert(endpoint('whk_b', 'key_2', '2026-01-02T00:00:00Z'));
    await repository.insert(endpoint('whk_c', 'key_1', '2026-01-02T00:00:00Z'));
  });

  it('reads back what it stored, filter and secrets included', async () => {
    expect(await repository.findById('whk_a')).toEqual(endpoint('whk_a', 'key_1', '2026-01-01T00:00:00Z'));
  });

  it('stores a telegram endpoint’s format and chat, and changes them back to standard', async () => {
    const telegram = {
      ...endpoint('whk_t', 'key_1', '2026-01-03T00:00:00Z'),
      url: 'https://api.telegram.org/bot123:secret/sendMessage',
      format: 'telegram' as const,
      telegramChatId: '-1001234567890',
    };
    await repository.insert(telegram);
    expect(await repository.findById('whk_t')).toEqual(telegram);
    const at = new Date('2026-02-01T00:00:00Z');
    expect(
      await repository.update('whk_t', { format: 'standard', telegramChatId: null, updatedAt: at }),
    ).toMatchObject({ format: 'standard', telegramChatId: null, url: telegram.url });
  });

  it('finds, changes and deletes only an owner’s own endpoint when asked for an owner', async () => {
    const at = new Date('2026-02-01T00:00:00Z');
    expect(await repository.findById('whk_b', 'key_1')).toBeNull();
    expect(await repository.update('whk_b', { enabled: false, updatedAt: at }, 'key_1')).toBeNull();
    expect(await repository.rotateSecret('whk_b', 'whsec_x', null, at, 'key_1')).toBeNull();
    expect(await repository.delete('whk_b', 'key_1')).toBe(false);
    expect(await repository.findById('whk_b')).toMatchObject({ enabled: true, secret: 'whsec_whk_b' });
    expect(await repository.findById('whk_b', 'key_2')).toMatchObject({ id: 'whk_b' });
  });

  it('pages newest first with ties broken by id, for one owner or all', async () => {
    const first = await repository.findPage({ limit: 2 });
    expect(first.map((e) => e.id)).toEqual(['whk_c', 'whk_b']);
    const rest = await repository.findPage({ limit: 2, after: first[1].position });
    expect(rest.map((e) => e.id)).toEqual(['whk_a']);
    const own = await repository.findPage({ limit: 10, ownedBy: 'key_1' });
    expect(own.map((e) => e.id)).toEqual(['whk_c', 'whk_a']);
  });

  it('updates the fields given and leaves the others', async () => {
    const at = new Date('2026-02-01T00:00:00Z');
    const updated = await repository.update('whk_a', {
      filter: { areas: ['KZ-75', 'KG'], schemeId: 'kz-terror', minRank: 2, events: ['escalated'] },
      enabled: false,
      disabledReason: 'by hand',
      updatedAt: at,
    });
    expect(updated).toMatchObject({
      url: 'https://whk_a.example.org/hook',
      filter: { areas: ['KZ-75', 'KG'], schemeId: 'kz-terror', minRank: 2, events: ['escalated'] },
      enabled: false,
      disabledReason: 'by hand',
      updatedAt: at,
    });
  });

  it('keeps the replaced secret through a grace period, and drops it without one', async () => {
    const at = new Date('2026-02-01T00:00:00Z');
    const until = new Date('2026-02-02T00:00:00Z');
    expect(await repository.rotateSecret('whk_a', 'whsec_second', until, at)).toMatchObject({
      secret: 'whsec_second',
      previousSecret: 'whsec_whk_a',
      previousSecretExpiresAt: until,
    });
    expect(await repository.rotateSecret('whk_a', 'whsec_third', until, at)).toMatchObject({
      secret: 'whsec_third',
      previousSecret: 'whsec_second',
    });
    expect(await repository.rotateSecret('whk_a', 'whsec_fourth', null, at)).toMatchObject({
      secret: 'whsec_fourth',
      previousSecret: null,
      previousSecretExpiresAt: null,
    });
  });

  it('disables an endpoint for one of two callers at once, keeping that one’s reason', async () => {
    const at = new Date('2026-02-01T00:00:00Z');
    const outcomes = await Promise.all([
      repository.disable('whk_a', 'The receiver answered 410 Gone.', at),
      repository.disable('whk_a', 'Every delivery has failed since yesterday.', at),
    ]);
    const disabled = outcomes.filter((endpoint) => endpoint !== null);
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatchObject({ id: 'whk_a', enabled: false, updatedAt: at });
    expect(await repository.findById('whk_a')).toMatchObject({
      enabled: false,
      disabledReason: disabled[0]!.disabledReason,
    });
    expect(await repository.disable('whk_a', 'Later.', at)).toBeNull();
    expect(await repository.disable('whk_gone', 'Never there.', at)).toBeNull();
  });

  it('deletes an endpoint', async () => {
    expect(await repository.delete('whk_a')).toBe(true);
    expect(await repository.findById('whk_a')).toBeNull();
    expect(await repository.delete('whk_a')).toBe(false);
  });
});
