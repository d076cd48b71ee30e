// Language tags: validity, the UI languages we have catalogs for, and choosing one from what a client asks for.
import { match } from '@formatjs/intl-localematcher';
import Negotiator from 'negotiator';

/** The languages Tocsin's own texts (emails, pages, labels) are written in; the first is the last resort. */
export const SUPPORTED_LANGUAGES = ['en', 'ru', 'kk'] as const;
export type UiLanguage = (typeof SUPPORTED_LANGUAGES)[number];

/** Longer than any tag a person writes (RFC 5646 advises at least 35 characters), short enough to bound input. */
const MAX_TAG_LENGTH = 64;

const supported: ReadonlySet<string> = new Set(SUPPORTED_LANGUAGES);

export function isUiLanguage(tag: string): tag is UiLanguage {
  return supported.has(tag);
}

/**
 * The tag in canonical form (`ru-ru` → `ru-RU`, `iw` → `he`), or null when it is not a well-formed BCP 47
 * tag (`en_US`, `*`, `""`). Well-formed is not the same as supported: `fr` is a fine tag Tocsin has no
 * catalog for.
 */
export function canonicalLanguage(tag: string): string | null {
  const trimmed = tag.trim();
  if (!trimmed || trimmed.length > MAX_TAG_LENGTH) return null;
  try {
    return Intl.getCanonicalLocales(trimmed)[0] ?? null;
  } catch {
    return null;
  }
}

/** The UI language a tag belongs to (`ru-RU` → `ru`, `kk-Cyrl-KZ` → `kk`); `fallback` for others and for none. */
export function uiLanguageOf(tag: string | null | undefined, fallback: UiLanguage): UiLanguage {
  const canonical = tag == null ? null : canonicalLanguage(tag);
  if (canonical === null) return fallback;
  const language = new Intl.Locale(canonical).language;
  return isUiLanguage(language) ? language : fallback;
}

/**
 * The UI language that best fits an `Accept-Language` header: Negotiator reads the preferences (q-values,
 * order, `q=0` refusals), then CLDR's language matching (`@formatjs/intl-localematcher`, "best fit") picks
 * among ours, so `ru-RU` gets `ru` and a reader of a language CLDR pairs with Russian (`be`, `ky`) gets
 * Russian. `fallback` when nothing fits or the header is missing or garbage.
 */
export function negotiateLanguage(acceptLanguage: string | undefined, fallback: UiLanguage): UiLanguage {
  if (!acceptLanguage) return fallback;
  const wanted = new Negotiator({ headers: { 'accept-language': acceptLanguage } })
    .languages()
    .map(canonicalLanguage)
    .filter((tag): tag is string => tag !== null);
  if (!wanted.length) return fallback;
  const chosen = match(wanted, [...SUPPORTED_LANGUAGES], fallback);
  return isUiLanguage(chosen) ? chosen : fallback;
}

const primaryOf = (tag: string): string => tag.split(/[-_]/)[0].toLowerCase();

/**
 * The one of `available` that answers `wanted`, ignoring case: the same tag, else its bare language (`ru`
 * for `ru-KZ`), else the first of the same language (`ru-KZ` for `ru`); null when none speaks it.
 * Declarations' texts and schemes' translations are both chosen by it.
 */
export function matchLanguage(wanted: string, available: readonly string[]): string | null {
  const lower = wanted.toLowerCase();
  const primary = primaryOf(wanted);
  return (
    available.find((tag) => tag.toLowerCase() === lower) ??
    available.find((tag) => tag.toLowerCase() === primary) ??
    available.find((tag) => primaryOf(tag) === primary) ??
    null
  );
}
