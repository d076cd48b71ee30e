import type { EmailSubscription } from '@tocsin/subscribers';
import { endedPage } from './pages';

const activeFrom = new Date('2026-12-01T06:00:00Z');
const activeUntil = new Date('2026-12-08T18:30:00Z');

function subscription(changes: Partial<EmailSubscription>): EmailSubscription {
  return {
    id: 'sub_1',
    email: 'traveller@example.org',
    filter: { areas: ['KZ-75'], schemeId: null, minRank: null, events: null },
    exercises: false,
    status: 'ended',
    language: 'en',
    timeZone: null,
    tokenVersion: 1,
    createdAt: activeFrom,
    updatedAt: activeUntil,
    confirmedAt: activeFrom,
    unsubscribedAt: null,
    confirmationSentAt: activeFrom,
    confirmationsToday: 1,
    activeFrom,
    activeUntil,
    tripSummarySentAt: activeFrom,
    delivery: 'immediate',
    immediateMinRank: null,
    digestHour: 8,
    digestWeekday: 1,
    nextDigestAt: null,
    ...changes,
  };
}

describe('the trip lines of the manage pages', () => {
  it('writes the dates in the language of the page, as the mails do, for a language without a catalog', () => {
    // French has no catalog: the page is English, and so are its dates (not "mardi 8 décembre").
    const page = endedPage('en', subscription({ language: 'fr' }));
    expect(page).toContain('8 December 2026');
    expect(page).not.toMatch(/décembre|mardi/);
  });

  it('keeps a subscriber’s own form of the page’s language (en-US dates month first)', () => {
    expect(endedPage('en', subscription({ language: 'en-US' }))).toContain('Tuesday, December 8, 2026');
  });

  it('takes the zone of the first real area when the first is every area (*)', () => {
    const page = endedPage(
      'en',
      subscription({ filter: { ...subscription({}).filter, areas: ['*', 'KZ-75'] } }),
    );
    // Almaty is UTC+5: 18:30Z is 23:30 there.
    expect(page).toContain('23:30 (UTC+5)');
  });

  it('takes the subscriber’s own zone first', () => {
    const page = endedPage('en', subscription({ timeZone: 'Atlantic/Reykjavik' }));
    expect(page).toContain('18:30 (UTC)');
  });
});
