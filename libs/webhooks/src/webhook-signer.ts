// Standard Webhooks signing (https://www.standardwebhooks.com/): `webhook-signature` holds one `v1,<base64>`
// per secret in use, separated by spaces, so a receiver can verify with either side of a rotation.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

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

/** The `webhook-signature` header of a message signed with each of `secrets`. */
export function signWebhook(secrets: readonly string[], id: string, timestamp: Date, body: string): string {
  if (secrets.length === 0) throw new Error('A webhook needs at least one secret to be signed with.');
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
}
