import { areaName } from '@tocsin/areas';
import { alreadySubscribedEmail, confirmationEmail, describeFilter } from './subscriber-emails';

const filter = { areas: ['KZ', 'KZ-75'], schemeId: 'kz-terror', minRank: 2, events: ['escalated' as const] };
const everywhere = { areas: ['*'], schemeId: null, minRank: null, events: null };
const reader = { filter, language: 'en', timeZone: null, ui: 'en' as const };

describe('subscriber emails', () => {
  it('describe a filter in words, counting the areas', () => {
    expect(describeFilter(filter, 'en')).toBe(
      '2 areas: Kazakhstan (KZ), Almaty (KZ-75); scheme kz-terror; when a level of rank 2 or above is involved; escalations only',
    );
    expect(describeFilter(everywhere, 'en')).toBe('everywhere; every scheme');
    expect(describeFilter({ ...everywhere, areas: ['KZ'] }, 'en')).toBe('Kazakhstan (KZ); every scheme');
  });

  it('describe a filter in Russian and Kazakh, with the plural forms of each', () => {
    expect(describeFilter(filter, 'ru')).toBe(
      `2 территории: Казахстан (KZ), ${areaName('KZ-75', 'ru')} (KZ-75); система уровней kz-terror; ` +
        'когда затронут уровень ранга 2 или выше; только повышения',
    );
    const five = { ...everywhere, areas: ['KZ', 'GB', 'FR', 'NL', 'AU'] };
    expect(describeFilter(five, 'ru')).toMatch(/^5 территорий: Казахстан \(KZ\), Великобритания \(GB\)/);
    const twentyOne = { ...everywhere, areas: Array.from({ length: 21 }, () => 'KZ') };
    expect(describeFilter(twentyOne, 'ru')).toMatch(/^21 территория: /);
    expect(describeFilter(five, 'kk')).toMatch(/^5 аумақ: Қазақстан \(KZ\), Ұлыбритания \(GB\)/);
    expect(describeFilter(everywhere, 'kk')).toBe('барлық елдер мен өңірлер; барлық деңгейлер жүйесі');
  });

  it('put the confirmation link in both parts, escaped in the HTML', () => {
    const url = 'https://tocsin.example/v1/email-subscriptions/confirm?token=a&b';
    const email = confirmationEmail(reader, url);
    expect(email.subject).toBe('Confirm your Tocsin threat-level alerts');
    expect(email.text).toContain(url);
    expect(email.text).toContain('(the link is valid for 7 days)');
    expect(email.html).toContain(
      'href="https://tocsin.example/v1/email-subscriptions/confirm?token=a&amp;b"',
    );
    expect(email.html).toContain('<html lang="en">');
  });

  it('write the confirmation in the subscriber language, naming its language and zone', () => {
    const ru = confirmationEmail(
      { filter, language: 'ru', timeZone: 'Europe/London', ui: 'ru' },
      'https://x/confirm',
    );
    expect(ru.subject).toBe('Подтвердите подписку на оповещения Tocsin об уровнях угрозы');
    expect(ru.text).toContain('Казахстан (KZ)');
    expect(ru.text).toContain('(ссылка действительна 7 дней)');
    expect(ru.text).toContain('Язык оповещений: русский; время указывается в часовом поясе Europe/London.');
    expect(ru.html).toContain('<html lang="ru">');
    expect(ru.html).toContain('>Подтвердить подписку</a>');

    const kk = confirmationEmail({ filter, language: 'kk', timeZone: null, ui: 'kk' }, 'https://x/confirm');
    expect(kk.subject).toBe('Tocsin қауіп деңгейі туралы хабарламаларына жазылуды растаңыз');
    expect(kk.text).toContain('Қазақстан (KZ)');
    expect(kk.text).toContain('Хабарламалар тілі: қазақ тілі;');
    expect(kk.html).toContain('<html lang="kk">');
  });

  it('name a language without a catalog in the labels’ language', () => {
    const fr = confirmationEmail({ filter, language: 'fr', timeZone: null, ui: 'en' }, 'https://x/confirm');
    expect(fr.text).toContain(
      'Alerts will be in French, with times in the local time of the area concerned.',
    );
  });

  it('tell an existing subscriber how to manage and leave, without a confirmation link', () => {
    const email = alreadySubscribedEmail(reader, 'https://x/manage', 'https://x/unsubscribe');
    expect(email.text).toContain('https://x/manage');
    expect(email.text).toContain('https://x/unsubscribe');
    expect(email.text).not.toContain('confirm');
    const ru = alreadySubscribedEmail(
      { ...reader, language: 'ru', ui: 'ru' },
      'https://x/manage',
      'https://x/unsubscribe',
    );
    expect(ru.subject).toBe('Ваши оповещения Tocsin об уровнях угрозы');
    expect(ru.html).toContain('>Отписаться</a>');
  });
});
