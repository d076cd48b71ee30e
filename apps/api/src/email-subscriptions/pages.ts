// Small server-rendered pages for the links in emails: a person clicking "confirm" or "unsubscribe" gets a
// page, not JSON, in the subscriber's language (the `email` catalog). Every value is escaped.
import { areaName, EVERYWHERE } from '@tocsin/areas';
import { formatLongInstant, SUPPORTED_LANGUAGES, translate, UiLanguage } from '@tocsin/i18n';
import {
  DIGEST_DELIVERIES,
  digestZoneOf,
  EmailSubscription,
  FILTER_EVENTS,
  languageName,
  readerOf,
} from '@tocsin/subscribers';
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

export function page(ui: UiLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${ui}">
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

/** A page of one sentence under its title, both from the catalog. */
export const messagePage = (ui: UiLanguage, titleKey: string, messageKey: string): string =>
  page(ui, translate(ui, titleKey), `<p>${escape(translate(ui, messageKey))}</p>`);

/** The page for a link that failed with `status`: broken (404), used up or expired (410), or a form refused. */
export function failurePage(ui: UiLanguage, status: number): string {
  if (status === 404) return messagePage(ui, 'email.page.linkFailed', 'email.page.linkInvalid');
  if (status === 410) return messagePage(ui, 'email.page.linkFailed', 'email.page.linkGone');
  return messagePage(ui, 'email.page.notSavedTitle', 'email.page.notSaved');
}

const areasIn = (ui: UiLanguage, codes: string[]) =>
  codes
    .map((code) => (code === EVERYWHERE ? translate(ui, 'email.filter.everywhere') : areaName(code, ui)))
    .join(', ');

/**
 * The page behind the confirmation link. It only asks: mail scanners open links, and must not confirm sign-ups
 * nobody made. The button posts the token to the same path, which confirms.
 */
export function confirmQuestionPage(ui: UiLanguage, token: string, subscription: EmailSubscription): string {
  if (subscription.status === 'confirmed') {
    return messagePage(ui, 'email.page.confirmedTitle', 'email.page.alreadyConfirmed');
  }
  return page(
    ui,
    translate(ui, 'email.page.confirmTitle'),
    `<p>${escape(translate(ui, 'email.page.confirmBody', { areas: areasIn(ui, subscription.filter.areas) }))}</p>
<form method="post" action="confirm">
<input type="hidden" name="token" value="${escape(token)}">
<button type="submit">${escape(translate(ui, 'email.confirm.link'))}</button>
</form>
<p class="hint">${escape(translate(ui, 'email.page.confirmHint'))}</p>`,
  );
}

export function unsubscribeQuestionPage(
  ui: UiLanguage,
  token: string,
  subscription: EmailSubscription,
): string {
  if (subscription.status === 'unsubscribed') {
    return messagePage(ui, 'email.page.unsubscribedTitle', 'email.page.alreadyUnsubscribed');
  }
  return page(
    ui,
    translate(ui, 'email.page.unsubscribeTitle'),
    `<p>${escape(translate(ui, 'email.page.unsubscribeBody'))}</p>
<form method="post" action="?token=${encodeURIComponent(token)}">
<button type="submit">${escape(translate(ui, 'email.link.unsubscribe'))}</button>
</form>`,
  );
}

/**
 * A trip's bounds for its reader, labelled: written as its mails write dates (the reader's locale, in its
 * zone or its first real area's; `*` has no zone of its own).
 */
function tripLines(ui: UiLanguage, subscription: EmailSubscription, endLabel: string): string {
  const { locale } = readerOf(subscription.language, ui);
  const zone = digestZoneOf(subscription.timeZone, subscription.filter.areas);
  const when = (at: Date) => formatLongInstant(at, locale, zone);
  const lines: [string, Date][] = [];
  if (subscription.activeFrom) lines.push([translate(ui, 'email.page.tripFrom'), subscription.activeFrom]);
  if (subscription.activeUntil) lines.push([translate(ui, endLabel), subscription.activeUntil]);
  return lines
    .map(([label, at]) => `<p>${escape(label)}: <strong>${escape(when(at))}</strong></p>`)
    .join('\n');
}

/** The manage link of a trip that is over: it says so, and when, in the subscriber's language. */
export function endedPage(ui: UiLanguage, subscription: EmailSubscription): string {
  return page(
    ui,
    translate(ui, 'email.page.endedTitle'),
    `<p>${escape(translate(ui, 'email.page.endedBody'))}</p>
${tripLines(ui, subscription, 'email.page.tripEnded')}`,
  );
}

export interface PreferencesView {
  ui: UiLanguage;
  token: string;
  subscription: EmailSubscription;
  /** Every scheme, by id, with its name in `ui`. */
  schemes: { id: string; name: string }[];
  unsubscribeUrl: string;
  saved: boolean;
}

const DELIVERY_LABELS = {
  immediate: 'email.page.deliveryImmediate',
  daily: 'email.page.deliveryDaily',
  weekly: 'email.page.deliveryWeekly',
} as const;

/** When the next digest goes out, in the subscriber's words and zone; nothing for immediate delivery. */
function nextDigestLine(ui: UiLanguage, subscription: EmailSubscription): string {
  if (!subscription.nextDigestAt) return '';
  const { locale } = readerOf(subscription.language, ui);
  const zone = digestZoneOf(subscription.timeZone, subscription.filter.areas);
  const when = formatLongInstant(subscription.nextDigestAt, locale, zone);
  return `<p class="hint">${escape(translate(ui, 'email.page.nextDigest', { when }))}</p>`;
}

/** The digest's fields of the manage form: how alerts come, the threshold, the hour and the weekday. */
function digestFields(ui: UiLanguage, subscription: EmailSubscription): string {
  const t = (key: string) => escape(translate(ui, key));
  const option = (value: string | number, label: string, selected: boolean) =>
    `<option value="${value}"${selected ? ' selected' : ''}>${escape(label)}</option>`;
  const deliveries = DIGEST_DELIVERIES.map((d) =>
    option(d, translate(ui, DELIVERY_LABELS[d]), subscription.delivery === d),
  ).join('');
  const hours = Array.from({ length: 24 }, (_, hour) =>
    option(hour, `${String(hour).padStart(2, '0')}:00`, subscription.digestHour === hour),
  ).join('');
  // The weekdays named in the reader's language: 1 January 2024 was a Monday.
  const weekdayName = new Intl.DateTimeFormat(ui, { weekday: 'long', timeZone: 'UTC' });
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    option(i + 1, weekdayName.format(Date.UTC(2024, 0, 1 + i)), subscription.digestWeekday === i + 1),
  ).join('');
  return `<label for="delivery">${t('email.page.delivery')}</label>
<select id="delivery" name="delivery" aria-describedby="delivery-hint">${deliveries}</select>
<p class="hint" id="delivery-hint">${t('email.page.deliveryHint')}</p>
${nextDigestLine(ui, subscription)}
<label for="immediateMinRank">${t('email.page.immediateMinRank')}</label>
<input type="number" id="immediateMinRank" name="immediateMinRank" min="1" max="20" value="${subscription.immediateMinRank ?? ''}">
<label for="digestHour">${t('email.page.digestHour')}</label>
<select id="digestHour" name="digestHour">${hours}</select>
<label for="digestWeekday">${t('email.page.digestWeekday')}</label>
<select id="digestWeekday" name="digestWeekday">${weekdays}</select>`;
}

export function preferencesPage({
  ui,
  token,
  subscription,
  schemes,
  unsubscribeUrl,
  saved,
}: PreferencesView): string {
  const t = (key: string) => escape(translate(ui, key));
  const f = subscription.filter;
  const schemeOptions = [{ id: '', name: translate(ui, 'email.page.everyScheme') }, ...schemes]
    .map(
      ({ id, name }) =>
        `<option value="${escape(id)}"${(f.schemeId ?? '') === id ? ' selected' : ''}>${escape(name)}</option>`,
    )
    .join('');
  // Each language named in itself, as language menus do; a tag of the subscriber's own beyond ours stays on.
  const languages: string[] = [...SUPPORTED_LANGUAGES];
  if (!languages.includes(subscription.language)) languages.push(subscription.language);
  const languageOptions = languages
    .map(
      (tag) =>
        `<option value="${escape(tag)}"${tag === subscription.language ? ' selected' : ''}>${escape(
          languageName(
            tag,
            (SUPPORTED_LANGUAGES as readonly string[]).includes(tag) ? (tag as UiLanguage) : ui,
          ),
        )}</option>`,
    )
    .join('');
  const eventBoxes = FILTER_EVENTS.map(
    (event) =>
      `<label><input type="checkbox" name="events" value="${event}"${!f.events || f.events.includes(event) ? ' checked' : ''}> ${
        event === 'escalated' ? t('email.page.rises') : t('email.page.falls')
      }</label>`,
  ).join('\n');
  return page(
    ui,
    translate(ui, 'email.page.manageTitle'),
    `${saved ? `<p role="status"><strong>${t('email.page.saved')}</strong></p>` : ''}
<form method="post" action="?token=${encodeURIComponent(token)}">
<label for="areas">${t('email.page.areas')}</label>
<input type="text" id="areas" name="areas" value="${escape(f.areas.join(', '))}" aria-describedby="areas-hint" required>
<p class="hint" id="areas-hint">${t('email.page.areasHint')}</p>
<label for="scheme">${t('email.page.scheme')}</label>
<select id="scheme" name="scheme">${schemeOptions}</select>
<label for="minRank">${t('email.page.minRank')}</label>
<input type="number" id="minRank" name="minRank" min="1" max="20" value="${f.minRank ?? ''}">
<fieldset><legend>${t('email.page.changes')}</legend>
${eventBoxes}
</fieldset>
<label for="language">${t('email.page.language')}</label>
<select id="language" name="language">${languageOptions}</select>
<label for="timeZone">${t('email.page.timeZone')}</label>
<input type="text" id="timeZone" name="timeZone" value="${escape(subscription.timeZone ?? '')}" aria-describedby="timeZone-hint" autocomplete="off">
<p class="hint" id="timeZone-hint">${t('email.page.timeZoneHint')}</p>
${subscription.activeFrom || subscription.activeUntil ? `${tripLines(ui, subscription, 'email.page.tripUntil')}\n<p class="hint">${t('email.page.tripHint')}</p>\n` : ''}${digestFields(ui, subscription)}
<button type="submit">${t('email.page.save')}</button>
</form>
<p><a href="${escape(unsubscribeUrl)}">${t('email.page.unsubscribeInstead')}</a></p>`,
  );
}
