import { BUILTIN_SCHEMES, Scheme } from '@tocsin/schemes';
import { decodeSmsParts, segmentSms, smsSizeOf } from '@tocsin/sms';
import { alertSms, AlertSmsInput, plainForSms } from './alert-sms';
import { levelChangedEvent } from './testing/level-changed-event';

const KZ_TERROR = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror') as Scheme;

function input(overrides: Partial<AlertSmsInput> = {}, headline?: string): AlertSmsInput {
  const event = levelChangedEvent('evt_1', ['KZ-75']);
  if (headline) event.data.declaration.headline = headline;
  event.data.declaration.translations = {
    ru: { headline: 'Критический уровень террористической опасности', summary: 'с', measures: [] },
  };
  return {
    event,
    changes: event.data.changes,
    scheme: KZ_TERROR,
    language: 'en',
    publicUrl: 'https://tocsin.example',
    ...overrides,
  };
}

describe('alertSms', () => {
  it('says where, the level, the headline and the country page in GSM 7-bit English', () => {
    const text = alertSms(input());
    expect(text).toMatch(
      /^Almaty: .*CRITICAL \(red\)\. Critical terrorism threat level https:\/\/tocsin\.example\/country\/KZ$/,
    );
    expect(smsSizeOf(text)).toEqual({ encoding: 'gsm7', parts: 1 });
  });

  it('is Cyrillic UCS-2 in Russian, with the Russian headline', () => {
    const text = alertSms(input({ language: 'ru' }));
    expect(text).toContain('Алматы');
    expect(text).toContain('Критический уровень террористической опасности');
    expect(smsSizeOf(text).encoding).toBe('ucs2');
  });

  it('keeps a headline with curly quotes and dashes in GSM 7-bit', () => {
    const text = alertSms(input({}, 'Almaty — the city’s “red” level…'));
    expect(text).toContain(`Almaty - the city's "red" level...`);
    expect(smsSizeOf(text).encoding).toBe('gsm7');
  });

  it('shortens a long headline to fit three parts, and the link stays whole', () => {
    const long = 'Critical terrorism threat level across the city of Almaty and its suburbs. '
      .repeat(10)
      .trim();
    const text = alertSms(input({}, long));
    expect(smsSizeOf(text).parts).toBe(3);
    expect(text).toMatch(/\.\.\. https:\/\/tocsin\.example\/country\/KZ$/);
    expect(decodeSmsParts(segmentSms(text, { maxParts: 3 }).parts)).toBe(text);
  });

  it('shortens a long Cyrillic headline to fit three UCS-2 parts', () => {
    const event = levelChangedEvent('evt_1', ['KZ']);
    event.data.declaration.translations = {
      ru: { headline: 'Очень длинный заголовок. '.repeat(20), summary: 's', measures: [] },
    };
    const text = alertSms(input({ event, changes: event.data.changes, language: 'ru' }));
    expect(smsSizeOf(text)).toEqual({ encoding: 'ucs2', parts: 3 });
  });

  it('starts an exercise with [EXERCISE]', () => {
    const event = levelChangedEvent('evt_1', ['KZ']);
    Object.assign(event.data.declaration, { mode: 'exercise' });
    expect(alertSms(input({ event, changes: event.data.changes }))).toMatch(/^\[EXERCISE\] Kazakhstan: /);
  });

  it('names the other areas by count, and a lifted level as lifted', () => {
    const event = levelChangedEvent('evt_1', ['KZ-75', 'KZ-71']);
    expect(alertSms(input({ event, changes: event.data.changes }))).toMatch(/^Almaty \+1: /);
    const lifted = levelChangedEvent('evt_2', ['KZ']);
    lifted.data.changes[0] = {
      ...lifted.data.changes[0],
      previous: lifted.data.changes[0].current,
      current: null,
    };
    expect(alertSms(input({ event: lifted, changes: lifted.data.changes }))).toMatch(
      /^Kazakhstan: .* lifted\. /,
    );
  });
});

describe('plainForSms', () => {
  it('folds typography and whitespace', () => {
    expect(plainForSms('a\u00a0b –\n c’s …')).toBe("a b - c's ...");
  });
});
