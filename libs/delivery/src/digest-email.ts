// Pure: a subscriber's daily or weekly digest (DESIGN.md §5.6), the changes held for it in one email, oldest
// first, each as the alert email shows a change (badges in the levels' colours, the date for people in the
// reader's zone, the country page), in text and HTML with every value escaped. A change superseded within
// the period (raised, then lowered again) stays in the list in its place: the order and the times tell it.
import { createHash } from 'node:crypto';
import { areaName } from '@tocsin/areas';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { textIn } from '@tocsin/declarations';
import { formatLongInstant, translate, UiLanguage } from '@tocsin/i18n';
import { Scheme, schemeText } from '@tocsin/schemes';
import { readerOf, zoneFor } from '@tocsin/subscribers';
import escape from 'escape-html';
import {
  AlertEmail,
  alertModeOf,
  badgeHtml,
  countryPageUrl,
  levelWordsIn,
  subjectMarker,
} from './alert-email';
import { emailCardHtml } from './email-card';

type Change = LevelChangedEvent['data']['changes'][number];

/** One held delivery: its event, the changes of it the subscriber's filter keeps, and the event's scheme. */
export interface DigestItem {
  event: LevelChangedEvent;
  changes: Change[];
  scheme?: Scheme;
}

export interface DigestEmailInput {
  /** Oldest first. */
  items: DigestItem[];
  /** The subscriber's BCP 47 tag and zone (null: the main zone of the first change's area). */
  language: string;
  fallbackLanguage: UiLanguage;
  timeZone: string | null;
  publicUrl: string;
  subscriptionId: string;
  /** The instant this digest was due: with the subscription, its Message-ID, the same on every resend. */
  dueAt: Date;
  manageUrl: string;
  unsubscribeUrl: string;
  messageIdHost: string;
}

/**
 * The Message-ID of a subscription's digest due at `dueAt`: a resend after a crash (the mail server took it,
 * the worker died before recording that) carries the same one, so a receiver can tell the repeat. A hash, so
 * that no id of the subscription is in a header.
 */
export function digestMessageId(subscriptionId: string, dueAt: Date, messageIdHost: string): string {
  const hash = createHash('sha256').update(`${subscriptionId}\n${dueAt.toISOString()}`).digest('hex');
  return `<digest.${hash.slice(0, 24)}@${messageIdHost}>`;
}

/**
 * Entries a digest lists at most: the latest ones, the earlier counted in one line (a weekly digest of every
 * area could hold hundreds; the country pages show every level over time).
 */
export const MAX_DIGEST_ENTRIES = 100;

export function digestEmail(input: DigestEmailInput): AlertEmail {
  const { items, language } = input;
  const { ui, locale } = readerOf(language, input.fallbackLanguage);
  const t = (key: string, values?: Record<string, unknown>) => translate(ui, key, values);
  const count = items.reduce((sum, item) => sum + item.changes.length, 0);
  const subject = t('email.digest.subject', { count });
  const heading = t('email.digest.heading');
  const intro = t('email.digest.intro', { count });
  const whenLabel = t('email.digest.when');
  const details = t('email.alert.details');

  const shown = items.slice(-MAX_DIGEST_ENTRIES);
  const earlier = count - shown.reduce((sum, item) => sum + item.changes.length, 0);
  const earlierLine = earlier ? t('email.digest.earlier', { count: earlier }) : null;
  const entries = shown.map(({ event, changes, scheme }) => {
    const zone = zoneFor(input.timeZone, changes[0]?.area.code);
    const when = formatLongInstant(new Date(event.timestamp), locale, zone);
    const words = levelWordsIn(ui, language, scheme);
    const d = event.data.declaration;
    const text = textIn({ ...d, language: d.language ?? 'en', translations: d.translations ?? {} }, language);
    const schemeEvent = scheme ? schemeText(scheme, language).event : '';
    const marker = subjectMarker(alertModeOf(event));
    const lines = changes.map((change) => {
      const from = change.previous ? words(change.previous) : t('email.alert.noLevel');
      const to = change.current ? words(change.current) : t('email.alert.noLevel');
      const area = areaName(change.area.code, language);
      return {
        text: t('email.alert.change', { area, code: change.area.code, from, to }),
        area: t('email.filter.area', { name: area, code: change.area.code }),
        html: `${badgeHtml(change.previous, from)} &rarr; ${badgeHtml(change.current, to)}`,
      };
    });
    const title = `${marker}${schemeEvent ? `${schemeEvent}: ` : ''}${text.headline}`;
    const link = countryPageUrl(input.publicUrl, changes[0].area.code);
    return { when, title, lines, link };
  });

  const text = [
    heading,
    '',
    intro,
    '',
    ...(earlierLine ? [earlierLine, ''] : []),
    ...entries.flatMap((e) => [
      `${whenLabel}: ${e.when}`,
      e.title,
      ...e.lines.map((l) => l.text),
      `${details}: ${e.link}`,
      '',
    ]),
    '',
    `${t('email.link.manage')}: ${input.manageUrl}`,
    `${t('email.link.unsubscribe')}: ${input.unsubscribeUrl}`,
  ].join('\n');

  const html = emailCardHtml({
    lang: ui,
    title: subject,
    body: `<h1 style="margin: 0 0 12px; font-size: 22px; line-height: 1.3">${escape(heading)}</h1>
<p style="margin: 0 0 16px">${escape(intro)}</p>
${earlierLine ? `<p style="margin: 0 0 16px"><em>${escape(earlierLine)}</em></p>\n` : ''}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px">
${entries
  .map(
    (e) =>
      `<tr><td style="padding: 12px 0; border-top: 1px solid #e0e0e0"><p style="margin: 0 0 4px; color: #555555; font-size: 14px">${escape(whenLabel)}: <strong>${escape(e.when)}</strong></p>
<p style="margin: 0 0 8px; font-weight: bold">${escape(e.title)}</p>
${e.lines.map((l) => `<p style="margin: 0 0 6px; font-size: 17px"><strong>${escape(l.area)}</strong><br>${l.html}</p>`).join('\n')}
<p style="margin: 4px 0 0; font-size: 14px"><a href="${escape(e.link)}" style="color: #1a237e">${escape(details)}</a></p></td></tr>`,
  )
  .join('\n')}
</table>`,
    manageUrl: input.manageUrl,
    manageLabel: t('email.link.manage'),
    unsubscribeUrl: input.unsubscribeUrl,
    unsubscribeLabel: t('email.link.unsubscribe'),
  });

  return {
    subject,
    text,
    html,
    messageId: digestMessageId(input.subscriptionId, input.dueAt, input.messageIdHost),
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Digest-Due': input.dueAt.toISOString(),
      'X-Tocsin-Event-Ids': items.map((item) => item.event.data.eventId).join(' '),
    },
  };
}
