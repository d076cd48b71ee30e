import { ValidationProblem } from './problem.filter';

const NUL = '\u0000';
const IN_VALUE = 'must not contain a NUL character (U+0000)';
const IN_NAME = 'must not have a field whose name contains a NUL character (U+0000)';

/** Every string in `root` (field names too) that holds U+0000, as validation errors named by their path. */
export function nulCharacterErrors(root: unknown, rootName: string): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  // Breadth first, without recursion: no depth of input can overflow the stack here.
  const pending: [unknown, string][] = [[root, '']];
  for (let i = 0; i < pending.length; i++) {
    const [value, path] = pending[i];
    if (typeof value === 'string') {
      if (value.includes(NUL)) errors.push({ field: path || rootName, message: IN_VALUE });
    } else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes(NUL)) errors.push({ field: path || rootName, message: IN_NAME });
        else pending.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return errors;
}

/**
 * A Fastify preValidation hook: PostgreSQL refuses U+0000 in text (a 500 after the query was sent), and no field
 * of this API has a use for it, so a path parameter, query or body holding one is a 400 before any handler runs.
 */
export function refuseNulCharacters(
  request: { params: unknown; query: unknown; body: unknown },
  _reply: unknown,
  done: (error?: Error) => void,
): void {
  const errors = [
    ...nulCharacterErrors(request.params, 'path'),
    ...nulCharacterErrors(request.query, 'query'),
    ...nulCharacterErrors(request.body, 'body'),
  ];
  done(errors.length ? new ValidationProblem(errors) : undefined);
}
