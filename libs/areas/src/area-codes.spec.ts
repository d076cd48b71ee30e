import { NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { requireArea, resolveAreaCodes } from './area-codes';

/** The error `run` throws; fails the test when it throws nothing. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('resolveAreaCodes', () => {
  it('gives current codes for aliases and any case, once each, in the order given', () => {
    expect(resolveAreaCodes(['kz-ala', 'KZ', 'KZ-75', ' kz '])).toEqual(['KZ-75', 'KZ']);
  });

  it('names every unknown code in one 422, with the codes to use', () => {
    const error = thrownBy(() => resolveAreaCodes(['KZ', 'XX', 'KZ-99']));
    expect(error).toBeInstanceOf(UnprocessableEntityException);
    expect((error as Error).message).toBe(
      'Unknown area codes: "XX", "KZ-99". Use ISO 3166-1 alpha-2 (e.g. "KZ") or ISO 3166-2 (e.g. "KZ-75"); ' +
        'GET /v1/areas lists them.',
    );
  });

  it('says "code" for one unknown code', () => {
    expect((thrownBy(() => resolveAreaCodes(['XX'])) as Error).message).toMatch(
      /^Unknown area code: "XX"\. /,
    );
  });

  it('refuses * unless everywhere is allowed, and then keeps it as itself', () => {
    expect((thrownBy(() => resolveAreaCodes(['*'])) as Error).message).toMatch(/^Unknown area code: "\*"\. /);
    expect(resolveAreaCodes(['*', 'kz'], { everywhere: true })).toEqual(['*', 'KZ']);
  });

  it('offers * in the message where it is allowed', () => {
    expect((thrownBy(() => resolveAreaCodes(['XX'], { everywhere: true })) as Error).message).toContain(
      ', or "*" for everywhere; GET /v1/areas lists them.',
    );
  });

  it('gives nothing for nothing', () => {
    expect(resolveAreaCodes([])).toEqual([]);
  });
});

describe('requireArea', () => {
  it('finds an area by its code or an alias', () => {
    expect(requireArea('KZ-ALA')).toEqual({
      code: 'KZ-75',
      name: 'Almaty',
      type: 'subdivision',
      parent: 'KZ',
    });
  });

  it('answers an unknown code with a 404 naming it', () => {
    const error = thrownBy(() => requireArea('XX'));
    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as Error).message).toBe('There is no area "XX". GET /v1/areas lists them.');
  });
});
