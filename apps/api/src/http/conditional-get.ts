// Conditional GET (RFC 9110 §13): whether the client's copy is still current, so a 304 can replace the body.

export interface Validators {
  etag: string;
  lastModified: Date | null;
}

export interface ConditionalHeaders {
  'if-none-match'?: string;
  'if-modified-since'?: string;
}

const opaqueTag = (tag: string): string => tag.trim().replace(/^W\//, '');

/**
 * If-None-Match wins when present (weak comparison; `*` matches any); If-Modified-Since counts only without
 * it, to the second, as HTTP dates have no finer grain.
 */
export function isNotModified(headers: ConditionalHeaders, current: Validators): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map(opaqueTag);
    return tags.includes('*') || tags.includes(opaqueTag(current.etag));
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined || current.lastModified === null) return false;
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(current.lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}
