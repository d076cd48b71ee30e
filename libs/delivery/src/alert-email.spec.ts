import type { LevelChangedEvent } from '@tocsin/declarations';
import { alertEmail, alertSubject } from './alert-email';

const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f', declarationId: 'dcl_2' };
const ORANGE = { code: 'orange', rank: 2, name: 'High', color: '#f57c00', declarationId: 'dcl_1' };

const event: LevelChangedEvent = {
  type: 'threat_level.changed',
  timestamp: '2022-01-07T03:00:00.000Z',
  data: {
    eventId: 'evt_1',
    cause: 'declared',
    declaration: {
      id: 'dcl_2',
      scheme: 'kz-terror',
      level: RED,
      headline: 'Red <everywhere> & more',
      summary: 'Repeat attacks are possible.',
      measures: ['Searches of vehicles.'],
      language: 'en',
      translations: {},
      authority: 'Anti-Terrorist Centre',
      sourceUrl: null,
      effectiveAt: '2022-01-07T03:00:00.000Z',
      expiresAt: null,
    },
    changes: [
      {
        area: { code: 'KZ', name: 'Kazakhstan' },
        scheme: 'kz-terror',
        previous: ORANGE,
        current: RED,
        direction: 'escalated',
        sequence: 2,
      },
      {
        area: { code: 'KZ-75', name: 'Almaty' },
        scheme: 'kz-terror',
        previous: null,
        current: RED,
        direction: 'escalated',
        sequence: 1,
      },
    ],
  },
};

const context = {
  event,
  changes: event.data.changes,
  schemeEvent: 'terrorism threat level',
  deliveryId: 'dlv_abc',
  declarationUrl: 'https://tocsin.test/v1/declarations/dcl_2',
  manageUrl: 'https://tocsin.test/v1/email-subscriptions/manage?token=m',
  unsubscribeUrl: 'https://tocsin.test/v1/email-subscriptions/unsubscribe?token=u',
  messageIdHost: 'tocsin.test',
};

describe('alert emails', () => {
  it('name the area and the level in the subject', () => {
    expect(alertSubject(event.data.changes[0], 'terrorism threat level', 0)).toBe(
      'Kazakhstan — terrorism threat level CRITICAL (red)',
    );
    expect(alertEmail(context).subject).toBe(
      'Kazakhstan and 1 more area — terrorism threat level CRITICAL (red)',
    );
  });

  it('say when a level is lifted', () => {
    const lifted = {
      ...event.data.changes[0],
      previous: RED,
      current: null,
      direction: 'deescalated' as const,
    };
    expect(alertSubject(lifted, 'terrorism threat level', 0)).toBe(
      'Kazakhstan — terrorism threat level lifted (was CRITICAL (red))',
    );
  });

  it('carry the summary, measures, validity and links in the text', () => {
    const { text } = alertEmail(context);
    expect(text).toContain('Kazakhstan (KZ): HIGH (orange) → CRITICAL (red)');
    expect(text).toContain('Almaty (KZ-75): no level → CRITICAL (red)');
    expect(text).toContain('In force from 2022-01-07T03:00:00.000Z, until further notice.');
    expect(text).toContain('- Searches of vehicles.');
    expect(text).toContain(context.declarationUrl);
    expect(text).toContain(context.unsubscribeUrl);
  });

  it('escape what publishers wrote in the HTML', () => {
    const { html } = alertEmail(context);
    expect(html).toContain('Red &lt;everywhere&gt; &amp; more');
    expect(html).not.toContain('<everywhere>');
  });

  it('offer one-click unsubscribe and a stable Message-ID', () => {
    const email = alertEmail(context);
    expect(email.headers).toMatchObject({
      'List-Unsubscribe': `<${context.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(email.messageId).toBe('<dlv_abc@tocsin.test>');
    expect(alertEmail(context).messageId).toBe(email.messageId);
  });
});
