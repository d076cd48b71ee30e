import { randomBytes } from 'node:crypto';
import { isSealed, SecretBox } from '@tocsin/config';
import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { InstanceSecrets } from './instance-secrets';
import { InstanceSecretsRepository } from './instance-secrets.repository';

describe.each(DATABASE_DRIVERS)('instance secrets at rest on %s', (driver) => {
  let database: TestDatabase;
  const box = new SecretBox(randomBytes(32), 'SECRETS_KEY');

  /** A process starting: its start-up check, then its first use. */
  const started = async (with_ = box) => {
    const secrets = new InstanceSecrets(new InstanceSecretsRepository(database.db), with_);
    await secrets.onModuleInit();
    return secrets;
  };
  const storedValue = async (name: string) =>
    (await database.db.select().from(tables.instanceSecrets)).find((row) => row.name === name)?.value;

  beforeAll(async () => (database = await createTestDatabase(driver)));
  afterAll(() => database?.close());
  beforeEach(() => database.db.delete(tables.instanceSecrets));

  it('are made sealed, and every later process opens the same secret', async () => {
    const made = await (await started()).get('email-link-hmac');
    expect(isSealed((await storedValue('email-link-hmac'))!)).toBe(true);
    expect(await storedValue('email-link-hmac')).not.toContain(made);
    expect(await (await started()).get('email-link-hmac')).toBe(made);
  });

  it('seal at start a secret an older version kept in plain text, keeping its value (links stay valid)', async () => {
    await database.db
      .insert(tables.instanceSecrets)
      .values({ name: 'email-link-hmac', value: 'old-plain-key' });
    const secrets = await started();
    expect(isSealed((await storedValue('email-link-hmac'))!)).toBe(true);
    expect(await secrets.get('email-link-hmac')).toBe('old-plain-key');
    const sealedOnce = await storedValue('email-link-hmac');
    await started();
    expect(await storedValue('email-link-hmac')).toBe(sealedOnce);
  });

  it('stop start-up with one line when the key is not the one they were sealed with', async () => {
    await (await started()).get('email-link-hmac');
    await expect(started(new SecretBox(randomBytes(32), 'the key file /data/secrets.key'))).rejects.toThrow(
      /^the stored secret of email-link-hmac does not open with the key file \/data\/secrets\.key: it was sealed with another key, or altered$/,
    );
  });
});
