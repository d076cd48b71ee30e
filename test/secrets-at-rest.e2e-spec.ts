import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, pgliteDirIn, queryRows, tables } from '@tocsin/database';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

// The embedded default keeps its key in DATA_DIR/secrets.key: what was sealed before a restart opens after it.

const PUBLIC_URL = 'https://alerts.tocsin.test';

describe('secrets at rest across restarts of the embedded database', () => {
  let dataDir: string;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let test: TestApp | undefined;

  const start = async () => {
    test = await startTestApp('pglite', { DATA_DIR: dataDir, SMTP_URL: smtp.url, PUBLIC_URL });
    return test;
  };
  const stop = async () => {
    await test?.close();
    test = undefined;
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tocsin-secrets-'));
    [smtp, receiver] = await Promise.all([SmtpSink.start(), WebhookReceiver.start()]);
  });
  afterEach(async () => {
    await stop();
    await Promise.all([smtp.close(), receiver.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the link-signing key sealed, and a link sent before a restart still works after it', async () => {
    const first = await start();
    expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    await first.http
      .post('/v1/email-subscriptions')
      .send({ email: 'desk@ngo.example', areas: ['KZ'] })
      .expect(202);
    const link = linkIn(
      (await smtp.waitFor('desk@ngo.example'))[0],
      `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`,
    );
    const [stored] = await first.db.select().from(tables.instanceSecrets);
    expect(stored.value).toMatch(/^enc:v1:/);
    await stop();

    const second = await start();
    const token = new URL(link).searchParams.get('token');
    const confirmed = await second.http.post('/v1/email-subscriptions/confirm').send({ token }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed' });
  });

  it('seals at start the plain secrets an older version stored, and they still sign', async () => {
    await start();
    await stop();
    // As an older version left it: a signing secret in plain text.
    const plainSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const older = await openDatabase({ pgliteDir: pgliteDirIn(dataDir) });
    await older.db.insert(tables.webhookEndpoints).values({
      id: 'whk_older',
      ownerKeyId: 'key_admin',
      url: receiver.url('/older'),
      areas: ['*'],
      secret: plainSecret,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await older.close();

    const app = await start();
    const [row] = await queryRows<{ secret: string }>(app.db, sql`select secret from webhook_endpoints`);
    expect(row.secret).toMatch(/^enc:v1:/);
    expect(row.secret).not.toContain(plainSecret.slice('whsec_'.length));
    const ping = await app.http.post('/v1/webhooks/whk_older/test').set(app.as()).expect(200);
    expect(ping.body).toMatchObject({ delivered: true });
    const [message] = receiver.at('/older');
    expect(() =>
      new Webhook(plainSecret).verify(message.body, message.headers as Record<string, string>),
    ).not.toThrow();
  });
});
