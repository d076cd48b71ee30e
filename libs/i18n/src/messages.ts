// ICU MessageFormat over flat catalogs. No file system here, so a browser bundle can use it with the same JSON.
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { SUPPORTED_LANGUAGES, UiLanguage } from './languages';

/** One language's messages of one namespace: flat keys (`email.subject`) to ICU MessageFormat text. */
export type Catalog = Readonly<Record<string, string>>;
/** Every namespace's catalogs: `catalogs[namespace][lang]`. */
export type Catalogs = Readonly<Record<string, Partial<Record<UiLanguage, Catalog>>>>;

export type Translate = (lang: UiLanguage, key: string, values?: Record<string, unknown>) => string;

/** Every language's messages with all namespaces merged; a key in two namespaces is a mistake, and an error. */
export function mergeCatalogs(catalogs: Catalogs): Record<UiLanguage, Map<string, string>> {
  const merged = Object.fromEntries(
    SUPPORTED_LANGUAGES.map((lang) => [lang, new Map<string, string>()]),
  ) as Record<UiLanguage, Map<string, string>>;
  const namespaceOf = new Map<string, string>();
  for (const [namespace, byLanguage] of Object.entries(catalogs)) {
    for (const lang of SUPPORTED_LANGUAGES) {
      for (const [key, message] of Object.entries(byLanguage[lang] ?? {})) {
        const owner = namespaceOf.get(key);
        if (owner !== undefined && owner !== namespace)
          throw new Error(`i18n: message "${key}" is in both the "${owner}" and "${namespace}" catalogs`);
        namespaceOf.set(key, namespace);
        merged[lang].set(key, message);
      }
    }
  }
  return merged;
}

/**
 * A translate function over `catalogs`. Each (language, key) is parsed once, on first use. A key missing
 * in a language falls back to English (the catalog test keeps that from happening); a key English lacks
 * too is a programming error and throws. Messages are plain text: `<b>` is literal, HTML escaping is the
 * caller's (ignoreTag), so a catalog cannot inject markup.
 */
export function createTranslator(catalogs: Catalogs): Translate {
  const messages = mergeCatalogs(catalogs);
  const compiled = new Map<string, IntlMessageFormat>();
  return (lang, key, values) => {
    const source = messages[lang]?.has(key) ? lang : 'en';
    const text = messages[source].get(key);
    if (text === undefined) throw new Error(`i18n: no message "${key}" in any catalog`);
    const id = `${source}\u0000${key}`;
    let format = compiled.get(id);
    if (!format) {
      format = new IntlMessageFormat(text, source, undefined, { ignoreTag: true });
      compiled.set(id, format);
    }
    return String(format.format(values as Record<string, PrimitiveType> | undefined));
  };
}
