import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCatalogs } from '@tocsin/i18n';
import { localisePage, pageLanguage } from './localised-page';

describe('pageLanguage', () => {
  it.each([
    [
      '?lang= over the cookie and the header',
      { lang: 'kk', cookie: 'tocsin_lang=ru', acceptLanguage: 'ru' },
      'kk',
    ],
    ['a tag with a region names its language', { lang: 'ru-RU' }, 'ru'],
    ['the cookie over the header', { cookie: 'theme=dark; tocsin_lang=kk', acceptLanguage: 'ru' }, 'kk'],
    ['the cookie when ?lang= is not ours', { lang: 'fr', cookie: 'tocsin_lang=ru' }, 'ru'],
    ['the cookie when ?lang= is no tag at all', { lang: 'x_!', cookie: 'tocsin_lang=kk' }, 'kk'],
    ['Accept-Language when nothing else says', { acceptLanguage: 'fr-FR;q=1, ru;q=0.8, en;q=0.5' }, 'ru'],
    [
      'Accept-Language when the cookie is garbage',
      { cookie: 'tocsin_lang=zz-!!', acceptLanguage: 'kk-KZ' },
      'kk',
    ],
    ['English when nothing says', {}, 'en'],
  ] as const)('%s', (_case, request, expected) => {
    expect(pageLanguage(request)).toBe(expected);
  });
});

describe('localisePage', () => {
  const page = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta name="description" content="Levels" data-i18n-content="web.meta.description" />',
    '<title data-i18n="web.meta.title">Tocsin — threat levels</title>',
    '<script type="module" crossorigin src="/assets/index-1.js"></script></head>',
    '<body><nav aria-label="Main" data-i18n-aria-label="web.nav.label"><ul>',
    '<li><a href="/" data-i18n="web.nav.levels">Threat levels</a></li></ul></nav>',
    '<a href="?lang=kk" hreflang="kk" lang="kk"\n  aria-label="Қазақша" data-i18n-aria-label="web.language.self"',
    '  data-i18n="web.language.selfShort">қаз</a>',
    '<p>Untouched <b>text</b></p></body></html>',
  ].join('\n');

  it('sets <html lang> and puts the marked texts and attributes in the language, leaving the rest as it was', () => {
    const ru = localisePage(page, 'ru');
    expect(ru).toContain('<html lang="ru">');
    expect(ru).toContain(
      '<meta name="description" content="Текущие уровни террористической опасности по странам, в реальном времени." data-i18n-content="web.meta.description" />',
    );
    expect(ru).toContain('<title data-i18n="web.meta.title">Tocsin — уровни угрозы</title>');
    expect(ru).toContain('<nav aria-label="Основное меню" data-i18n-aria-label="web.nav.label">');
    expect(ru).toContain('<a href="/" data-i18n="web.nav.levels">Уровни угрозы</a>');
    expect(ru).toContain('<script type="module" crossorigin src="/assets/index-1.js"></script>');
    expect(ru).toContain('<p>Untouched <b>text</b></p>');
  });

  it('writes an element with a lang of its own in that language: the switch names Kazakh in Kazakh', () => {
    for (const lang of ['en', 'ru', 'kk'] as const) {
      expect(localisePage(page, lang)).toContain(
        '<a href="?lang=kk" hreflang="kk" lang="kk" aria-label="Қазақша" data-i18n-aria-label="web.language.self" data-i18n="web.language.selfShort">қаз</a>',
      );
    }
  });

  it('is the page as it was, but for <html lang>, in English', () => {
    const en = localisePage(page.replace('<html lang="en">', '<html lang="xx">'), 'en');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<title data-i18n="web.meta.title">Tocsin — threat levels</title>');
  });
});

describe('the pages’ catalog keys', () => {
  it('every key apps/web and its index.html name is in the English web catalog (the catalog test covers ru and kk)', () => {
    const web = join(__dirname, '..', '..', '..', 'web');
    const sources = readdirSync(join(web, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .map((file) => join(web, 'src', file))
      .concat(join(web, 'index.html'))
      .map((file) => readFileSync(file, 'utf8'));
    // Keys may hold an API value with its underscore (web.declaration.status.pending_approval).
    const named = new Set(
      sources.flatMap((text) =>
        [...text.matchAll(/['"](web\.[A-Za-z0-9._]+)['"]/g)].map((match) => match[1]),
      ),
    );
    const english = readCatalogs().web.en ?? {};
    expect(named.size).toBeGreaterThan(200);
    expect([...named].filter((key) => !(key in english))).toEqual([]);
    // And nothing in the catalog that no page uses any more.
    expect(Object.keys(english).filter((key) => !named.has(key))).toEqual([]);
  });
});
