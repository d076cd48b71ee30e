import type { LevelChangedEvent } from '@tocsin/declarations';
import { formatLongInstant } from '@tocsin/i18n';
import { BUILTIN_SCHEMES, Scheme } from '@tocsin/schemes';
import {
  addressedAlert,
  alertContent,
  AlertContentInput,
  alertEmail,
  AlertMode,
  alertModeOf,
  badgeColors,
  contrastRatio,
  countryPageUrl,
  NO_COLOR,
  subjectMarker,
  threadRootId,
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
  subscriptionId: 'sub_1',
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
  publicUrl: 'https://tocsin.test',
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
    expect(html).toMatch(/<h1 [^>]*lang="en">Red &lt;everywhere&gt; &amp; more<\/h1>/);

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

  it('give times for people in the subscriber’s zone with its offset, else in the area’s main zone', () => {
    const until = eventOf({ expiresAt: EXPIRES, translations: TRANSLATED.data.declaration.translations });
    // No zone of its own: Kazakhstan's, Asia/Almaty (UTC+6 in 2022).
    expect(email(reading('ru', null, { event: until })).text).toContain(
      'Начало действия: пятница, 7 января 2022 г. в 09:00 (UTC+6)\n' +
        'Окончание действия: четверг, 13 января 2022 г. в 12:00 (UTC+6)\n',
    );
    expect(email(reading('en', 'Europe/London')).text).toContain(
      'In force from: Friday, 7 January 2022 at 03:00 (UTC)\nUntil: further notice\n',
    );
    expect(email(reading('en', 'Asia/Almaty')).text).toContain(
      'In force from: Friday, 7 January 2022 at 09:00 (UTC+6)\n',
    );
    expect(email(reading('kk', 'Asia/Almaty')).text).toContain(
      'Күшіне енген уақыты: 2022 ж. 7 қаңтар, жұма, 09:00 (UTC+6)\n' +
        'Аяқталу уақыты: жаңа хабарландыруға дейін\n',
    );
    // A zone half an hour off the hour keeps its minutes, in the offset as in the time.
    expect(email(reading('en', 'Asia/Kolkata')).text).toContain(
      'In force from: Friday, 7 January 2022 at 08:30 (UTC+5:30)\n',
    );
    // A subscriber's own form of English keeps its own way of writing dates.
    expect(email(reading('en-US', 'Europe/London')).text).toContain(
      'In force from: Friday, January 7, 2022 at 03:00 (UTC)\n',
    );
    const cancelled = { ...TRANSLATED, data: { ...TRANSLATED.data, cause: 'cancelled' as const } };
    expect(email(reading('kk', 'Asia/Almaty', { event: cancelled })).text).toContain(
      `Тоқтатылған уақыты: ${formatLongInstant(new Date(EFFECTIVE), 'kk', 'Asia/Almaty')}\n`,
    );
    const expired = { ...TRANSLATED, data: { ...TRANSLATED.data, cause: 'expired' as const } };
    const html = email(reading('en', 'Asia/Almaty', { event: expired })).html;
    expect(html).toContain(
      '>Expired</td><td style="padding: 2px 0; font-weight: bold">Friday, 7 January 2022 at 09:00 (UTC+6)</td>',
    );
    expect(html).not.toContain('In force from');
  });

  it('label the links in the subscriber language and escape them in the HTML', () => {
    const { text, html } = email(reading('ru'));
    expect(text).toContain(`Подробнее: https://tocsin.test/country/KZ`);
    expect(
      text.endsWith(`Изменить подписку: ${addressing.manageUrl}\nОтписаться: ${addressing.unsubscribeUrl}`),
    ).toBe(true);
    expect(html).toContain(
      '<a href="https://tocsin.test/v1/email-subscriptions/manage?token=m&amp;x=1" style="color: #1a237e">Изменить подписку</a>',
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
      'In-Reply-To': expect.stringMatching(/^<chain\.[0-9a-f]{24}@tocsin\.test>$/),
      References: sent.headers['In-Reply-To'],
      'List-Unsubscribe': `<${addressing.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Event-Id': 'evt_1',
      'X-Tocsin-Declaration-Id': 'dcl_2',
    });
    expect(sent.messageId).toBe('<dlv_abc@tocsin.test>');
    expect(email(reading('en')).messageId).toBe(sent.messageId);
  });

  it('still render from the scheme’s English event alone, as the benchmark renders its ceiling', () => {
    const sent = alertEmail({
      event: eventOf(),
      changes: [KAZAKHSTAN, ALMATY],
      schemeEvent: 'terrorism threat level',
      publicUrl: 'https://tocsin.test',
      ...addressing,
    });
    expect(sent.subject).toBe('Kazakhstan and 1 more area — terrorism threat level CRITICAL (red)');
    expect(sent.text).toContain('Kazakhstan (KZ): HIGH (orange) → CRITICAL (red)');
    expect(sent.text).toContain('Almaty (KZ-75): no level → CRITICAL (red)');
    expect(sent.text).toContain('In force from: Friday, 7 January 2022 at 09:00 (UTC+6)');
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
      // First in the card, before the headline.
      expect(exercise.html).toMatch(
        new RegExp(
          `<td style="padding: 20px 24px">\\n<p role="note" [^>]*>${notice.replace(/[.;]/g, '\\$&')}</p>\\n<h1`,
        ),
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

describe('at a glance', () => {
  const sourced = eventOf({
    expiresAt: EXPIRES,
    sourceUrl: 'https://www.gov.kz/memleket/entities/antiterror/press/news?id=1&lang=en',
  });

  it('show each changed area with its levels as badges in their colours, text readable on them', () => {
    const { html } = email(reading('en', null, { event: sourced, changes: [KAZAKHSTAN, ALMATY] }));
    const badge = (background: string, text: string, words: string) =>
      `<span class="level-badge" style="display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: bold; white-space: nowrap; background-color: ${background}; color: ${text}">${words}</span>`;
    expect(html).toContain(
      `<strong>Kazakhstan (KZ)</strong><br>${badge('#f57c00', '#000000', 'HIGH (orange)')} &rarr; ${badge('#d32f2f', '#ffffff', 'CRITICAL (red)')}`,
    );
    // No level before: said in words, in no colour of any level.
    expect(html).toMatch(
      /<strong>Almaty \(KZ-75\)<\/strong><br><span style="[^"]*dashed[^"]*">no level<\/span> &rarr; <span class="level-badge"[^>]*background-color: #d32f2f[^>]*>CRITICAL \(red\)<\/span>/,
    );
  });

  it.each([
    ['#d32f2f', '#ffffff'],
    ['#f57c00', '#000000'],
    ['#fbc02d', '#000000'],
    ['#388e3c', '#000000'],
    ['#1565C0', '#ffffff'],
    ['#000000', '#ffffff'],
    ['#ffffff', '#000000'],
  ])('put on %s the text colour that contrasts more, %s', (color, text) => {
    const colors = badgeColors(color);
    expect(colors).toEqual({ background: color.toLowerCase(), text });
    const other = text === '#000000' ? '#ffffff' : '#000000';
    expect(contrastRatio(colors.background, text)).toBeGreaterThanOrEqual(
      contrastRatio(colors.background, other),
    );
    // Either of black and white reaches 4.58:1 on any colour; the better one is never below it.
    expect(contrastRatio(colors.background, text)).toBeGreaterThanOrEqual(4.5);
  });

  it('show a level without a colour, or with one that is no #rrggbb, in grey, never in its own style', () => {
    expect(badgeColors(null)).toEqual({ background: NO_COLOR, text: '#ffffff' });
    expect(badgeColors('red; background-image: url(x)')).toEqual({ background: NO_COLOR, text: '#ffffff' });
    const grey = { ...RED, color: null };
    const { html } = email(reading('en', null, { changes: [{ ...KAZAKHSTAN, current: grey }] }));
    expect(html).toContain(`background-color: ${NO_COLOR}; color: #ffffff">CRITICAL (red)</span>`);
  });

  it('link Details to the country page of the first change’s country', () => {
    expect(countryPageUrl('https://tocsin.test', 'KZ-75')).toBe('https://tocsin.test/country/KZ');
    expect(countryPageUrl('https://tocsin.test/', 'GB')).toBe('https://tocsin.test/country/GB');
    const { text, html } = email(reading('en', null, { changes: [ALMATY, KAZAKHSTAN] }));
    expect(text).toContain('\nDetails: https://tocsin.test/country/KZ\n');
    expect(html).toMatch(/<a href="https:\/\/tocsin\.test\/country\/KZ" style="[^"]*">Details<\/a>/);
    expect(text + html).not.toContain('/v1/declarations');
  });

  it('name the authority and link the declaration’s source when it has one', () => {
    const { text, html } = email(reading('en', null, { event: sourced }));
    expect(text).toContain(
      'Issued by Anti-Terrorist Centre.\n' +
        'Source: https://www.gov.kz/memleket/entities/antiterror/press/news?id=1&lang=en\n',
    );
    expect(html).toContain(
      'Issued by Anti-Terrorist Centre. <a href="https://www.gov.kz/memleket/entities/antiterror/press/news?id=1&amp;lang=en" style="color: #1a237e">Source</a></p>',
    );
    expect(email(reading('ru', null, { event: sourced })).text).toContain(
      'Первоисточник: https://www.gov.kz/',
    );

    const unsourced = email(reading('en'));
    expect(unsourced.text).toContain('Issued by Anti-Terrorist Centre.\nDetails: ');
    expect(unsourced.html).toContain('Issued by Anti-Terrorist Centre.</p>');
    // Only a web page is linked: a script URL in a declaration reaches no href.
    const scripted = email(reading('en', null, { event: eventOf({ sourceUrl: 'javascript:alert(1)' }) }));
    expect(scripted.html).not.toContain('javascript:');
    expect(scripted.text).not.toContain('javascript:');
  });

  it('write a text part with the same facts in the same order and nothing of HTML', () => {
    const { text } = email(
      reading('en', null, { event: sourced, changes: [KAZAKHSTAN, ALMATY], scheme: KZ_TERROR }),
    );
    expect(text).toBe(
      [
        'Red <everywhere> & more',
        '',
        'Kazakhstan (KZ): HIGH (orange) → CRITICAL (red)',
        'Almaty (KZ-75): no level → CRITICAL (red)',
        '',
        'In force from: Friday, 7 January 2022 at 09:00 (UTC+6)',
        'Until: Thursday, 13 January 2022 at 12:00 (UTC+6)',
        '',
        'Repeat attacks are possible.',
        '',
        'Measures:',
        '- Searches of vehicles.',
        '',
        'Issued by Anti-Terrorist Centre.',
        'Source: https://www.gov.kz/memleket/entities/antiterror/press/news?id=1&lang=en',
        'Details: https://tocsin.test/country/KZ',
        '',
        `Change what you receive: ${addressing.manageUrl}`,
        `Unsubscribe: ${addressing.unsubscribeUrl}`,
      ].join('\n'),
    );
    // The declaration's own "<everywhere>" is its text; no entity or tag of the renderer's is left.
    expect(text).not.toMatch(/&[a-z]+;|<\/?(span|br|p|td|a)\b/);
  });

  it('keep the HTML to what every client shows: inline styles, tables, no images, no stylesheet', () => {
    const { html } = email(reading('en', null, { event: sourced }));
    expect(html).not.toMatch(/<style|<link|<img|<script|url\(/i);
    expect(html).toContain('<table role="presentation"');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Kazakhstan — terrorism threat level CRITICAL (red)</title>');
  });
});

describe('threads', () => {
  const threadOf = (input: AlertContentInput, to: Partial<typeof addressing> = {}) =>
    addressedAlert(alertContent(input), { ...addressing, ...to });
  const KZ_71 = { ...ALMATY, area: { code: 'KZ-71', name: 'Astana' } };

  it('give every alert of one subscription, area and scheme the same root in In-Reply-To and References', () => {
    const first = threadOf(reading('en'), { deliveryId: 'dlv_1' });
    const lifted = { ...KAZAKHSTAN, previous: RED, current: null, direction: 'deescalated' as const };
    const later = threadOf(reading('ru', 'Europe/London', { changes: [lifted] }), { deliveryId: 'dlv_2' });

    const root = threadRootId('sub_1', 'KZ', 'kz-terror', 'tocsin.test');
    expect(root).toMatch(/^<chain\.[0-9a-f]{24}@tocsin\.test>$/);
    for (const alert of [first, later]) {
      expect(alert.headers['In-Reply-To']).toBe(root);
      expect(alert.headers.References).toBe(root);
    }
    // Each keeps its own Message-ID, the delivery's: the receiver's key to drop a resent copy.
    expect(first.messageId).toBe('<dlv_1@tocsin.test>');
    expect(later.messageId).toBe('<dlv_2@tocsin.test>');
  });

  it('give another area, scheme or subscription another thread', () => {
    const root = (input: AlertContentInput, to: Partial<typeof addressing> = {}) =>
      threadOf(input, to).headers.References;
    const kz = root(reading('en'));
    expect(root(reading('en', null, { changes: [ALMATY] }))).not.toBe(kz);
    expect(root(reading('en', null, { changes: [{ ...KAZAKHSTAN, scheme: 'kz-flood' }] }))).not.toBe(kz);
    expect(root(reading('en'), { subscriptionId: 'sub_2' })).not.toBe(kz);
    // An alert about several areas goes in the thread of its first.
    expect(root(reading('en', null, { changes: [ALMATY, KZ_71] }))).toBe(
      root(reading('en', null, { changes: [ALMATY] })),
    );
    expect(root(reading('en', null, { changes: [KZ_71, ALMATY] }))).not.toBe(
      root(reading('en', null, { changes: [ALMATY] })),
    );
  });

  it('put neither the subscription’s id nor the address in a header', () => {
    const sent = threadOf(reading('en'), { subscriptionId: 'sub_secret-42' });
    expect(JSON.stringify(sent.headers)).not.toContain('sub_secret-42');
    expect(sent.headers.References).not.toContain('KZ');
  });
});
