import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from './config';
import { SECRETS_KEY_BYTES, SecretBox } from './secret-box';

/** The key that seals secrets at rest when SECRETS_KEY is unset, in DATA_DIR. */
export const SECRETS_KEY_FILE = 'secrets.key';

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Sealing with SECRETS_KEY, or else with the key file in DATA_DIR, made at first start. */
export function secretBoxFor(config: Pick<AppConfig, 'secretsKey' | 'dataDir'>): SecretBox {
  if (config.secretsKey) return new SecretBox(config.secretsKey, 'SECRETS_KEY');
  const file = join(resolve(config.dataDir), SECRETS_KEY_FILE);
  return new SecretBox(keyFromFile(file), `the key file ${file}`);
}

/**
 * The key in `file` (base64, as SECRETS_KEY takes it), created with mode 0600 if there is none. A file others
 * may read, or that does not hold 32 bytes, stops start-up: its key would be no secret, or not the one.
 */
export function keyFromFile(file: string): Buffer {
  if (!existsSync(file)) createKeyFile(file);
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new Error(
      `${file} may be read by other users (mode ${mode.toString(8).padStart(4, '0')}); make it 0600 (chmod 600)`,
    );
  const text = readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (!BASE64.test(text) || key.length !== SECRETS_KEY_BYTES)
    throw new Error(
      `${file} must hold ${SECRETS_KEY_BYTES} bytes in base64, as SECRETS_KEY does (it holds ${key.length})`,
    );
  return key;
}

/** Written aside and linked into place, so that a process starting at the same moment reads a whole key or makes none. */
function createKeyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const draft = `${file}.${randomBytes(6).toString('hex')}.new`;
  const fd = openSync(draft, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(SECRETS_KEY_BYTES).toString('base64')}\n`);
    fsyncSync(fd); // losing this key loses every secret it sealed
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(draft, file);
    syncFolder(dirname(file));
  } catch (error) {
    // Another process made it first: theirs is the key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
}

/** Makes the new name durable too, where the platform allows (not on Windows). */
function syncFolder(folder: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
