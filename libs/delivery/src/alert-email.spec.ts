import type { LevelChangedEvent } from '@tocsin/declarations';
import { formatInstant } from '@tocsin/i18n';
import { BUILTIN_SCHEMES, Scheme } from '@tocsin/schemes';
import {
  addressedAlert,
  alertContent,
  AlertContentInput,
  alertEmail,
  AlertMode,
  alertModeOf,
  subjectMarker,
} from './alert-email';

const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f', declarationId: 'dcl_2' };
const ORANGE = { code: 'orange', rank: 2, name: 'High', color: '#f57c00', declarationId: 'dcl_1' };
const KZ_TERROR = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror') as Scheme;

// January 2022: Kazakhstan kept UTC+6 all year and London is on GMT, so the offsets are the same every run.
const EFFECTIVE = '2022-01-07T03:00:00.000Z';
const EXPIRES = '2022-01-13T06:00:00.000Z';

const KAZAKHSTAN = {
  area: { code: 'KZ', name: 'Kazakhstan' },
  scheme: 'kz-terror',
  previous: ORANGE,
  current: RED,
  direction: 'escalated' as const,
  sequence: 2,
};
const ALMATY = {
  area: { code: 'KZ-75', name: 'Almaty' },
  scheme: 'kz-terror',
  previous: null,
  current: RED,
  direction: 'escalated' as const,
  sequence: 1,
};

function eventOf(declaration: Partial<LevelChangedEvent['data']['declaration']> = {}): LevelChangedEvent {
  return {
    type: 'threat_level.changed',
    timestamp: EFFECTIVE,
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
        effectiveAt: EFFECTIVE,
        expiresAt: null,
        ...declaration,
      },
      changes: [KAZAKHSTAN, ALMATY],
    },
  };
}

const TRANSLATED = eventOf({
  translations: {
    ru: {
      headline: 'Критический уровень <везде> & далее',
      summary: 'Возможны повторные нападения.',
      measures: ['Досмотр транспорта.'],
    },
    kk: {
      headline: 'Қатерлі деңгей',
      summary: 'Қайталама шабуылдар болуы мүмкін.',
      measures: ['Көлікті тексеру.'],
    },
  },
});

/** An event of a declaration in `mode`, shaped as governance sends it (DESIGN.md §5.4). */
function eventIn(
  mode: AlertMode,
  type = mode === 'actual' ? 'threat_level.changed' : 'threat_level.exercise',
) {
  const event = eventOf({ translations: TRANSLATED.data.declaration.translations });
  Object.assign(event.data.declaration, { mode });
  Object.assign(event, { type });
  return event;
}

const addressing = {
  deliveryId: 'dlv_abc',
  manageUrl: 'https://tocsin.test/v1/email-subscriptions/manage?token=m&x=1',
  unsubscribeUrl: 'https://tocsin.test/v1/email-subscriptions/unsubscribe?token=u',
  messageIdHost: 'tocsin.test',
};

const reading = (
  language: string,
  timeZone: string | null = null,
  overrides: Partial<AlertContentInput> = {},
): AlertContentInput => ({
  event: TRANSLATED,
  changes: [KAZAKHSTAN],
  scheme: KZ_TERROR,
  language,
  timeZone,
  declarationUrl: 'https://tocsin.test/v1/declarations/dcl_2',
  ...overrides,
});

const email = (input: AlertContentInput) => addressedAlert(alertContent(input), addressing);

describe('alert emails', () => {
  it('name the area and the level in the subject, in English as they always did', () => {
    expect(email(reading('en')).subject).toBe('Kazakhstan — terrorism threat level CRITICAL (red)');
    expect(email(reading('en', null, { changes: [KAZAKHSTAN, ALMATY] })).subject).toBe(
      'Kazakhstan and 1 more area — terrorism threat level CRITICAL (red)',
    );
  });

  it('write the subject in Russian and Kazakh with the official level names', () => {
    expect(email(reading('ru')).subject).toBe(
      'Казахстан — уровень террористической опасности: критический (красный)',
    );
    expect(email(reading('ru-KZ')).subject).toBe(
      'Казахстан — уровень террористической опасности: критический (красный)',
    );
    expect(email(reading('kk')).subject).toMatch(/^Қазақстан — террористік қауіп деңгейі: \S/);
  });

  it('count the other areas with the plural forms of the language', () => {
    const others = (n: number) => [KAZAKHSTAN, ...Array.from({ length: n }, () => ALMATY)];
    const ru = (n: number) => email(reading('ru', null, { changes: others(n) })).subject;
    expect(ru(1)).toMatch(/^Казахстан и ещё 1 территория — /);
    expect(ru(3)).toMatch(/^Казахстан и ещё 3 территории — /);
    expect(ru(5)).toMatch(/^Казахстан и ещё 5 территорий — /);
    expect(ru(21)).toMatch(/^Казахстан и ещё 21 территория — /);
    expect(email(reading('en', null, { changes: others(2) })).subject).toMatch(
      /^Kazakhstan and 2 more areas — /,
    );
    expect(email(reading('kk', null, { changes: others(2) })).subject).toMatch(
      /^Қазақстан және тағы 2 аумақ — /,
    );
  });

  it('say when a level is lifted', () => {
    const lifted = { ...KAZAKHSTAN, previous: RED, current: null, direction: 'deescalated' as const };
    expect(email(reading('en', null, { changes: [lifted] })).subject).toBe(
      'Kazakhstan — terrorism threat level lifted (was CRITICAL (red))',
    );
    expect(email(reading('ru', null, { changes: [lifted] })).subject).toBe(
      'Казахстан — уровень террористической опасности: отменён (был критический (красный))',
    );
  });

  it('carry the declaration in the subscriber language where it has one, without a note', () => {
    const { text, html } = email(reading('ru'));
    expect(text).toMatch(/^Критический уровень <везде> & далее\n\n/);
    expect(text).toContain('Казахстан (KZ): высокий (оранжевый) → критический (красный)');
    expect(text).toContain('Возможны повторные нападения.');
    expect(text).toContain('Меры:\n- Досмотр транспорта.');
    expect(text).toContain('Источник: Anti-Terrorist Centre.');
    expect(text).not.toContain('языке оригинала');
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Критический уровень &lt;везде&gt; &amp; далее');
    expect(html).not.toContain('<везде>');

    const kk = email(reading('kk'));
    expect(kk.text).toMatch(/^Қатерлі деңгей\n/);
    expect(kk.text).toContain('Қазақстан (KZ): ');
    expect(kk.html).toContain('<html lang="kk">');
  });

  it('fall back to the original text with a line naming its language in the subscriber’s', () => {
    const original = eventOf({ translations: { kk: { headline: 'Қатерлі деңгей' } } });
    const { text, html } = email(reading('ru', null, { event: original }));
    const english = new Intl.DisplayNames('ru', { type: 'language' }).of('en');
    const note = `Текст приведён на языке оригинала (${english}).`;
    expect(text.split('\n').slice(0, 3)).toEqual(['Red <everywhere> & more', note, '']);
    expect(text).toContain('Repeat attacks are possible.');
    expect(text).toContain('Казахстан (KZ): ');
    expect(html).toContain(`<em>${note}</em>`);
    // The original keeps its own language in the markup, inside a page in Russian.
    expect(html).toContain('<h1 style="font-size: 1.3rem" lang="en">Red &lt;everywhere&gt; &amp; more</h1>');

    const kazakhOriginal = eventOf({ language: 'kk', headline: 'Қатерлі деңгей', translations: {} });
    const kazakh = new Intl.DisplayNames('en', { type: 'language' }).of('kk');
    expect(email(reading('en', null, { event: kazakhOriginal })).text).toContain(
      `This text is in its original language (${kazakh}).`,
    );
    expect(email(reading('en')).text).not.toContain('original language');
  });

  it('read a payload written before declarations had languages as English', () => {
    const old = eventOf();
    delete (old.data.declaration as Partial<typeof old.data.declaration>).language;
    delete (old.data.declaration as Partial<typeof old.data.declaration>).translations;
    expect(email(reading('en', null, { event: old })).text).toMatch(/^Red <everywhere> & more\n\n/);
    expect(email(reading('ru', null, { event: old })).text).toContain('языке оригинала');
  });

  it('give times in the subscriber’s zone with its offset, else in the area’s main zone', () => {
    const until = eventOf({ expiresAt: EXPIRES, translations: TRANSLATED.data.declaration.translations });
    const at = (iso: string, lang: string, zone: string) => formatInstant(new Date(iso), lang, zone);
    // No zone of its own: Kazakhstan's, Asia/Almaty.
    expect(email(reading('ru', null, { event: until })).text).toContain(
      `Действует с ${at(EFFECTIVE, 'ru', 'Asia/Almaty')} до ${at(EXPIRES, 'ru', 'Asia/Almaty')}.`,
    );
    expect(email(reading('en', 'Europe/London')).text).toContain(
      `In force from ${at(EFFECTIVE, 'en', 'Europe/London')}, until further notice.`,
    );
    expect(email(reading('en', 'Asia/Almaty')).text).toContain(
      `In force from ${at(EFFECTIVE, 'en', 'Asia/Almaty')}, until further notice.`,
    );
    // A subscriber's own form of English keeps its own way of writing dates.
    expect(email(reading('en-US', 'Europe/London')).text).toContain(
      `In force from ${at(EFFECTIVE, 'en-US', 'Europe/London')},`,
    );
    expect(at(EFFECTIVE, 'en', 'Europe/London')).not.toBe(at(EFFECTIVE, 'en', 'Asia/Almaty'));
    const cancelled = { ...TRANSLATED, data: { ...TRANSLATED.data, cause: 'cancelled' as const } };
    expect(email(reading('kk', 'Asia/Almaty', { event: cancelled })).text).toContain(
      `Тоқтатылған уақыты: ${at(EFFECTIVE, 'kk', 'Asia/Almaty')}.`,
    );
  });

  it('label the links in the subscriber language and escape them in the HTML', () => {
    const { text, html } = email(reading('ru'));
    expect(text).toContain(`Подробнее: https://tocsin.test/v1/declarations/dcl_2`);
    expect(
      text.endsWith(`Изменить подписку: ${addressing.manageUrl}\nОтписаться: ${addressing.unsubscribeUrl}`),
    ).toBe(true);
    expect(html).toContain(
      '<a href="https://tocsin.test/v1/email-subscriptions/manage?token=m&amp;x=1">Изменить подписку</a>',
    );
    expect(html).toMatch(/<\/body><\/html>$/);
  });

  it('address one rendering to many recipients, each with its own links and Message-ID', () => {
    const content = alertContent(reading('ru'));
    const first = addressedAlert(content, addressing);
    const second = addressedAlert(content, {
      ...addressing,
      deliveryId: 'dlv_def',
      manageUrl: 'https://tocsin.test/m2',
      unsubscribeUrl: 'https://tocsin.test/u2',
    });
    expect(second.subject).toBe(first.subject);
    expect(
      second.text
        .replace('https://tocsin.test/m2', addressing.manageUrl)
        .replace('https://tocsin.test/u2', addressing.unsubscribeUrl),
    ).toBe(first.text);
    expect(second.messageId).toBe('<dlv_def@tocsin.test>');
    expect(second.headers['List-Unsubscribe']).toBe('<https://tocsin.test/u2>');
  });

  it('offer one-click unsubscribe and a stable Message-ID', () => {
    const sent = email(reading('en'));
    expect(sent.headers).toEqual({
      'List-Unsubscribe': `<${addressing.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Event-Id': 'evt_1',
    });
    expect(sent.messageId).toBe('<dlv_abc@tocsin.test>');
    expect(email(reading('en')).messageId).toBe(sent.messageId);
  });

  it('still render from the scheme’s English event alone, as the benchmark renders its ceiling', () => {
    const sent = alertEmail({
      event: eventOf(),
      changes: [KAZAKHSTAN, ALMATY],
      schemeEvent: 'terrorism threat level',
      declarationUrl: 'https://tocsin.test/v1/declarations/dcl_2',
      ...addressing,
    });
    expect(sent.subject).toBe('Kazakhstan and 1 more area — terrorism threat level CRITICAL (red)');
    expect(sent.text).toContain('Kazakhstan (KZ): HIGH (orange) → CRITICAL (red)');
    expect(sent.text).toContain('Almaty (KZ-75): no level → CRITICAL (red)');
    expect(sent.text).toContain(`In force from ${formatInstant(new Date(EFFECTIVE), 'en', 'Asia/Almaty')}`);
    expect(sent.text).toContain('- Searches of vehicles.');
    expect(sent.html).toContain('Red &lt;everywhere&gt; &amp; more');
    expect(sent.html).not.toContain('<everywhere>');
  });

  describe('of an exercise or a test', () => {
    it('start the subject with the ASCII marker in every language', () => {
      const subject = (mode: AlertMode, language: string) =>
        email(reading(language, null, { event: eventIn(mode) })).subject;
      expect(subject('exercise', 'en')).toBe('[EXERCISE] Kazakhstan — terrorism threat level CRITICAL (red)');
      expect(subject('test', 'en')).toBe('[TEST] Kazakhstan — terrorism threat level CRITICAL (red)');
      expect(subject('exercise', 'ru')).toBe(
        '[EXERCISE] Казахстан — уровень террористической опасности: критический (красный)',
      );
      expect(subject('test', 'kk')).toMatch(/^\[TEST\] Қазақстан — /);
      expect(subject('actual', 'en')).toBe('Kazakhstan — terrorism threat level CRITICAL (red)');
    });

    it('open the text and the HTML with a line that it is one and that nothing has changed', () => {
      const exercise = email(reading('en', null, { event: eventIn('exercise') }));
      const notice =
        'This is an EXERCISE. No threat level has changed; the alert below is what the exercise announces.';
      expect(exercise.text.split('\n').slice(0, 3)).toEqual([notice, '', 'Red <everywhere> & more']);
      expect(exercise.html).toMatch(
        new RegExp(`<body[^>]*>\\n<p role="note" [^>]*>${notice.replace(/[.;]/g, '\\$&')}</p>\\n<h1`),
      );
      const test = email(reading('ru', null, { event: eventIn('test') }));
      expect(test.text).toMatch(/^Это ТЕСТ\. Уровень угрозы не изменился; .+\n\nКритический уровень/);
      expect(test.html).toContain('<p role="note"');
      const kk = email(reading('kk', null, { event: eventIn('exercise') }));
      expect(kk.text).toMatch(/^Бұл — ОҚУ-ЖАТТЫҒУ\. Қатер деңгейі өзгерген жоқ;/);
    });

    it('add neither marker nor line to an actual alert', () => {
      const actual = email(reading('en', null, { event: eventIn('actual') }));
      expect(actual.text).toMatch(/^Red <everywhere> & more\n/);
      expect(actual.html).not.toContain('role="note"');
      expect(email(reading('en')).html).not.toContain('role="note"');
    });
  });
});

describe('alertModeOf', () => {
  it.each([
    ['exercise', 'threat_level.exercise', 'exercise'],
    ['test', 'threat_level.exercise', 'test'],
    ['actual', 'threat_level.changed', 'actual'],
    [undefined, 'threat_level.changed', 'actual'],
    [undefined, 'threat_level.exercise', 'exercise'],
    [null, 'threat_level.changed', 'actual'],
    ['nonsense', 'threat_level.changed', 'actual'],
  ])('reads mode %s of a %s event as %s', (mode, type, expected) => {
    expect(alertModeOf({ type, data: { declaration: { mode } } })).toBe(expected);
  });
});

describe('subjectMarker', () => {
  it('marks exercises and tests, never an actual alert', () => {
    expect(subjectMarker('exercise')).toBe('[EXERCISE] ');
    expect(subjectMarker('test')).toBe('[TEST] ');
    expect(subjectMarker('actual')).toBe('');
  });
});
