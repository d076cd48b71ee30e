import './styles.css';
import { h, showPage } from './dom';
import { t } from './i18n';
import { startLanguage } from './language-switch';
import { adminPage } from './pages/admin';
import { countryPage } from './pages/country';
import { statusPage } from './pages/status';
import { subscribePage } from './pages/subscribe';

// Routes of this single-page app; the server answers index.html for each (apps/api/src/web/web-pages.ts).
async function route(path: string): Promise<void> {
  const country = /^\/country\/([A-Za-z]{2})\/?$/.exec(path);
  if (path === '/' || path === '/index.html') return statusPage();
  if (country) return countryPage(country[1].toUpperCase());
  if (path === '/subscribe') return subscribePage();
  if (path === '/admin') return adminPage();
  showPage(
    t('web.notFound.title'),
    h('h1', {}, t('web.notFound.heading')),
    h('p', {}, h('a', { href: '/' }, t('web.notFound.toMap'))),
  );
}

function markCurrentNavLink(path: string): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.site-header nav a')) {
    if (link.hreflang) continue; // the language switch marks its own
    const here = link.pathname === path || (link.pathname !== '/' && path.startsWith(link.pathname));
    if (here) link.setAttribute('aria-current', 'page');
  }
}

startLanguage();
markCurrentNavLink(location.pathname);
route(location.pathname).catch((error: unknown) => {
  showPage(
    t('web.error.title'),
    h('h1', {}, t('web.error.heading')),
    h('p', {}, error instanceof Error ? error.message : String(error)),
    h('p', {}, h('a', { href: location.pathname + location.search }, t('web.error.retry'))),
  );
});
