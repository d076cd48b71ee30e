// Client input to canonical area codes: the one place where an unknown code becomes an answer, so every
// route says the same thing about it. (areas.ts stays lookups only; these throw the HTTP answer.)
import { NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Area, EVERYWHERE, findArea } from './areas';

/**
 * Canonical codes for the given ones, aliases resolved and duplicates dropped, in the order given; every
 * unknown one is named in one 422. With `everywhere`, `*` (every area) passes through as itself.
 */
export function resolveAreaCodes(
  inputs: readonly string[],
  options: { everywhere?: boolean } = {},
): string[] {
  const resolved = inputs.map((input) =>
    options.everywhere && input === EVERYWHERE ? EVERYWHERE : findArea(input)?.code,
  );
  const unknown = inputs.filter((_, i) => resolved[i] === undefined);
  if (unknown.length) {
    throw new UnprocessableEntityException(
      `Unknown area code${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => JSON.stringify(u)).join(', ')}. ` +
        `Use ISO 3166-1 alpha-2 (e.g. "KZ") or ISO 3166-2 (e.g. "KZ-75")` +
        `${options.everywhere ? ', or "*" for everywhere' : ''}; GET /v1/areas lists them.`,
    );
  }
  return [...new Set(resolved as string[])];
}

/** The area a code or alias names; an unknown one is a 404, for routes that read one area. */
export function requireArea(input: string): Area {
  const area = findArea(input);
  if (!area) throw new NotFoundException(`There is no area "${input}". GET /v1/areas lists them.`);
  return area;
}
