import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The CAP documents and feeds of fixtures/README.md, for unit and end-to-end tests. */
export const FIXTURES_DIRECTORY = resolve(__dirname, 'fixtures');

export function readFixture(name: string): Buffer {
  return readFileSync(resolve(FIXTURES_DIRECTORY, name));
}
