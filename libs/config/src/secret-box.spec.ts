import { randomBytes } from 'node:crypto';
import { isSealed, openSecret, SEALED_PREFIX, sealSecret, SecretBox, SecretNotOpened } from './secret-box';

const key = randomBytes(32);
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('sealing secrets at rest', () => {
  it('opens what it sealed, for the same row, and stores no trace of the plaintext', () => {
    const sealed = sealSecret(key, secret, 'whk_1');
    expect(sealed.startsWith(SEALED_PREFIX)).toBe(true);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret.slice('whsec_'.length, 16));
    expect(openSecret(key, sealed, 'whk_1')).toBe(secret);
  });

  it('seals the same secret differently each time (a fresh nonce)', () => {
    expect(sealSecret(key, secret, 'whk_1')).not.toBe(sealSecret(key, secret, 'whk_1'));
  });

  it.each([
    ['another row', (sealed: string) => openSecret(key, sealed, 'whk_2')],
    ['another key', (sealed: string) => openSecret(randomBytes(32), sealed, 'whk_1')],
    [
      'an altered ciphertext',
      (sealed: string) => {
        const bytes = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
        bytes[bytes.length - 1] ^= 1;
        return openSecret(key, SEALED_PREFIX + bytes.toString('base64'), 'whk_1');
      },
    ],
  ])('refuses to open it for %s', (_case, open) => {
    const sealed = sealSecret(key, secret, 'whk_1');
    expect(() => open(sealed)).toThrow(SecretNotOpened);
    expect(() => open(sealed)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
  });

  it('refuses a value that is not sealed, and a truncated one', () => {
    expect(() => openSecret(key, secret, 'whk_1')).toThrow(expect.objectContaining({ reason: 'unsealed' }));
    expect(() => openSecret(key, `${SEALED_PREFIX}AAAA`, 'whk_1')).toThrow(
      expect.objectContaining({ reason: 'malformed' }),
    );
  });

  it('names where its key came from when a secret does not open, never the key', () => {
    const box = new SecretBox(key, 'SECRETS_KEY');
    const sealed = new SecretBox(randomBytes(32), 'SECRETS_KEY').seal(secret, 'whk_1');
    expect(() => box.open(sealed, 'whk_1')).toThrow(
      'the stored secret of whk_1 does not open with SECRETS_KEY: it was sealed with another key, or altered',
    );
    expect(box.open(box.seal(secret, 'whk_1'), 'whk_1')).toBe(secret);
  });

  it('takes only a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16), 'SECRETS_KEY')).toThrow('a secrets key is 32 bytes');
  });
});
