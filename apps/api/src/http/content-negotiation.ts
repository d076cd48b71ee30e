// Proactive content negotiation on `Accept` (RFC 9110 §12.5.1), for routes that answer in several media types.

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part) => {
    const [range, ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParameter = parameters.find((p) => p.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    return Number.isFinite(q) ? [{ type, subtype, q }] : [];
  });
}

/** The q of `mediaType` under the most specific range that matches it; 0 when none does. */
function qualityOf(mediaType: string, ranges: MediaRange[]): number {
  const [type, subtype] = mediaType.split('/');
  let best: { specificity: number; q: number } = { specificity: -1, q: 0 };
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (specificity > best.specificity) best = { specificity, q: range.q };
  }
  return best.q;
}

/**
 * The offered media type the client prefers; a tie goes to the earlier offer, so the first is the default
 * (also for a missing or unusable Accept, rather than a 406 for clients that send whatever they always send).
 */
export function preferredMediaType<T extends string>(
  accept: string | undefined,
  offered: readonly [T, ...T[]],
): T {
  const ranges = accept ? parseAccept(accept) : [];
  let preferred = offered[0];
  let preferredQ = 0;
  for (const mediaType of offered) {
    const q = qualityOf(mediaType, ranges);
    if (q > preferredQ) {
      preferred = mediaType;
      preferredQ = q;
    }
  }
  return preferred;
}
