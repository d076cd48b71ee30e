import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { ApiKeysRepository } from './api-keys.repository';

const key = (id: string, keyHash: string, createdAt: string) => ({
  id,
  name: id,
  role: 'publisher' as const,
  keyHash,
  keyPrefix: 'tk_abcdef',
  createdAt: new Date(createdAt),
  createdBy: null,
  revokedAt: null,
});

describe.each(DATABASE_DRIVERS)('ApiKeysRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: ApiKeysRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new ApiKeysRepository(database.db);
    await repository.insert(key('key_a', 'hash-a', '2026-01-01T00:00:00Z'));
    await repository.insert(key('key_b', 'hash-b', '2026-01-02T00:00:00Z'));
    await repository.insert(key('key_c', 'hash-c', '2026-01-02T00:00:00Z'));
  });
  afterAll(() => database?.close());

  it('finds an active key by its hash, and a revoked one no more', async () => {
    expect(await repository.findActiveByHash('hash-a')).toMatchObject({ id: 'key_a', role: 'publisher' });
    expect(await repository.revoke('key_a', new Date())).toBe(true);
    expect(await repository.revoke('key_a', new Date())).toBe(false);
    expect(await repository.findActiveByHash('hash-a')).toBeNull();
  });

  it('inserts a bootstrap key once, even after it was revoked', async () => {
    expect(await repository.insertIfAbsent(key('key_x', 'hash-a', '2026-01-03T00:00:00Z'))).toBe(false);
    expect(await repository.findActiveByHash('hash-a')).toBeNull();
  });

  it('pages newest first, with ties broken by id', async () => {
    const first = await repository.findPage({ limit: 2 });
    expect(first.map((k) => k.id)).toEqual(['key_c', 'key_b']);
    const rest = await repository.findPage({ limit: 2, after: first[1].position });
    expect(rest.map((k) => k.id)).toEqual(['key_a']);
  });
});
