import { ValidationProblem } from './problem.filter';

const NUL = '\u0000';
// In a /u pattern a surrogate pair is one code point, so this matches only a surrogate without its other half.
const LONE_SURROGATE = /\p{Cs}/u;
const HAS_NUL = 'must not contain a NUL character (U+0000)';
const HAS_LONE_SURROGATE = 'must be valid Unicode, without a lone surrogate such as \\ud800';
const BAD_NAME = 'must not have a field whose name holds a NUL character (U+0000) or a lone surrogate';

const problemOf = (text: string): string | null =>
  text.includes(NUL) ? HAS_NUL : LONE_SURROGATE.test(text) ? HAS_LONE_SURROGATE : null;

/**
 * Every string in `root` (field names too) that the database cannot store as given, as validation errors named
 * by their path: PostgreSQL refuses U+0000 in text and jsonb, jsonb refuses a lone surrogate's escape, and a
 * text column would silently store U+FFFD for it.
 */
export function unstorableTextErrors(root: unknown, rootName: string): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  // Breadth first, without recursion: no depth of input can overflow the stack here.
  const pending: [unknown, string][] = [[root, '']];
  for (let i = 0; i < pending.length; i++) {
    const [value, path] = pending[i];
    if (typeof value === 'string') {
      const message = problemOf(value);
      if (message) errors.push({ field: path || rootName, message });
    } else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (problemOf(key)) errors.push({ field: path || rootName, message: BAD_NAME });
        else pending.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return errors;
}

/**
 * A Fastify preValidation hook: a path parameter, query or body with text the database cannot store is a 400
 * before any handler runs (it was a 500 once the query was sent), and no field of this API has a use for it.
 */
export function refuseUnstorableText(
  request: { params: unknown; query: unknown; body: unknown },
  _reply: unknown,
  done: (error?: Error) => void,
): void {
  // Most reads (GET /v1/levels) have no parameter, query or body: nothing to walk, nothing to allocate.
  if (holdsNothing(request.params) && holdsNothing(request.query) && holdsNothing(request.body))
    return done();
  const errors = [
    ...unstorableTextErrors(request.params, 'path'),
    ...unstorableTextErrors(request.query, 'query'),
    ...unstorableTextErrors(request.body, 'body'),
  ];
  done(errors.length ? new ValidationProblem(errors) : undefined);
}

/** Absent, or an object without a field of its own (Fastify's query and params objects have no prototype). */
function holdsNothing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}
