import { linkTokenMatches, makeLinkToken, subscriptionIdOf } from './link-token';

const id = 'sub_01a21e24-acf7-7a41-be65-786f48f19c67';
const secret = 'test-secret';

describe('link tokens', () => {
  it('name their subscription and verify for their purpose and version', () => {
    const token = makeLinkToken(secret, 'confirm', id, 1);
    expect(subscriptionIdOf(token)).toBe(id);
    expect(linkTokenMatches(secret, token, 'confirm', id, 1)).toBe(true);
  });

  it('are refused for another purpose, another version, another secret or another subscription', () => {
    const token = makeLinkToken(secret, 'unsubscribe', id, 1);
    expect(linkTokenMatches(secret, token, 'manage', id, 1)).toBe(false);
    expect(linkTokenMatches(secret, token, 'unsubscribe', id, 2)).toBe(false);
    expect(linkTokenMatches('other', token, 'unsubscribe', id, 1)).toBe(false);
    const otherId = id.replace('67', '68');
    expect(linkTokenMatches(secret, token.replace(id, otherId), 'unsubscribe', otherId, 1)).toBe(false);
  });

  it('carry 256 bits of HMAC', () => {
    expect(makeLinkToken(secret, 'manage', id, 1).split('.')[1]).toHaveLength(43);
  });

  it.each(['', 'garbage', `${id}.short`, `${id}`, `../${id}.${'a'.repeat(43)}`])(
    'reject the malformed token %j',
    (token) => {
      expect(subscriptionIdOf(token)).toBeNull();
    },
  );
});
