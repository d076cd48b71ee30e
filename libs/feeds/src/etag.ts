import { createHash } from 'node:crypto';

/** A strong validator of a rendered document: a hash of its bytes, so it changes exactly when they do. */
export function strongEtag(document: string): string {
  return `"${createHash('sha256').update(document).digest('base64url').slice(0, 27)}"`;
}
