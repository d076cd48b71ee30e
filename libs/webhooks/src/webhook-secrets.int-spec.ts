import { randomBytes } from 'node:crypto';
import { isSealed, SecretBox } from '@tocsin/config';
import { queryRows, tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { sql } from 'drizzle-orm';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookSecrets } from './webhook-secrets';

const plain = (n: number) => `whsec_${Buffer.alloc(24, n % 256).toString('base64')}`;
const later = new Date(Date.now() + 3_600_000);

describe.each(DATABASE_DRIVERS)('webhook secrets at rest on %s', (driver) => {
  let database: TestDatabase;
  let repository: WebhookEndpointsRepository;
  const box = new SecretBox(randomBytes(32), 'SECRETS_KEY');

  const stored = () =>
    queryRows<{ id: string; secret: string; previous_secret: string | null }>(
      database.db,
      sql`select id, secret, previous_secret from webhook_endpoints order by id`,
    );
  /** Endpoints as a version before sealing (or a hand-written INSERT) left them: secrets in plain text. */
  const insertPlain = (count: number) =>
    database.db.execute(sql`
      insert into webhook_endpoints (id, owner_key_id, url, areas, secret, created_at, updated_at)
      select 'whk_' || lpad(i::text, 5, '0'), 'key_1', 'https://example.org/' || i, '{KZ}',
             'whsec_' || encode(decode(repeat(lpad(to_hex(i % 256), 2, '0'), 24), 'hex'), 'base64'),
             now(), now()
      from generate_series(1, ${count}) as i`);

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new WebhookEndpointsRepository(database.db);
  });
  afterAll(() => database?.close());
  beforeEach(() => database.db.delete(tables.webhookEndpoints));

  it('seals every plain secret at start, the previous one of a rotation too, and they still sign', async () => {
    await insertPlain(2500); // more than one page
    await database.db.execute(
      sql`update webhook_endpoints set previous_secret = 'whsec_previous', previous_secret_expires_at = ${later} where id = 'whk_00001'`,
    );
    const secrets = new WebhookSecrets(box, repository);
    await secrets.onModuleInit();
    const rows = await stored();
    expect(rows).toHaveLength(2500);
    expect(rows.every((row) => isSealed(row.secret))).toBe(true);
    expect(rows.map((row) => secrets.open(row.id, row.secret))).toEqual(rows.map((_row, i) => plain(i + 1)));
    const [first] = rows;
    expect(isSealed(first.previous_secret!)).toBe(true);
    expect(
      secrets.signingSecretsOf(
        {
          id: first.id,
          secret: first.secret,
          previousSecret: first.previous_secret,
          previousSecretExpiresAt: later,
        },
        new Date(),
      ),
    ).toEqual([plain(1), 'whsec_previous']);
  });

  it('is idempotent: a second start changes nothing', async () => {
    await insertPlain(3);
    await new WebhookSecrets(box, repository).onModuleInit();
    const once = await stored();
    await new WebhookSecrets(box, repository).onModuleInit();
    expect(await stored()).toEqual(once);
  });

  it('does not open a sealed secret copied to another endpoint', async () => {
    await insertPlain(2);
    const secrets = new WebhookSecrets(box, repository);
    await secrets.onModuleInit();
    const [a] = await stored();
    expect(() => secrets.open('whk_00002', a.secret)).toThrow(/the stored secret of whk_00002 does not open/);
  });

  it('stops start-up with one line on a wrong key, and seals nothing with it', async () => {
    await insertPlain(1);
    await new WebhookSecrets(box, repository).onModuleInit();
    await database.db.execute(
      sql`insert into webhook_endpoints (id, owner_key_id, url, areas, secret, created_at, updated_at)
          values ('whk_plain', 'key_1', 'https://example.org/p', '{KZ}', 'whsec_plain', now(), now())`,
    );
    const wrong = new WebhookSecrets(new SecretBox(randomBytes(32), 'SECRETS_KEY'), repository);
    await expect(wrong.onModuleInit()).rejects.toThrow(
      /^the stored secret of whk_00001 does not open with SECRETS_KEY: it was sealed with another key, or altered$/,
    );
    expect((await stored()).find((row) => row.id === 'whk_plain')?.secret).toBe('whsec_plain');
  });
});
