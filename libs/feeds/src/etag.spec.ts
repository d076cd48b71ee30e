import { strongEtag } from './etag';

describe('strongEtag', () => {
  it('is a quoted, strong tag that is the same for the same bytes only', () => {
    const tag = strongEtag('{"items":[]}');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(strongEtag('{"items":[]}')).toBe(tag);
    expect(strongEtag('{"items":[] }')).not.toBe(tag);
  });
});
