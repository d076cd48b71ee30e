// Standard Webhooks signing (https://www.standardwebhooks.com/): `webhook-signature` holds one `v1,<base64>`
// per secret in use, separated by spaces, so a receiver can verify with either side of a rotation.
import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * A new signing secret: `whsec_` and the base64 of 24 random bytes, the form `standardwebhooks` expects
 * (and Svix issues): 192 bits, 32 characters without padding, easy to copy.
 */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/** What a listing shows so an owner can tell secrets apart: `whsec_` and the next six characters. */
export function webhookSecretPrefix(secret: string): string {
  return secret.slice(0, WEBHOOK_SECRET_PREFIX.length + 6);
}

/** The secrets an endpoint signs with at `now`: its current one, and the previous one while its grace lasts. */
export function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
): string[] {
  const { secret, previousSecret, previousSecretExpiresAt } = endpoint;
  if (previousSecret !== null && previousSecretExpiresAt !== null && previousSecretExpiresAt > now)
    return [secret, previousSecret];
  return [secret];
}

/**
 * The `webhook-signature` header of a message signed with each of `secrets`: `v1,` and the base64 of
 * HMAC-SHA256 over `id.seconds.body`, keyed with the bytes the secret's base64 encodes. The same bytes
 * `standardwebhooks` makes (its tests verify ours with it), by Node's native HMAC instead of its pure-JS one,
 * which cost about 25 µs a delivery.
 */
export function signWebhook(secrets: readonly string[], id: string, timestamp: Date, body: string): string {
  if (secrets.length === 0) throw new Error('A webhook needs at least one secret to be signed with.');
  const signed = `${id}.${Math.floor(timestamp.getTime() / 1000)}.${body}`;
  let header = '';
  for (const secret of secrets) {
    const key = Buffer.from(
      secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret,
      'base64',
    );
    header += `${header ? ' ' : ''}v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  }
  return header;
}
