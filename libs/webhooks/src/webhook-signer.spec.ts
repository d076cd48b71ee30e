import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signingSecrets, signWebhook, webhookSecretPrefix } from './webhook-signer';

const body = JSON.stringify({ type: 'webhook.test', data: { message: 'hello' } });
const id = 'msg_01';
const headersFor = (signature: string, timestamp: Date) => ({
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
  'webhook-signature': signature,
});

describe('generateWebhookSecret', () => {
  it('makes whsec_ and 24 random bytes in base64, different every time', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('shows whsec_ and six characters as the prefix', () => {
    expect(webhookSecretPrefix('whsec_abcdefghijkl')).toBe('whsec_abcdef');
  });
});

describe('signWebhook', () => {
  const now = new Date();

  it('signs so that standardwebhooks verifies the message', () => {
    const secret = generateWebhookSecret();
    const signature = signWebhook([secret], id, now, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headersFor(signature, now))).toEqual(JSON.parse(body));
  });

  it('carries one signature per secret, each verifying with its own secret only', () => {
    const [current, previous, stranger] = [1, 2, 3].map(() => generateWebhookSecret());
    const signature = signWebhook([current, previous], id, now, body);
    const parts = signature.split(' ');
    expect(parts).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headersFor(parts[0], now))).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headersFor(parts[1], now))).not.toThrow();
    expect(() => new Webhook(current).verify(body, headersFor(parts[1], now))).toThrow();
    expect(() => new Webhook(stranger).verify(body, headersFor(signature, now))).toThrow();
  });

  it.each([
    ['a plain body', body],
    ['non-ASCII text', JSON.stringify({ headline: 'Қазақстан — критический (красный) 🚨' })],
    ['an empty body', ''],
  ])('makes the very bytes standardwebhooks signs, for %s', (_case, payload) => {
    for (let i = 0; i < 20; i++) {
      const secret = generateWebhookSecret();
      const at = new Date(1_641_546_000_000 + i * 1_234_567);
      expect(signWebhook([secret], `msg_${i}`, at, payload)).toBe(
        new Webhook(secret).sign(`msg_${i}`, at, payload),
      );
    }
  });

  it('signs the exact body: a changed byte fails verification', () => {
    const secret = generateWebhookSecret();
    const signature = signWebhook([secret], id, now, body);
    expect(() => new Webhook(secret).verify(`${body} `, headersFor(signature, now))).toThrow();
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook([], id, now, body)).toThrow(/at least one secret/);
  });
});

describe('signingSecrets', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const endpoint = (previousSecretExpiresAt: string | null) => ({
    secret: 'whsec_new',
    previousSecret: previousSecretExpiresAt ? 'whsec_old' : null,
    previousSecretExpiresAt: previousSecretExpiresAt ? new Date(previousSecretExpiresAt) : null,
  });

  it.each([
    [null, ['whsec_new']],
    ['2026-01-01T00:00:01Z', ['whsec_new', 'whsec_old']],
    ['2026-01-01T00:00:00Z', ['whsec_new']],
    ['2025-12-31T00:00:00Z', ['whsec_new']],
  ])('with the previous secret expiring at %s signs with %j', (expiresAt, secrets) => {
    expect(signingSecrets(endpoint(expiresAt), now)).toEqual(secrets);
  });
});
