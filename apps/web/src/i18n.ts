// The pages' language and their messages: the `web` catalogs of libs/i18n (the same JSON files the server
// renders index.html from), ICU MessageFormat by intl-messageformat, dates and numbers by Intl in that language.

import { IntlMessageFormat } from 'intl-messageformat';
import en from '../../../libs/i18n/catalogs/web/en.json';
import kk from '../../../libs/i18n/catalogs/web/kk.json';
import ru from '../../../libs/i18n/catalogs/web/ru.json';

export const LANGUAGES = ['en', 'ru', 'kk'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where the reader's choice is remembered: a cookie, so the server sees it and renders `<html lang>` to match. */
export const LANGUAGE_COOKIE = 'tocsin_lang';
const ONE_YEAR_S = 365 * 24 * 3600;

type Catalog = Readonly<Record<string, string>>;
const CATALOGS: Readonly<Record<Language, Catalog>> = { en, ru, kk };

/** 'ru', 'ru-RU', 'RU' → 'ru'; anything the pages are not written in → null. */
export function languageOf(tag: string | null | undefined): Language | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l === primary) ?? null;
}

export interface LanguageClues {
  /** `location.search` */
  search: string;
  /** `document.cookie` */
  cookie: string;
  /** `<html lang>` as the server sent it: its reading of Accept-Language (or of the same cookie and ?lang=). */
  served: string | null;
}

/** `?lang=`, else the remembered choice, else what the server chose from Accept-Language, else English. */
export function chooseLanguage({ search, cookie, served }: LanguageClues): Language {
  const asked = languageOf(new URLSearchParams(search).get('lang'));
  const remembered = languageOf(
    cookie
      .split(';')
      .map((part) => part.trim().split('='))
      .find(([name]) => name === LANGUAGE_COOKIE)?.[1],
  );
  return asked ?? remembered ?? languageOf(served) ?? 'en';
}

let current: Language = 'en';

export const language = (): Language => current;

export function setLanguage(lang: Language): void {
  current = lang;
}

export function rememberLanguage(lang: Language): void {
  document.cookie = `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax`;
}

/**
 * Whether this browser's Intl holds `lang`'s own data. Chromium's ICU has none for Kazakh: months come out as
 * "M01" (the root locale's), numbers as 1,234.5.
 */
const localeData = new Map<Language, boolean>();
export function hasLocaleData(lang: Language): boolean {
  let known = localeData.get(lang);
  if (known === undefined) {
    const month = (tag: string) =>
      new Intl.DateTimeFormat(tag, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2022, 0, 7));
    // The root locale names months by number.
    known = !/^M\d+$/.test(month(lang));
    localeData.set(lang, known);
  }
  return known;
}

// Without Kazakh data, numbers take Russian's symbols, which CLDR gives Kazakh too (1 234,5).
const NUMBER_SYMBOLS_OF: Partial<Record<Language, string>> = { kk: 'ru' };
const numberLocale = (lang: Language): string =>
  hasLocaleData(lang) ? lang : (NUMBER_SYMBOLS_OF[lang] ?? lang);

const compiled = new Map<string, IntlMessageFormat>();

function message(lang: Language, key: string): IntlMessageFormat {
  const id = `${lang} ${key}`;
  let format = compiled.get(id);
  if (!format) {
    // A key missing in ru or kk falls back to English (the catalog test in libs/i18n keeps that from happening).
    const source = CATALOGS[lang][key] ?? CATALOGS.en[key];
    if (source === undefined) throw new Error(`no message "${key}" in the web catalog`);
    format = new IntlMessageFormat(source, lang, undefined, {
      ignoreTag: true,
      formatters: {
        getNumberFormat: (_locales, options) =>
          new Intl.NumberFormat(numberLocale(lang), options as Intl.NumberFormatOptions),
        getDateTimeFormat: (locales, options) => new Intl.DateTimeFormat(locales, options),
        getPluralRules: (locales, options) => new Intl.PluralRules(locales, options),
      },
    });
    compiled.set(id, format);
  }
  return format;
}

type Values = Record<string, string | number | Date | null | undefined>;

/** The message `key` in the pages' language (or `lang`), with its ICU arguments filled in. */
export function t(key: string, values?: Values, lang: Language = current): string {
  return String(message(lang, key).format(values));
}

/**
 * The message with elements in it, e.g. `{time}` as a `<time>`: the parts to append, in the order the language
 * puts them ("since {time}" in English, "басталуы: {time}" in Kazakh).
 */
export function tNodes(key: string, values: Record<string, string | number | Node>): (string | Node)[] {
  const result = message(current, key).format<Node>(values);
  return Array.isArray(result) ? result : [result];
}

const dateTimes = new Map<Language, (at: Date) => string>();

/**
 * An instant in the reader's time zone, written the way the pages' language writes it; where the browser has
 * no data for that language, as its digits say it (07.01.2022, 09:00), never with the root locale's "M01".
 */
export function formatDateTime(at: Date): string {
  let format = dateTimes.get(current);
  if (!format) {
    if (hasLocaleData(current)) {
      const intl = new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' });
      format = (instant) => intl.format(instant);
    } else {
      const digits = new Intl.DateTimeFormat('en', {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      format = (instant) => {
        const part = Object.fromEntries(digits.formatToParts(instant).map((p) => [p.type, p.value]));
        return `${part.day}.${part.month}.${part.year}, ${part.hour}:${part.minute}`;
      };
    }
    dateTimes.set(current, format);
  }
  return format(at);
}

export const formatNumber = (n: number): string => new Intl.NumberFormat(numberLocale(current)).format(n);

/** Sorts names as the pages' language does (Kazakh's Ә, Ғ, Қ… after their Russian neighbours). */
export const compareNames = (a: string, b: string): number => a.localeCompare(b, current);
