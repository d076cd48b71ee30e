import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Arrays and objects nested deeper than this are refused. No request of this API nests more than five deep;
 * class-transformer and class-validator recurse once per level and overflow the stack at a few thousand.
 */
export const MAX_JSON_DEPTH = 32;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether JSON text nests arrays and objects deeper than `max`: a scan of the text, before any parsing. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // the escaped character cannot end the string
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The `charset` parameter of a Content-Type, lower-cased, or undefined. */
function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The JSON body parser: UTF-8 only (RFC 8259), a bounded depth, then `parse`, Fastify's own parser (which
 * refuses `__proto__` and `constructor.prototype` keys). Fastify's default would read invalid UTF-8 as U+FFFD and hand
 * any depth to validation.
 */
export function jsonBodyParser<Request extends { headers: IncomingHttpHeaders }>(
  parse: (request: Request, text: string, done: Done) => void,
) {
  return (request: Request, body: Buffer, done: Done): void => {
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return done(
        new UnsupportedMediaTypeException(`The request body must be JSON in UTF-8, not charset=${charset}.`),
      );
    }
    let text: string;
    try {
      text = strictUtf8.decode(body);
    } catch {
      return done(
        new BadRequestException('The request body is not valid UTF-8; JSON must be sent in UTF-8.'),
      );
    }
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(
        new BadRequestException(
          `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`,
        ),
      );
    }
    parse(request, text, done);
  };
}
