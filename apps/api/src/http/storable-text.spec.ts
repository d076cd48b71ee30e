import { ValidationProblem } from './problem.filter';
import { refuseUnstorableText, unstorableTextErrors } from './storable-text';

const NUL = 'must not contain a NUL character (U+0000)';
const LONE_SURROGATE = 'must be valid Unicode, without a lone surrogate such as \\ud800';

describe('unstorableTextErrors', () => {
  it('names every string holding U+0000 or a lone surrogate by its path, field names too', () => {
    const body = {
      headline: 'a\u0000b',
      summary: 'cut \ud83d',
      measures: ['fine', '\u0000'],
      levels: [{ translations: { ru: { name: 'x\udc00' } } }],
      'bad\u0000key': 'fine',
      rank: 3,
      note: null,
    };
    expect(unstorableTextErrors(body, 'body')).toEqual([
      { field: 'body', message: expect.stringMatching(/^must not have a field whose name holds a NUL/) },
      { field: 'headline', message: NUL },
      { field: 'summary', message: LONE_SURROGATE },
      { field: 'measures.1', message: NUL },
      { field: 'levels.0.translations.ru.name', message: LONE_SURROGATE },
    ]);
  });

  it('takes text outside the Basic Multilingual Plane, whose surrogates come in pairs', () => {
    expect(unstorableTextErrors({ headline: 'Алматы 😀 𐀀' }, 'body')).toEqual([]);
  });

  it('names a bare string by the part of the request it is', () => {
    expect(unstorableTextErrors('\u0000', 'body')).toEqual([{ field: 'body', message: NUL }]);
  });

  it('finds nothing in clean input, in a Buffer, or in nothing', () => {
    expect(unstorableTextErrors({ a: ['b', { c: 'd' }], e: 1 }, 'body')).toEqual([]);
    expect(unstorableTextErrors(Buffer.from([0, 0, 0]), 'body')).toEqual([]);
    expect(unstorableTextErrors(undefined, 'body')).toEqual([]);
  });

  it('walks input nested far deeper than a stack would allow', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorableTextErrors(deep, 'body')).toHaveLength(1);
  });
});

describe('refuseUnstorableText', () => {
  const verdict = (request: { params: unknown; query: unknown; body: unknown }) => {
    let error: Error | undefined;
    refuseUnstorableText(request, undefined, (e) => (error = e));
    return error;
  };

  it('fails the request with a validation problem naming the path parameter, query field or body field', () => {
    const error = verdict({
      params: { id: 'a\u0000b' },
      query: { at: '\u0000' },
      body: { headline: '\ud800' },
    });
    expect(error).toBeInstanceOf(ValidationProblem);
    expect((error as ValidationProblem).errors.map((e) => e.field)).toEqual(['id', 'at', 'headline']);
  });

  it('lets clean requests through', () => {
    expect(verdict({ params: { id: 'dcl_1' }, query: {}, body: undefined })).toBeUndefined();
  });

  it('lets a request with no parameter, query or body through, prototype-less objects included', () => {
    expect(
      verdict({ params: Object.create(null), query: Object.create(null), body: undefined }),
    ).toBeUndefined();
  });

  it('still checks a query field when the path has no parameter and there is no body', () => {
    const query = Object.assign(Object.create(null) as object, { at: 'x\u0000' });
    const error = verdict({ params: {}, query, body: undefined });
    expect((error as ValidationProblem).errors).toEqual([{ field: 'at', message: NUL }]);
  });
});
