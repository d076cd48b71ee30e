import { BUILTIN_SCHEMES, Scheme } from '@tocsin/schemes';
import { smsSizeOf } from '@tocsin/sms';
import {
  TripAreaSituation,
  tripSummaryEmail,
  TripSummaryInput,
  tripSummaryMessageId,
} from './trip-summary-email';
import { tripSummarySms } from './trip-summary-sms';

const KZ_TERROR = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror') as Scheme;
const SCHEMES = new Map([[KZ_TERROR.id, KZ_TERROR]]);
const level = (code: 'yellow' | 'orange' | 'red') => {
  const own = KZ_TERROR.levels.find((l) => l.code === code)!;
  return { code, rank: own.rank, name: own.name, color: own.color ?? null, declarationId: 'dcl_1' };
};
/** Almaty red, Astana orange, the rest of Kazakhstan without a level (13 January 2022, roughly). */
const SITUATION: TripAreaSituation[] = [
  { areaCode: 'KZ', levels: [] },
  { areaCode: 'KZ-75', levels: [{ schemeId: 'kz-terror', level: level('red') }] },
  { areaCode: 'KZ-71', levels: [{ schemeId: 'kz-terror', level: level('orange') }] },
];
const activeFrom = new Date('2022-01-13T00:00:00Z');

const input = (overrides: Partial<TripSummaryInput> = {}): TripSummaryInput => ({
  situation: SITUATION,
  schemes: SCHEMES,
  at: new Date('2022-01-13T00:00:01Z'),
  activeFrom,
  activeUntil: new Date('2022-01-20T00:00:00Z'),
  language: 'en',
  timeZone: null,
  publicUrl: 'https://tocsin.example',
  subscriptionId: 'sub_1',
  manageUrl: 'https://tocsin.example/v1/email-subscriptions/manage?token=m',
  unsubscribeUrl: 'https://tocsin.example/v1/email-subscriptions/unsubscribe?token=u',
  messageIdHost: 'tocsin.example',
  ...overrides,
});

describe('tripSummaryEmail', () => {
  it('lists every area with its level now, "no level" included, in text and as badges', () => {
    const email = tripSummaryEmail(input());
    expect(email.subject).toBe('Your trip: the threat levels now in Kazakhstan (KZ) and 2 more areas');
    expect(email.text).toContain('Kazakhstan (KZ): no level');
    expect(email.text).toContain('Almaty (KZ-75): terrorism threat level: CRITICAL (red)');
    expect(email.text).toContain('Astana (KZ-71): terrorism threat level: HIGH (orange)');
    expect(email.html).toContain('background-color: #d32f2f');
    expect(email.html).toContain('border: 1px dashed #757575');
  });

  it('writes its dates for the reader in the zone of the first area, or the subscriber’s own', () => {
    expect(tripSummaryEmail(input()).text).toContain(
      'Alerts until: Thursday, 20 January 2022 at 06:00 (UTC+6)',
    );
    expect(tripSummaryEmail(input({ timeZone: 'Europe/London' })).text).toContain(
      'Alerts until: Thursday, 20 January 2022 at 00:00 (UTC)',
    );
    expect(tripSummaryEmail(input({ activeUntil: null })).text).toContain('Alerts until: you unsubscribe');
  });

  it('is written in the subscriber’s language', () => {
    const email = tripSummaryEmail(input({ language: 'ru' }));
    expect(email.subject).toMatch(/^Ваша поездка: уровни угрозы сейчас — Казахстан \(KZ\)/);
    expect(email.text).toContain('Казахстан (KZ): уровень не установлен');
    expect(email.html).toContain('<html lang="ru">');
  });

  it('has one Message-ID per subscription and trip start, and the one-click unsubscribe headers', () => {
    const email = tripSummaryEmail(input());
    expect(email.messageId).toBe(tripSummaryMessageId('sub_1', activeFrom, 'tocsin.example'));
    expect(tripSummaryEmail(input({ at: new Date('2022-01-14T00:00:00Z') })).messageId).toBe(email.messageId);
    expect(tripSummaryMessageId('sub_1', new Date('2022-02-01T00:00:00Z'), 'tocsin.example')).not.toBe(
      email.messageId,
    );
    expect(email.messageId).not.toContain('sub_1');
    expect(email.headers).toMatchObject({
      'List-Unsubscribe': '<https://tocsin.example/v1/email-subscriptions/unsubscribe?token=u>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Trip-Summary': activeFrom.toISOString(),
    });
    expect(email.text).toMatch(
      /Unsubscribe: https:\/\/tocsin\.example\/v1\/email-subscriptions\/unsubscribe\?token=u$/,
    );
  });

  it('says "everywhere" with no level for a subscription to everywhere when no area has one', () => {
    const email = tripSummaryEmail(input({ situation: [{ areaCode: '*', levels: [] }] }));
    expect(email.text).toContain('everywhere: no level');
  });
});

describe('tripSummarySms', () => {
  const sms = (overrides: Partial<Parameters<typeof tripSummarySms>[0]> = {}) =>
    tripSummarySms({
      situation: SITUATION,
      schemes: SCHEMES,
      language: 'en',
      publicUrl: 'https://tocsin.example',
      ...overrides,
    });

  it('says every area and its level in one GSM 7-bit part, with the country page', () => {
    const text = sms();
    expect(text).toBe(
      'Tocsin: your trip alerts are on. Levels now: Kazakhstan: no level; Almaty: CRITICAL (red); ' +
        'Astana: HIGH (orange). https://tocsin.example/country/KZ',
    );
    expect(smsSizeOf(text)).toEqual({ encoding: 'gsm7', parts: 1 });
  });

  it('counts the areas that do not fit three parts instead of naming them', () => {
    const many: TripAreaSituation[] = Array.from({ length: 40 }, (_, i) => ({
      areaCode: `KZ-${['10', '11', '15', '19', '23', '27', '31', '33', '35', '39', '43', '47', '55', '59', '61', '62', '63', '71', '75', '79'][i % 20]}`,
      levels: [{ schemeId: 'kz-terror', level: level('red') }],
    }));
    const text = sms({ situation: many, language: 'ru' });
    expect(smsSizeOf(text).parts).toBeLessThanOrEqual(3);
    expect(text).toMatch(/ещё \d+\. https:\/\/tocsin\.example\/country\/KZ$/);
  });
});
