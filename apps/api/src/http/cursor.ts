import { BadRequestException } from '@nestjs/common';
import { KeysetPosition, keysetPosition, KeysetWindow, Positioned } from '@tocsin/database';

// Opaque page cursors: base64url of a row's keyset position as JSON, `[instant, id]` (the shape cursors
// had before positions kept microseconds, so a cursor handed out then still decodes).

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.instant, position.id])).toString('base64url');
}

/** The position in `cursor`; a cursor this API did not hand out is a 400, never a 500 from the database. */
export function decodeCursor(cursor: string | undefined): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const position = Array.isArray(value) && value.length === 2 ? keysetPosition(value[0], value[1]) : null;
  if (position) return position;
  throw new BadRequestException(
    'The cursor is not one this API handed out; use the nextCursor of the previous page.',
  );
}

export interface ListPage<R> {
  items: R[];
  nextCursor: string | null;
}

/**
 * The list envelope of one page. `list` is asked for one row more than the page holds: that row only says
 * another page exists, and the page's last row's position becomes `nextCursor`.
 */
export async function page<T, R>(
  query: { cursor?: string; limit: number },
  list: (window: KeysetWindow) => Promise<Positioned<T>[]>,
  render: (item: T) => R,
): Promise<ListPage<R>> {
  const rows = await list({ after: decodeCursor(query.cursor), limit: query.limit + 1 });
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(render),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.position) : null,
  };
}
