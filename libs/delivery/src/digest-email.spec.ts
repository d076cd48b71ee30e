import type { LevelChangedEvent } from '@tocsin/declarations';
import { BUILTIN_SCHEMES, Scheme } from '@tocsin/schemes';
import { digestEmail, DigestEmailInput, digestMessageId, MAX_DIGEST_ENTRIES } from './digest-email';

const KZ_TERROR = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror') as Scheme;
const YELLOW = { code: 'yellow', rank: 1, name: 'Moderate', color: '#fbc02d', declarationId: 'dcl_1' };
const ORANGE = { code: 'orange', rank: 2, name: 'High', color: '#f57c00', declarationId: 'dcl_2' };

/** Almaty's level changed from `previous` to `current` at `timestamp`. */
function almaty(
  eventId: string,
  timestamp: string,
  previous: typeof YELLOW | null,
  current: typeof YELLOW | null,
): LevelChangedEvent {
  return {
    type: 'threat_level.changed',
    timestamp,
    data: {
      eventId,
      cause: current ? 'declared' : 'cancelled',
      declaration: {
        id: current?.declarationId ?? 'dcl_2',
        scheme: 'kz-terror',
        level: current ?? ORANGE,
        headline: `Almaty <${eventId}>`,
        summary: 'Stay alert.',
        measures: [],
        language: 'en',
        translations: {},
        authority: 'Anti-Terrorist Centre',
        sourceUrl: null,
        effectiveAt: timestamp,
        expiresAt: null,
      },
      changes: [
        {
          area: { code: 'KZ-75', name: 'Almaty' },
          scheme: 'kz-terror',
          previous,
          current,
          direction: current && (!previous || current.rank > previous.rank) ? 'escalated' : 'deescalated',
          sequence: 1,
        },
      ],
    },
  };
}

// Raised to orange in the morning and lowered again in the afternoon (Almaty is UTC+5 since March 2024).
const RAISED = almaty('evt_1', '2026-12-03T04:00:00.000Z', YELLOW, ORANGE);
const LOWERED = almaty('evt_2', '2026-12-03T10:30:00.000Z', ORANGE, YELLOW);
const input = (overrides: Partial<DigestEmailInput> = {}): DigestEmailInput => ({
  items: [RAISED, LOWERED].map((event) => ({ event, changes: event.data.changes, scheme: KZ_TERROR })),
  language: 'en',
  fallbackLanguage: 'en',
  timeZone: null,
  publicUrl: 'https://alerts.example',
  subscriptionId: 'sub_1',
  dueAt: new Date('2026-12-04T03:00:00.000Z'),
  manageUrl: 'https://alerts.example/manage?token=m',
  unsubscribeUrl: 'https://alerts.example/unsubscribe?token=u',
  messageIdHost: 'alerts.example',
  ...overrides,
});

describe('digestEmail', () => {
  it('lists every held change, oldest first, with the levels before and after and the time in the area’s zone', () => {
    const email = digestEmail(input());
    expect(email.subject).toBe('Tocsin digest: 2 threat-level changes');
    const raised = email.text.indexOf('Almaty (KZ-75): MODERATE (yellow) → HIGH (orange)');
    const lowered = email.text.indexOf('Almaty (KZ-75): HIGH (orange) → MODERATE (yellow)');
    expect(raised).toBeGreaterThan(0);
    expect(lowered).toBeGreaterThan(raised);
    expect(email.text).toContain('When: Thursday, 3 December 2026 at 09:00 (UTC+5)');
    expect(email.text).toContain('When: Thursday, 3 December 2026 at 15:30 (UTC+5)');
    expect(email.text).toContain('Details: https://alerts.example/country/KZ');
  });

  it('shows the levels as badges in their colours and escapes every value in the HTML', () => {
    const { html } = digestEmail(input());
    expect(html).toContain('background-color: #f57c00');
    expect(html).toContain('Almaty &lt;evt_1&gt;');
    expect(html).not.toContain('<evt_1>');
  });

  it('is written in the subscriber’s language and zone', () => {
    const email = digestEmail(input({ language: 'ru', timeZone: 'Europe/London' }));
    expect(email.subject).toBe('Сводка Tocsin: 2 изменения уровня угрозы');
    expect(email.text).toContain('Когда: четверг, 3 декабря 2026 г. в 04:00 (UTC)');
  });

  it('carries one Message-ID per subscription and due instant, and one-click unsubscribe', () => {
    const email = digestEmail(input());
    expect(email.messageId).toBe(
      digestMessageId('sub_1', new Date('2026-12-04T03:00:00Z'), 'alerts.example'),
    );
    expect(email.messageId).toMatch(/^<digest\.[0-9a-f]{24}@alerts\.example>$/);
    expect(email.messageId).not.toBe(
      digestMessageId('sub_1', new Date('2026-12-05T03:00:00Z'), 'alerts.example'),
    );
    expect(email.headers).toMatchObject({
      'List-Unsubscribe': '<https://alerts.example/unsubscribe?token=u>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Event-Ids': 'evt_1 evt_2',
    });
  });

  it('lists the latest changes of a long digest, and counts the earlier ones in a line', () => {
    const events = Array.from({ length: MAX_DIGEST_ENTRIES + 3 }, (_, i) =>
      almaty(`evt_${i}`, new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString(), YELLOW, ORANGE),
    );
    const email = digestEmail(
      input({ items: events.map((event) => ({ event, changes: event.data.changes, scheme: KZ_TERROR })) }),
    );
    expect(email.subject).toBe(`Tocsin digest: ${MAX_DIGEST_ENTRIES + 3} threat-level changes`);
    expect(email.text).toContain('3 earlier changes are not listed here');
    expect(email.text).not.toContain('Almaty <evt_2>');
    expect(email.text).toContain('Almaty <evt_3>');
    expect(email.text).toContain(`Almaty <evt_${MAX_DIGEST_ENTRIES + 2}>`);
    expect(email.html).toContain('3 earlier changes are not listed here');
  });
});
