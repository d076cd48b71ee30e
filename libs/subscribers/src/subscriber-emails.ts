// Pure: the texts of the emails that manage a subscription, in the subscriber's language (the `email`
// catalog). Every value shown is escaped in the HTML part; the catalogs' messages are plain text too.
import { areaName, EVERYWHERE } from '@tocsin/areas';
import { translate, UiLanguage } from '@tocsin/i18n';
import escapeHtml from 'escape-html';
import { CONFIRMATION_VALID_MS } from './signup-limits';
import { languageName } from './subscriber-language';
import { SubscriptionFilter } from './subscription-filter';

export interface SubscriberEmail {
  subject: string;
  text: string;
  html: string;
}

/** What these emails say about a subscription, and the language they say it in. */
export interface SubscriberEmailContext {
  filter: SubscriptionFilter;
  /** The subscription's own tag, named in the email. */
  language: string;
  timeZone: string | null;
  /** The catalog language the email is written in. */
  ui: UiLanguage;
}

/** The filter in words: "2 areas: Kazakhstan (KZ), Almaty (KZ-75); scheme kz-terror; …". */
export function describeFilter(filter: SubscriptionFilter, ui: UiLanguage): string {
  const areas = filter.areas.map((code) =>
    code === EVERYWHERE
      ? translate(ui, 'email.filter.everywhere')
      : translate(ui, 'email.filter.area', { name: areaName(code, ui), code }),
  );
  const parts = [
    areas.length > 1
      ? translate(ui, 'email.filter.areas', { count: areas.length, list: areas.join(', ') })
      : areas.join(''),
  ];
  parts.push(
    filter.schemeId
      ? translate(ui, 'email.filter.scheme', { scheme: filter.schemeId })
      : translate(ui, 'email.filter.everyScheme'),
  );
  if (filter.minRank !== null) parts.push(translate(ui, 'email.filter.minRank', { rank: filter.minRank }));
  if (filter.events?.length === 1)
    parts.push(
      translate(
        ui,
        filter.events[0] === 'escalated' ? 'email.filter.escalations' : 'email.filter.deescalations',
      ),
    );
  return parts.join('; ');
}

/** "Alerts will be in Russian, with times in the Europe/London time zone." */
function settingsLine({ language, timeZone, ui }: SubscriberEmailContext): string {
  const named = languageName(language, ui);
  return timeZone
    ? translate(ui, 'email.settings.zone', { language: named, zone: timeZone })
    : translate(ui, 'email.settings.areaZone', { language: named });
}

function render(
  ui: UiLanguage,
  lines: { text: string; link?: { label: string; url: string } }[],
): { text: string; html: string } {
  const text = lines.map((l) => (l.link ? `${l.text}\n${l.link.url}` : l.text)).join('\n\n');
  const html = lines
    .map((l) =>
      l.link
        ? `<p>${escapeHtml(l.text)}<br><a href="${escapeHtml(l.link.url)}">${escapeHtml(l.link.label)}</a></p>`
        : `<p>${escapeHtml(l.text)}</p>`,
    )
    .join('\n');
  return { text, html: `<!doctype html>\n<html lang="${ui}"><body>\n${html}\n</body></html>` };
}

const CONFIRMATION_VALID_DAYS = Math.round(CONFIRMATION_VALID_MS / 86_400_000);

export function confirmationEmail(context: SubscriberEmailContext, confirmUrl: string): SubscriberEmail {
  const { ui } = context;
  return {
    subject: translate(ui, 'email.confirm.subject'),
    ...render(ui, [
      { text: translate(ui, 'email.confirm.asked', { filter: describeFilter(context.filter, ui) }) },
      { text: settingsLine(context) },
      {
        text: translate(ui, 'email.confirm.instructions', { days: CONFIRMATION_VALID_DAYS }),
        link: { label: translate(ui, 'email.confirm.link'), url: confirmUrl },
      },
      { text: translate(ui, 'email.confirm.ignore') },
    ]),
  };
}

/** Sent instead of a confirmation when the address is already subscribed, so sign-up reveals nothing. */
export function alreadySubscribedEmail(
  context: SubscriberEmailContext,
  manageUrl: string,
  unsubscribeUrl: string,
): SubscriberEmail {
  const { ui } = context;
  return {
    subject: translate(ui, 'email.already.subject'),
    ...render(ui, [
      { text: translate(ui, 'email.already.asked', { filter: describeFilter(context.filter, ui) }) },
      { text: settingsLine(context) },
      {
        text: translate(ui, 'email.already.manage'),
        link: { label: translate(ui, 'email.already.manageLink'), url: manageUrl },
      },
      {
        text: translate(ui, 'email.already.leave'),
        link: { label: translate(ui, 'email.link.unsubscribe'), url: unsubscribeUrl },
      },
    ]),
  };
}
