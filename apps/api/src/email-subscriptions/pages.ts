// Small server-rendered pages for the links in emails: a person clicking "confirm" or "unsubscribe" gets a
// page, not JSON. Every value is escaped.
import { EmailSubscription, FILTER_EVENTS } from '@tocsin/subscribers';
import escape from 'escape-html';
import { cspHash, pageSecurityHeaders } from '../web/security-headers';

// The look of the pages at / (apps/web), for people arriving from an email. Inline, so a page is one request.
const PAGE_STYLE = `
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1a1a1a; }
  header { padding: .6rem 1.25rem; background: #12233b; }
  header a { color: #fff; font-weight: 700; font-size: 1.25rem; text-decoration: none; }
  main { max-width: 40rem; margin: 1.5rem auto 2rem; padding: 0 1.25rem; }
  h1 { font-size: 1.75rem; line-height: 1.2; }
  a { color: #0b4f9c; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  fieldset label { font-weight: 400; }
  input[type=text], input[type=number], select { width: 100%; min-height: 2.75rem; padding: .5rem .6rem; font: inherit; border: 2px solid #767676; border-radius: 4px; }
  fieldset { margin-top: 1rem; border: 2px solid #c4c4c4; border-radius: 6px; }
  legend { font-weight: 600; }
  button { margin-top: 1.5rem; min-height: 2.75rem; padding: .5rem 1.2rem; font: inherit; font-weight: 600; background: #0b4f9c; color: #fff; border: 2px solid #0b4f9c; border-radius: 4px; cursor: pointer; }
  :focus-visible { outline: 3px solid #005fcc; outline-offset: 2px; }
  header a:focus-visible { outline-color: #ffd54f; }
  .hint { color: #4a4a4a; font-size: .9rem; margin: .25rem 0 0; }
`;

/**
 * What these pages need and nothing more: their one inline style (by its hash), forms posting back here, and
 * links. Their URLs carry the subscriber's token, so no Referer goes anywhere, and nothing keeps a copy.
 */
export const SUBSCRIBER_PAGE_HEADERS = {
  ...pageSecurityHeaders({
    csp: { 'default-src': ["'none'"], 'style-src': [cspHash(PAGE_STYLE)] },
    referrerPolicy: 'no-referrer',
  }),
  'cache-control': 'no-store',
};

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Tocsin</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><a href="/">Tocsin</a></header>
<main>
<h1>${escape(title)}</h1>
${body}
</main>
</body>
</html>`;
}

export const messagePage = (title: string, message: string): string =>
  page(title, `<p>${escape(message)}</p>`);

/**
 * The page behind the confirmation link. It only asks: mail scanners open links, and must not confirm sign-ups
 * nobody made. The button posts the token to the same path, which confirms.
 */
export function confirmQuestionPage(token: string, subscription: EmailSubscription): string {
  if (subscription.status === 'confirmed') {
    return messagePage('Subscription confirmed', 'This subscription is already confirmed.');
  }
  return page(
    'Confirm your Tocsin alerts',
    `<p>Threat-level alerts for ${escape(subscription.filter.areas.join(', '))} will be sent to this address once you confirm.</p>
<form method="post" action="confirm">
<input type="hidden" name="token" value="${escape(token)}">
<button type="submit">Confirm my subscription</button>
</form>
<p class="hint">If you did not sign up, close this page: nothing will be sent.</p>`,
  );
}

export function unsubscribeQuestionPage(token: string, subscription: EmailSubscription): string {
  if (subscription.status === 'unsubscribed') {
    return messagePage('Unsubscribed', 'This address is already unsubscribed from Tocsin alerts.');
  }
  return page(
    'Unsubscribe from Tocsin alerts?',
    `<p>No more threat-level alerts will be sent to this address.</p>
<form method="post" action="?token=${encodeURIComponent(token)}">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export interface PreferencesView {
  token: string;
  subscription: EmailSubscription;
  schemeIds: string[];
  unsubscribeUrl: string;
  saved: boolean;
}

export function preferencesPage({
  token,
  subscription,
  schemeIds,
  unsubscribeUrl,
  saved,
}: PreferencesView): string {
  const f = subscription.filter;
  const schemeOptions = ['', ...schemeIds]
    .map(
      (id) =>
        `<option value="${escape(id)}"${(f.schemeId ?? '') === id ? ' selected' : ''}>${escape(id || 'Every scheme')}</option>`,
    )
    .join('');
  const eventBoxes = FILTER_EVENTS.map(
    (event) =>
      `<label><input type="checkbox" name="events" value="${event}"${!f.events || f.events.includes(event) ? ' checked' : ''}> ${
        event === 'escalated' ? 'When a level rises' : 'When a level falls or ends'
      }</label>`,
  ).join('\n');
  return page(
    'Your Tocsin alerts',
    `${saved ? '<p role="status"><strong>Saved.</strong></p>' : ''}
<form method="post" action="?token=${encodeURIComponent(token)}">
<label for="areas">Areas</label>
<input type="text" id="areas" name="areas" value="${escape(f.areas.join(', '))}" aria-describedby="areas-hint" required>
<p class="hint" id="areas-hint">ISO 3166 codes separated by commas: KZ for all of Kazakhstan, KZ-75 for Almaty city, * for everywhere.</p>
<label for="scheme">Scheme</label>
<select id="scheme" name="scheme">${schemeOptions}</select>
<label for="minRank">Only when the level is at least (rank, 1 = lowest; empty = any)</label>
<input type="number" id="minRank" name="minRank" min="1" max="20" value="${f.minRank ?? ''}">
<fieldset><legend>Changes</legend>
${eventBoxes}
</fieldset>
<button type="submit">Save</button>
</form>
<p><a href="${escape(unsubscribeUrl)}">Unsubscribe instead</a></p>`,
  );
}
