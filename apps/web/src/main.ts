import './styles.css';
import { h, showPage } from './dom';
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
  showPage('Not found', h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/' }, 'Go to the map')));
}

function markCurrentNavLink(path: string): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.site-header nav a')) {
    const here = link.pathname === path || (link.pathname !== '/' && path.startsWith(link.pathname));
    if (here) link.setAttribute('aria-current', 'page');
  }
}

markCurrentNavLink(location.pathname);
route(location.pathname).catch((error: unknown) => {
  showPage(
    'Error',
    h('h1', {}, 'Something went wrong'),
    h('p', {}, error instanceof Error ? error.message : String(error)),
    h('p', {}, h('a', { href: location.pathname }, 'Try again')),
  );
});
