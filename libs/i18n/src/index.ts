// Tocsin's languages: tags, catalogs and ICU messages, time zones. Plain functions, no Nest.
import { readCatalogs } from './catalogs';
import { createTranslator, Translate } from './messages';

export { CATALOGS_DIRECTORY, readCatalogs } from './catalogs';
export {
  canonicalLanguage,
  isUiLanguage,
  matchLanguage,
  negotiateLanguage,
  SUPPORTED_LANGUAGES,
  UiLanguage,
  uiLanguageOf,
} from './languages';
export { Catalog, Catalogs, createTranslator, mergeCatalogs, Translate } from './messages';
export { canonicalTimeZone, formatInstant, formatLongInstant, isTimeZone, utcOffset } from './time';

let translator: Translate | undefined;

/**
 * The message `key` in `lang` with `values` filled in (ICU MessageFormat: plurals, selects, numbers),
 * from the catalogs on disk, read on first use. English when `lang` lacks the key; throws when English does.
 */
export function translate(
  lang: Parameters<Translate>[0],
  key: string,
  values?: Record<string, unknown>,
): string {
  translator ??= createTranslator(readCatalogs());
  return translator(lang, key, values);
}
