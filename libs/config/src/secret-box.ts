// Secrets at rest (webhook signing secrets, the link-signing key): AES-256-GCM under SECRETS_KEY, bound to
// the row they belong to, so that a database dump alone forges nothing and a value copied to another row
// does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The stored form: `enc:v1:` and the base64 of iv (12 bytes) | tag (16 bytes) | ciphertext. */
export const SEALED_PREFIX = 'enc:v1:';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRETS_KEY_BYTES = 32;

/** A stored value that does not open: another key sealed it, it was altered, or it belongs to another row. */
export class SecretNotOpened extends Error {
  constructor(
    message: string,
    /** `unsealed`: stored as plain text; `mismatch`: the key or the row is not the one it was sealed with. */
    readonly reason: 'unsealed' | 'malformed' | 'mismatch',
  ) {
    super(message);
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/** `plaintext` sealed under `key`; `boundTo` (the row's id) must be given again to open it. */
export function sealSecret(key: Buffer, plaintext: string, boundTo: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** The plaintext of a value `sealSecret` made with the same key and `boundTo`; else SecretNotOpened. */
export function openSecret(key: Buffer, stored: string, boundTo: string): string {
  if (!isSealed(stored))
    throw new SecretNotOpened(`the stored secret of ${boundTo} is not sealed`, 'unsealed');
  const sealed = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64');
  if (sealed.length < IV_BYTES + TAG_BYTES)
    throw new SecretNotOpened(`the stored secret of ${boundTo} is truncated`, 'malformed');
  const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SecretNotOpened(`the stored secret of ${boundTo} does not open`, 'mismatch');
  }
}

/** Seals and opens with this installation's key; says which key in its errors (never the key itself). */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    /** Where the key came from, for messages: `SECRETS_KEY` or the key file's path. */
    readonly keySource: string,
  ) {
    if (key.length !== SECRETS_KEY_BYTES) throw new Error(`a secrets key is ${SECRETS_KEY_BYTES} bytes`);
  }

  seal(plaintext: string, boundTo: string): string {
    return sealSecret(this.key, plaintext, boundTo);
  }

  open(stored: string, boundTo: string): string {
    try {
      return openSecret(this.key, stored, boundTo);
    } catch (error) {
      if (!(error instanceof SecretNotOpened) || error.reason !== 'mismatch') throw error;
      throw new SecretNotOpened(
        `${error.message} with ${this.keySource}: it was sealed with another key, or altered`,
        'mismatch',
      );
    }
  }
}
