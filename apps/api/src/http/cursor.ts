import { BadRequestException } from '@nestjs/common';

/** Opaque page cursors: base64url of a small JSON value. A cursor from elsewhere is a 400, not a 500. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(
  cursor: string | undefined,
  isValid: (value: unknown) => value is T,
): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through
  }
  throw new BadRequestException(
    'The cursor is not one this API handed out; use the nextCursor of the previous page.',
  );
}

/** Keyset position of lists newest first: (createdAt, id) of the last item. */
export interface CreatedPosition {
  createdAt: Date;
  id: string;
}

export function decodeCreatedCursor(cursor: string | undefined): CreatedPosition | undefined {
  const raw = decodeCursor(
    cursor,
    (v): v is [string, string] =>
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      !Number.isNaN(Date.parse(v[0])) &&
      typeof v[1] === 'string',
  );
  return raw && { createdAt: new Date(raw[0]), id: raw[1] };
}

/**
 * The list envelope. `items` is what the query returned when asked for `limit + 1` rows: the extra row only
 * says that another page exists.
 */
export function page<T, R>(
  items: T[],
  limit: number,
  render: (item: T) => R,
  positionOf: (item: T) => unknown,
) {
  const shown = items.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(render),
    nextCursor: items.length > limit && last ? encodeCursor(positionOf(last)) : null,
  };
}
