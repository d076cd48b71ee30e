import { approvalNoticeMail } from './approval-notice';
import { Declaration } from './declaration';

const declaration: Declaration = {
  id: 'dcl_1',
  status: 'pending_approval',
  schemeId: 'kz-terror',
  level: { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' },
  areaCodes: ['KZ-75', 'KZ-19'],
  headline: 'Red <alert> & more',
  summary: 'Summary.',
  measures: [],
  language: 'en',
  translations: {},
  authority: 'Anti-Terrorist Centre',
  sourceUrl: null,
  effectiveAt: new Date('2030-01-01T00:00:00Z'),
  expiresAt: null,
  createdAt: new Date('2030-01-01T00:00:00Z'),
  createdBy: 'officer A',
  createdByKey: 'key_a',
  cancelledAt: null,
  cancelledBy: null,
  cancelReason: null,
  mode: 'actual',
  approval: 'pending',
  cancelRequest: null,
};
const CONSOLE = 'https://tocsin.example.org/admin#declarations';

describe('approvalNoticeMail', () => {
  it('names the declaration, its level and areas, who asked, and links the console', () => {
    const mail = approvalNoticeMail(declaration, 'publication', CONSOLE);
    expect(mail.subject).toBe('Approval needed: Critical (red) for Almaty (KZ-75), Almaty Region (KZ-19)');
    for (const part of ['dcl_1', 'kz-terror', 'Critical (red)', 'Almaty (KZ-75)', 'officer A', CONSOLE]) {
      expect(mail.text).toContain(part);
    }
    expect(mail.html).toContain(`href="${CONSOLE}"`);
  });

  it('escapes the publisher’s text in HTML', () => {
    const { html, text } = approvalNoticeMail(declaration, 'publication', CONSOLE);
    expect(html).toContain('Red &lt;alert&gt; &amp; more');
    expect(html).not.toContain('<alert>');
    expect(text).toContain('Red <alert> & more');
  });

  it('asks about a cancellation with who asked and why, and marks an exercise', () => {
    const mail = approvalNoticeMail(
      {
        ...declaration,
        mode: 'exercise',
        cancelRequest: {
          requestedAt: new Date('2030-01-02T00:00:00Z'),
          requestedBy: { id: 'key_c', name: 'officer C' },
          reason: 'Threat over.',
        },
      },
      'cancellation',
      CONSOLE,
    );
    expect(mail.subject).toMatch(/^\[EXERCISE\] Approval needed to cancel: Critical \(red\)/);
    expect(mail.text).toContain('Asked by: officer C');
    expect(mail.text).toContain('Reason: Threat over.');
  });
});
