// Benchmark endpoints are seeded in SQL with secrets derived from their number, so the receiver can verify
// any endpoint's signature without being told the secrets. Both sides must derive them the same way.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/** The signing secret of endpoint `n`: `whsec_` + base64 of the first 24 bytes of sha256("tocsin-bench-n"). */
export function endpointSecret(n) {
  const digest = createHash('sha256').update(`tocsin-bench-${n}`).digest();
  return `whsec_${Buffer.from(digest.subarray(0, 24)).toString('base64')}`;
}

/** The same, as a SQL expression of the integer column or expression `n`. */
export const endpointSecretSql = (n) =>
  `'whsec_' || encode(substring(sha256(convert_to('tocsin-bench-' || ${n}, 'UTF8')) from 1 for 24), 'base64')`;
