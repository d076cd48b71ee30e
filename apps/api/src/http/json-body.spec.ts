import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { jsonBodyParser, jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-body';

describe('jsonNestsDeeperThan', () => {
  it.each([
    ['{}', 1, false],
    ['{"a":{}}', 1, true],
    ['[[1],[2],{"b":[3]}]', 3, false],
    ['[[1],[2],{"b":[3]}]', 2, true],
    ['"[[[[[["', 1, false], // brackets inside a string do not nest
    ['["\\"[[[[", {}]', 2, false], // nor after an escaped quote
    ['["\\\\", [[]]]', 2, true], // an escaped backslash ends nothing
    ['['.repeat(40000) + ']'.repeat(40000), MAX_JSON_DEPTH, true],
  ])('%s deeper than %d: %p', (text, max, expected) => {
    expect(jsonNestsDeeperThan(text, max)).toBe(expected);
  });
});

describe('jsonBodyParser', () => {
  const parse = jsonBodyParser((_request, text, done) => done(null, JSON.parse(text)));
  const parsed = (body: Buffer | string, contentType = 'application/json') =>
    new Promise<{ error: Error | null; body?: unknown }>((resolve) =>
      parse(
        { headers: { 'content-type': contentType } as IncomingHttpHeaders },
        Buffer.from(body),
        (error, value) => resolve({ error, body: value }),
      ),
    );

  it('hands UTF-8 JSON to the parser, with or without charset=utf-8', async () => {
    expect(await parsed('{"name":"Алматы"}')).toEqual({ error: null, body: { name: 'Алматы' } });
    expect(await parsed('{"a":1}', 'application/json; charset=UTF-8')).toEqual({
      error: null,
      body: { a: 1 },
    });
  });

  it('refuses bytes that are not UTF-8 rather than reading them as U+FFFD', async () => {
    const { error } = await parsed(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error?.message).toMatch(/not valid UTF-8/);
  });

  it('refuses another charset with 415', async () => {
    const { error } = await parsed('{"a":1}', 'application/json; charset=latin1');
    expect(error).toBeInstanceOf(UnsupportedMediaTypeException);
    expect(error?.message).toMatch(/not charset=latin1/);
  });

  it('refuses a body nested deeper than the cap before parsing it', async () => {
    const { error } = await parsed('{"a":' + '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH) + '}');
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error?.message).toMatch(`more than ${MAX_JSON_DEPTH} levels deep`);
    expect(await parsed('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toMatchObject({
      error: null,
    });
  });
});
