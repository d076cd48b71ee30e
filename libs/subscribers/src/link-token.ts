import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a link in an email may do; a token made for one purpose is refused for another. */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'manage';

/**
 * Tokens in email links: `<subscription id>.<HMAC-SHA256 over purpose, id and version>`. Nothing is stored per
 * token, so every alert email can carry links without a write; bumping the subscription's version voids them all.
 */
export function makeLinkToken(
  secret: string,
  purpose: TokenPurpose,
  subscriptionId: string,
  version: number,
): string {
  return `${subscriptionId}.${mac(secret, purpose, subscriptionId, version)}`;
}

/** The subscription id a token names, or null when it is malformed. Check it with `linkTokenMatches` next. */
export function subscriptionIdOf(token: string): string | null {
  const match = /^([a-z]+_[0-9a-f-]{36})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? match[1] : null;
}

export function linkTokenMatches(
  secret: string,
  token: string,
  purpose: TokenPurpose,
  subscriptionId: string,
  version: number,
): boolean {
  const expected = Buffer.from(makeLinkToken(secret, purpose, subscriptionId, version));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function mac(secret: string, purpose: TokenPurpose, subscriptionId: string, version: number): string {
  return createHmac('sha256', secret).update(`${purpose}:${subscriptionId}:${version}`).digest('base64url');
}
