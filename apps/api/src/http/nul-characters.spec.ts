import { ValidationProblem } from './problem.filter';
import { nulCharacterErrors, refuseNulCharacters } from './nul-characters';

describe('nulCharacterErrors', () => {
  it('names every string holding U+0000 by its path, field names too', () => {
    const body = {
      headline: 'a\u0000b',
      measures: ['fine', '\u0000'],
      levels: [{ translations: { ru: { name: 'x\u0000' } } }],
      'bad\u0000key': 'fine',
      rank: 3,
      note: null,
    };
    expect(nulCharacterErrors(body, 'body')).toEqual([
      { field: 'body', message: 'must not have a field whose name contains a NUL character (U+0000)' },
      { field: 'headline', message: 'must not contain a NUL character (U+0000)' },
      { field: 'measures.1', message: 'must not contain a NUL character (U+0000)' },
      { field: 'levels.0.translations.ru.name', message: 'must not contain a NUL character (U+0000)' },
    ]);
  });

  it('names a bare string by the part of the request it is', () => {
    expect(nulCharacterErrors('\u0000', 'body')).toEqual([
      { field: 'body', message: 'must not contain a NUL character (U+0000)' },
    ]);
  });

  it('finds nothing in clean input, in a Buffer, or in nothing', () => {
    expect(nulCharacterErrors({ a: ['b', { c: 'd' }], e: 1 }, 'body')).toEqual([]);
    expect(nulCharacterErrors(Buffer.from([0, 0, 0]), 'body')).toEqual([]);
    expect(nulCharacterErrors(undefined, 'body')).toEqual([]);
  });

  it('walks input nested far deeper than a stack would allow', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nulCharacterErrors(deep, 'body')).toHaveLength(1);
  });
});

describe('refuseNulCharacters', () => {
  const verdict = (request: { params: unknown; query: unknown; body: unknown }) => {
    let error: Error | undefined;
    refuseNulCharacters(request, undefined, (e) => (error = e));
    return error;
  };

  it('fails the request with a validation problem naming the path parameter, query field or body field', () => {
    const error = verdict({ params: { id: 'a\u0000b' }, query: { at: '\u0000' }, body: { headline: 'ok' } });
    expect(error).toBeInstanceOf(ValidationProblem);
    expect((error as ValidationProblem).errors.map((e) => e.field)).toEqual(['id', 'at']);
  });

  it('lets clean requests through', () => {
    expect(verdict({ params: { id: 'dcl_1' }, query: {}, body: undefined })).toBeUndefined();
  });
});
