// Pure: how a subscriber's stored language and zone become what its mails and pages are written with.
import { mainTimeZone } from '@tocsin/areas';
import { negotiateLanguage, SUPPORTED_LANGUAGES, UiLanguage, uiLanguageOf } from '@tocsin/i18n';

/** The languages one subscriber reads: catalog labels in `ui`, dates and numbers in `locale`. */
export interface Reader {
  /** The catalog language: the subscriber's own when Tocsin has it, else the default. */
  ui: UiLanguage;
  /** The subscriber's tag where it is a form of `ui` (`en-US` keeps its month-first dates), else `ui`. */
  locale: string;
}

export function readerOf(language: string, fallback: UiLanguage): Reader {
  const ui = uiLanguageOf(language, fallback);
  const primary = language.split('-')[0].toLowerCase();
  return { ui, locale: primary === ui ? language : ui };
}

/**
 * The language of a sign-up that names none: the one of ours its Accept-Language asks for, else
 * `defaultLanguage` (DEFAULT_LANGUAGE, which may be a tag without a catalog, such as `fr`).
 */
export function signUpLanguage(acceptLanguage: string | undefined, defaultLanguage: string): string {
  const fallback = uiLanguageOf(defaultLanguage, 'en');
  const chosen = negotiateLanguage(acceptLanguage, fallback);
  if (chosen !== fallback) return chosen;
  // negotiateLanguage answers its fallback when nothing fits: asked with another, a real match stays.
  const other = SUPPORTED_LANGUAGES.find((lang) => lang !== fallback)!;
  return negotiateLanguage(acceptLanguage, other) === chosen ? chosen : defaultLanguage;
}

// Intl.DisplayNames is slow to build and the UI languages are three.
const displayNames = new Map<string, Intl.DisplayNames>();

/** `tag` named in `inLanguage`: `ru` in Kazakh is "орыс тілі"; a tag Intl cannot name is itself. */
export function languageName(tag: string, inLanguage: UiLanguage): string {
  let names = displayNames.get(inLanguage);
  if (!names) {
    names = new Intl.DisplayNames(inLanguage, { type: 'language', fallback: 'code' });
    displayNames.set(inLanguage, names);
  }
  try {
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * The zone of the times in a mail about `areaCode`: the subscriber's own, else the area's main zone, else
 * UTC (everywhere, or an area no zone list knows).
 */
export function zoneFor(timeZone: string | null, areaCode: string | undefined): string {
  return timeZone ?? (areaCode ? mainTimeZone(areaCode) : null) ?? 'UTC';
}
