import { alreadySubscribedEmail, confirmationEmail, describeFilter } from './subscriber-emails';

const filter = { areas: ['KZ', 'KZ-75'], schemeId: 'kz-terror', minRank: 2, events: ['escalated' as const] };

describe('subscriber emails', () => {
  it('describe a filter in words', () => {
    expect(describeFilter(filter)).toBe(
      'Kazakhstan (KZ), Almaty (KZ-75); scheme kz-terror; when a level of rank 2 or above is involved; escalations only',
    );
    expect(describeFilter({ areas: ['*'], schemeId: null, minRank: null, events: null })).toBe(
      'everywhere; every scheme',
    );
  });

  it('put the confirmation link in both parts, escaped in the HTML', () => {
    const url = 'https://tocsin.example/v1/email-subscriptions/confirm?token=a&b';
    const email = confirmationEmail(filter, url);
    expect(email.text).toContain(url);
    expect(email.html).toContain(
      'href="https://tocsin.example/v1/email-subscriptions/confirm?token=a&amp;b"',
    );
  });

  it('tell an existing subscriber how to manage and leave, without a confirmation link', () => {
    const email = alreadySubscribedEmail(filter, 'https://x/manage', 'https://x/unsubscribe');
    expect(email.text).toContain('https://x/manage');
    expect(email.text).toContain('https://x/unsubscribe');
    expect(email.text).not.toContain('confirm');
  });
});
