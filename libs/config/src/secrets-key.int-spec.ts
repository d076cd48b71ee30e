import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFromFile, SECRETS_KEY_FILE, secretBoxFor } from './secrets-key';

describe('the secrets key', () => {
  let dataDir: string;
  let file: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tocsin-key-'));
    file = join(dataDir, SECRETS_KEY_FILE);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is made at first start in DATA_DIR, readable by its owner only, and the same ever after', () => {
    const first = secretBoxFor({ secretsKey: undefined, dataDir: join(dataDir, 'new') });
    const made = join(dataDir, 'new', SECRETS_KEY_FILE);
    expect(first.keySource).toBe(`the key file ${made}`);
    expect(statSync(made).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(made, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(readdirSync(join(dataDir, 'new'))).toEqual([SECRETS_KEY_FILE]);
    const again = secretBoxFor({ secretsKey: undefined, dataDir: join(dataDir, 'new') });
    expect(again.open(first.seal('whsec_x', 'whk_1'), 'whk_1')).toBe('whsec_x');
  });

  it('is SECRETS_KEY when set, and then no file is made', () => {
    const key = randomBytes(32);
    const box = secretBoxFor({ secretsKey: key, dataDir });
    expect(box.keySource).toBe('SECRETS_KEY');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a key file that others may read', () => {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(file, 0o644);
    expect(() => keyFromFile(file)).toThrow(
      `${file} may be read by other users (mode 0644); make it 0600 (chmod 600)`,
    );
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['no base64', 'not a key at all!'],
    ['nothing', ''],
  ])('refuses a key file holding %s', (_case, content) => {
    writeFileSync(file, content, { mode: 0o600 });
    expect(() => keyFromFile(file)).toThrow(/must hold 32 bytes in base64, as SECRETS_KEY does/);
  });
});
