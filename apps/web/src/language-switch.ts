// The pages' language at start, the texts of index.html in it, and the switch (en / рус / қаз) that changes it.

import { chooseLanguage, Language, languageOf, rememberLanguage, setLanguage, t } from './i18n';

/**
 * Picks the language (`?lang=`, the remembered choice, or the server's `<html lang>` from Accept-Language),
 * remembers a `?lang=` so the next page keeps it, and puts index.html's own texts in it.
 */
export function startLanguage(): Language {
  const root = document.documentElement;
  const lang = chooseLanguage({ search: location.search, cookie: document.cookie, served: root.lang });
  setLanguage(lang);
  if (languageOf(new URLSearchParams(location.search).get('lang'))) rememberLanguage(lang);
  root.lang = lang;
  localiseMarkup(document.body);
  localiseMarkup(document.head);
  wireSwitch(lang);
  return lang;
}

/**
 * Elements marked `data-i18n="key"` get the message as their text, `data-i18n-<attribute>="key"` as that
 * attribute, each in the language of the element's nearest `lang` (the switch names each language in itself).
 * The server does the same to index.html (apps/api/src/web/localised-page.ts), so the first paint is right.
 */
export function localiseMarkup(scope: ParentNode): void {
  for (const element of scope.querySelectorAll<HTMLElement>('*')) {
    const lang = languageOf(element.closest('[lang]')?.getAttribute('lang')) ?? undefined;
    for (const { name, value } of [...element.attributes]) {
      if (name === 'data-i18n') element.textContent = t(value, undefined, lang);
      else if (name.startsWith('data-i18n-')) element.setAttribute(name.slice(10), t(value, undefined, lang));
    }
  }
}

/** Each link of the switch keeps the page where it is (path, other parameters, console screen) in the other language. */
function wireSwitch(lang: Language): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.language-switch a[hreflang]')) {
    const target = languageOf(link.hreflang);
    if (!target) continue;
    link.href = here(target);
    if (target === lang) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
    link.addEventListener('click', () => {
      // The cookie is written before leaving, so the choice holds where the next page has no ?lang=; the
      // address is taken now, since the console's screen (#webhooks) may have changed since the start.
      rememberLanguage(target);
      link.href = here(target);
    });
  }
}

function here(lang: Language): string {
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}${url.hash}`;
}
