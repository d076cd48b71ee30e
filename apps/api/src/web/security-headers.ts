// The security headers of every page this server renders or serves: the Vite pages, the small pages behind the
// links in emails, and the queue board. One place, so a page cannot quietly miss one.
import { createHash } from 'node:crypto';

/** Content-Security-Policy directives, each with its sources. */
export type CspDirectives = Record<string, readonly string[]>;

// What no page needs: plugins, a foreign <base>, forms posting elsewhere, being framed (clickjacking).
const EVERY_PAGE: CspDirectives = {
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export interface PageHeaderOptions {
  /** Directives of this kind of page; they replace the common ones of the same name. */
  csp: CspDirectives;
  referrerPolicy?: 'same-origin' | 'no-referrer';
}

export function pageSecurityHeaders({
  csp,
  referrerPolicy = 'same-origin',
}: PageHeaderOptions): Record<string, string> {
  const directives = { ...csp, ...withoutKeys(EVERY_PAGE, Object.keys(csp)) };
  return {
    'content-security-policy': Object.entries(directives)
      .map(([name, sources]) => `${name} ${sources.join(' ')}`)
      .join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': referrerPolicy,
  };
}

const withoutKeys = (directives: CspDirectives, keys: string[]): CspDirectives =>
  Object.fromEntries(Object.entries(directives).filter(([name]) => !keys.includes(name)));

/** The CSP source that allows exactly one inline `<style>` or `<script>` whose text is `content`. */
export const cspHash = (content: string): string =>
  `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;

/** The Vite pages load nothing from elsewhere: scripts, styles, the map data and API calls are all this server's. */
export const VITE_PAGE_HEADERS = pageSecurityHeaders({
  csp: {
    'default-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'style-src': ["'self'"],
    'script-src': ["'self'"],
    'connect-src': ["'self'"],
  },
});
