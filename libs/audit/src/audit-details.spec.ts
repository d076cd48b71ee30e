import { changedFields } from './audit-details';

describe('changedFields', () => {
  const current = {
    url: 'https://a.example/hook',
    areas: ['KZ'],
    minRank: null as number | null,
    enabled: true,
  };

  it('names only the fields whose values changed, with their new values', () => {
    expect(changedFields(current, { ...current, url: 'https://b.example/hook', minRank: 2 })).toEqual({
      url: 'https://b.example/hook',
      minRank: 2,
    });
  });

  it('compares arrays by content, so the same areas anew are no change', () => {
    expect(changedFields(current, { areas: ['KZ'] })).toEqual({});
    expect(changedFields(current, { areas: ['KZ', 'UZ'] })).toEqual({ areas: ['KZ', 'UZ'] });
  });

  it('keeps a change to null, and leaves out fields that are undefined or omitted', () => {
    expect(
      changedFields({ ...current, minRank: 3 as number | null }, { minRank: null, url: undefined }),
    ).toEqual({
      minRank: null,
    });
    expect(changedFields(current, { enabled: false, url: 'https://c.example/' }, ['url'])).toEqual({
      enabled: false,
    });
  });
});
