import { createHash, randomBytes } from 'node:crypto';

export const ROLES = ['admin', 'publisher', 'integrator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const KEY_PATTERN = /^tk_[A-Za-z0-9_-]{24,}$/;

/** A new key: `tk_` and 32 random bytes, base64url. */
export function generateApiKey(): string {
  return `tk_${randomBytes(32).toString('base64url')}`;
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** Keys are long and random, so a plain SHA-256 is enough to keep a leaked table useless. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What an admin sees to tell keys apart: `tk_` and the next six characters. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 9);
}
