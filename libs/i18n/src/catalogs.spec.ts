// The catalog test: every namespace has every English key in Russian and Kazakh, nothing more, and every
// message parses, uses no argument English lacks, and gives each plural every category its language has.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS_DIRECTORY, readCatalogs } from './catalogs';
import { SUPPORTED_LANGUAGES } from './languages';
import { Catalog } from './messages';

interface Element {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Element[] }>;
  pluralType?: 'cardinal' | 'ordinal';
  children?: Element[];
}

/** Argument names and plural option sets of a parsed message, walking into select/plural branches. */
function shape(elements: Element[], found = { args: new Set<string>(), plurals: [] as Element[] }) {
  for (const element of elements) {
    // Literals and `#` carry no name of their own; every other element with a string value is an argument.
    if (typeof element.value === 'string' && element.type !== 0 && element.type !== 7)
      found.args.add(element.value);
    if (element.pluralType) found.plurals.push(element);
    for (const option of Object.values(element.options ?? {})) shape(option.value, found);
    if (element.children) shape(element.children, found);
  }
  return found;
}

const parse = (message: string, lang: string) =>
  shape(
    new IntlMessageFormat(message, lang, undefined, { ignoreTag: true }).getAst() as unknown as Element[],
  );

const catalogs = readCatalogs();
const namespaces = Object.keys(catalogs);

describe('message catalogs', () => {
  it('are found on disk, one folder per namespace, including common', () => {
    expect(namespaces).toContain('common');
  });

  describe.each(namespaces)('namespace %s', (namespace) => {
    const byLanguage = catalogs[namespace];
    const english: Catalog = byLanguage.en ?? {};

    it('holds exactly one JSON file per supported language', () => {
      expect(readdirSync(join(CATALOGS_DIRECTORY, namespace)).sort()).toEqual(
        SUPPORTED_LANGUAGES.map((lang) => `${lang}.json`).sort(),
      );
    });

    it(`names every key "${namespace}.…"`, () => {
      const strays = SUPPORTED_LANGUAGES.flatMap((lang) => Object.keys(byLanguage[lang] ?? {})).filter(
        (key) => !key.startsWith(`${namespace}.`),
      );
      expect(strays).toEqual([]);
    });

    it.each(SUPPORTED_LANGUAGES.filter((lang) => lang !== 'en'))(
      '%s has every key English has, and no other',
      (lang) => {
        const keys = Object.keys(byLanguage[lang] ?? {});
        expect(Object.keys(english).filter((key) => !keys.includes(key))).toEqual([]);
        expect(keys.filter((key) => !(key in english))).toEqual([]);
      },
    );

    it.each([...SUPPORTED_LANGUAGES])(
      'every %s message parses, with every plural category of its language',
      (lang) => {
        const cardinal = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        const ordinal = new Intl.PluralRules(lang, { type: 'ordinal' }).resolvedOptions().pluralCategories;
        const problems: string[] = [];
        for (const [key, message] of Object.entries(byLanguage[lang] ?? {})) {
          let found: ReturnType<typeof shape>;
          try {
            found = parse(message, lang);
          } catch (error) {
            problems.push(`${key}: does not parse (${(error as Error).message})`);
            continue;
          }
          for (const plural of found.plurals) {
            const categories = plural.pluralType === 'ordinal' ? ordinal : cardinal;
            const missing = categories.filter((category) => !(category in (plural.options ?? {})));
            if (missing.length)
              problems.push(`${key}: plural {${String(plural.value)}} lacks ${missing.join(', ')}`);
          }
          if (lang !== 'en' && key in english) {
            const englishArgs = parse(english[key], 'en').args;
            const unknown = [...found.args].filter((arg) => !englishArgs.has(arg));
            if (unknown.length) problems.push(`${key}: uses {${unknown.join('}, {')}} that English does not`);
          }
        }
        expect(problems).toEqual([]);
      },
    );
  });

  it('Russian plurals have the four forms one, few, many and other', () => {
    expect(new Intl.PluralRules('ru').resolvedOptions().pluralCategories.sort()).toEqual([
      'few',
      'many',
      'one',
      'other',
    ]);
  });
});

describe('readCatalogs', () => {
  it('reads each namespace of a folder and rejects a message that is not a string', () => {
    const directory = mkdtempSync(join(tmpdir(), 'catalogs-'));
    mkdirSync(join(directory, 'one'));
    writeFileSync(join(directory, 'one', 'en.json'), '{"one.a": "A"}');
    writeFileSync(join(directory, 'one', 'ru.json'), '{"one.a": "А"}');
    expect(readCatalogs(directory)).toEqual({ one: { en: { 'one.a': 'A' }, ru: { 'one.a': 'А' } } });
    writeFileSync(join(directory, 'one', 'kk.json'), '{"one.a": 1}');
    expect(() => readCatalogs(directory)).toThrow('"one.a" is not a string');
  });
});
