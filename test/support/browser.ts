import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';

/** Where the browser tests leave their screenshots (not committed). */
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

// Debian's Chromium (`apt-get install chromium`; playwright-core downloads none), headless as root, with
// nothing that reaches out: this machine's closed network refuses background connections many at a time.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** The one way the browser tests start Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
