// index.html in the reader's language: which language (?lang=, the remembered choice, Accept-Language), and the
// page's own texts from the `web` catalog, so the first paint and `<html lang>` are right before any script runs.
// The browser repeats the same on start (apps/web/src/language-switch.ts), which is what the Vite dev server gets.
import { negotiateLanguage, SUPPORTED_LANGUAGES, translate, UiLanguage, uiLanguageOf } from '@tocsin/i18n';
import escapeHtml from 'escape-html';

/** The cookie the pages' language switch writes (apps/web/src/i18n.ts names it too). */
export const LANGUAGE_COOKIE = 'tocsin_lang';

export interface LanguageRequest {
  /** `?lang=` */
  lang?: string;
  cookie?: string;
  acceptLanguage?: string;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * `?lang=` when it names a language the pages are written in, else the cookie's, else the best match of
 * Accept-Language, else `fallback`. A tag that is not one of ours (or no tag at all) passes to the next: a
 * page is not an API, and a reader who follows a link with `?lang=fr` gets a page, not a 400.
 */
export function pageLanguage(request: LanguageRequest, fallback: UiLanguage = 'en'): UiLanguage {
  const negotiated = negotiateLanguage(request.acceptLanguage, fallback);
  const remembered = uiLanguageOf(cookieValue(request.cookie, LANGUAGE_COOKIE), negotiated);
  return uiLanguageOf(request.lang, remembered);
}

// A start tag and the text after it, up to the next tag. The pages' markup is ours (index.html), so this
// only has to read what Vite writes: double-quoted attributes, no `>` inside them.
const ELEMENT = /<([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"]*")?)*)(\s*\/?)>([^<]*)/gi;
const ATTRIBUTE = /\s+([a-z][a-z0-9-]*)(?:="([^"]*)")?/gi;

/**
 * The page with `<html lang>` set and every element marked `data-i18n="key"` holding that message as its
 * text, `data-i18n-<attribute>="key"` as that attribute; in the element's own `lang` where it has one (the
 * language switch names each language in itself). Messages are escaped: a catalog cannot add markup.
 */
export function localisePage(html: string, lang: UiLanguage): string {
  return html.replace(ELEMENT, (whole, tag: string, attributes: string, end: string, text: string) => {
    const isRoot = tag.toLowerCase() === 'html';
    if (!isRoot && !attributes.includes('data-i18n')) return whole;
    const parsed = [...attributes.matchAll(ATTRIBUTE)].map(([, name, value]) => ({ name, value }));
    const own = parsed.find((a) => a.name === 'lang')?.value;
    const language = isRoot ? lang : uiLanguageOf(own, lang);
    const message = (name: string) => {
      const key = parsed.find((a) => a.name === name)?.value;
      return key ? escapeHtml(translate(language, key)) : undefined;
    };
    const rebuilt = parsed
      .map(({ name, value }) => {
        const replaced = isRoot && name === 'lang' ? lang : (message(`data-i18n-${name}`) ?? value);
        return replaced === undefined ? ` ${name}` : ` ${name}="${replaced}"`;
      })
      .join('');
    return `<${tag}${rebuilt}${end}>${message('data-i18n') ?? text}`;
  });
}

/** index.html once per language, worked out at start. */
export function localisedPages(html: string): Record<UiLanguage, string> {
  return Object.fromEntries(SUPPORTED_LANGUAGES.map((lang) => [lang, localisePage(html, lang)])) as Record<
    UiLanguage,
    string
  >;
}
