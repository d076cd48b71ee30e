import { preferredMediaType } from './content-negotiation';

const OFFERED = ['application/json', 'text/csv'] as const;

describe('preferredMediaType', () => {
  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['text/csv', 'text/csv'],
    ['TEXT/CSV; charset=utf-8', 'text/csv'],
    ['text/*', 'text/csv'],
    ['application/json', 'application/json'],
    ['text/csv;q=0.5, application/json', 'application/json'],
    ['text/csv, application/json;q=0.9', 'text/csv'],
    ['text/csv;q=0, */*', 'application/json'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'application/json'],
    ['image/png', 'application/json'],
    ['garbage', 'application/json'],
  ])('for Accept %p is %s', (accept, expected) => {
    expect(preferredMediaType(accept, [...OFFERED] as [string, ...string[]])).toBe(expected);
  });
});
