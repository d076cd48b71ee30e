// Pure: a trip's one "current situation" email (DESIGN.md §5.6), sent when the trip begins: every area of the
// subscription with its levels now (no level said as such), in the subscriber's language and zone, in the
// alert email's look (alert-email.ts: the badges, the card, the links at the foot). Its Message-ID is made
// from the subscription and the trip's start, so a resend after a crash is the same message to mail systems.
import { createHash } from 'node:crypto';
import { areaName, EVERYWHERE } from '@tocsin/areas';
import type { ChangedLevel } from '@tocsin/declarations';
import { formatLongInstant, translate, UiLanguage } from '@tocsin/i18n';
import { Scheme, schemeText } from '@tocsin/schemes';
import { readerOf, zoneFor } from '@tocsin/subscribers';
import escape from 'escape-html';
import { AlertEmail, badgeHtml, countryPageUrl, levelWordsIn } from './alert-email';
import { emailCardHtml } from './email-card';

/** One area of the subscription as it stands: its level in each scheme that has one (none: no level). */
export interface TripAreaSituation {
  /** An ISO 3166 code, or `*` for a subscription to everywhere with no level anywhere. */
  areaCode: string;
  levels: { schemeId: string; level: ChangedLevel }[];
}

export interface TripSummaryInput {
  situation: TripAreaSituation[];
  /** The schemes of the levels, by id, for their words in the reader's language. */
  schemes: ReadonlyMap<string, Scheme>;
  /** The instant the levels are read at. */
  at: Date;
  activeFrom: Date;
  activeUntil: Date | null;
  language: string;
  fallbackLanguage?: UiLanguage;
  /** The subscriber's IANA zone; null: the main zone of the first area. */
  timeZone: string | null;
  publicUrl: string;
  subscriptionId: string;
  manageUrl: string;
  unsubscribeUrl: string;
  messageIdHost: string;
}

/** The trip's summary's Message-ID: one per (subscription, trip start), a hash so no id shows in a header. */
export function tripSummaryMessageId(subscriptionId: string, activeFrom: Date, host: string): string {
  const hash = createHash('sha256')
    .update(`trip\n${subscriptionId}\n${activeFrom.toISOString()}`)
    .digest('hex');
  return `<trip.${hash.slice(0, 24)}@${host}>`;
}

/** The lines of the situation, for a reader: each area, then each of its levels or "no level". */
export function situationLines(
  input: Pick<TripSummaryInput, 'situation' | 'schemes' | 'language' | 'fallbackLanguage'>,
): { area: string; areaCode: string; levels: { words: string; level: ChangedLevel | null }[] }[] {
  const { ui } = readerOf(input.language, input.fallbackLanguage ?? 'en');
  const t = (key: string, values?: Record<string, unknown>) => translate(ui, key, values);
  return input.situation.map(({ areaCode, levels }) => {
    const area =
      areaCode === EVERYWHERE
        ? t('email.filter.everywhere')
        : t('email.filter.area', { name: areaName(areaCode, input.language), code: areaCode });
    if (!levels.length) return { area, areaCode, levels: [{ words: t('email.alert.noLevel'), level: null }] };
    return {
      area,
      areaCode,
      levels: levels.map(({ schemeId, level }) => {
        const scheme = input.schemes.get(schemeId);
        const words = levelWordsIn(ui, input.language, scheme)(level);
        const event = scheme ? schemeText(scheme, input.language).event : schemeId;
        return { words: t('email.trip.level', { event, level: words }), level };
      }),
    };
  });
}

export function tripSummaryEmail(input: TripSummaryInput): AlertEmail {
  const { ui, locale } = readerOf(input.language, input.fallbackLanguage ?? 'en');
  const t = (key: string, values?: Record<string, unknown>) => translate(ui, key, values);
  const firstArea = input.situation.find((s) => s.areaCode !== EVERYWHERE)?.areaCode;
  const zone = zoneFor(input.timeZone, firstArea);
  const when = (at: Date) => formatLongInstant(at, locale, zone);
  const lines = situationLines(input);
  const where =
    lines.length > 1
      ? t('email.alert.where', { area: lines[0].area, count: lines.length - 1 })
      : lines[0].area;
  const subject = t('email.trip.subject', { where });
  // Labelled lines, not a sentence: a date inside one would need a grammatical case in Russian.
  const labelled: [string, string][] = [
    [t('email.trip.asOf'), when(input.at)],
    [t('email.trip.alertsUntil'), input.activeUntil ? when(input.activeUntil) : t('email.trip.noEnd')],
  ];
  const detailsUrl = firstArea ? countryPageUrl(input.publicUrl, firstArea) : `${input.publicUrl}/`;
  const details = t('email.alert.details');
  const manage = t('email.link.manage');
  const unsubscribe = t('email.link.unsubscribe');

  const text = [
    t('email.trip.heading'),
    '',
    t('email.trip.intro'),
    '',
    ...lines.flatMap((l) => l.levels.map((level) => `${l.area}: ${level.words}`)),
    '',
    ...labelled.map(([label, value]) => `${label}: ${value}`),
    '',
    `${details}: ${detailsUrl}`,
    '',
    '',
    `${manage}: ${input.manageUrl}`,
    `${unsubscribe}: ${input.unsubscribeUrl}`,
  ].join('\n');
  const rows = lines
    .map(
      (l) =>
        `<tr><td style="padding: 10px 0; border-top: 1px solid #e0e0e0; font-size: 18px"><strong>${escape(l.area)}</strong><br>${l.levels
          .map((level) => badgeHtml(level.level, level.words))
          .join('<br>')}</td></tr>`,
    )
    .join('\n');
  const html = emailCardHtml({
    lang: ui,
    title: subject,
    body: `<h1 style="margin: 0 0 12px; font-size: 22px; line-height: 1.3">${escape(t('email.trip.heading'))}</h1>
<p style="margin: 0 0 12px">${escape(t('email.trip.intro'))}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px">
${rows}
</table>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px">
${labelled.map(([label, value]) => `<tr><td style="padding: 2px 12px 2px 0; color: #555555; vertical-align: top">${escape(label)}</td><td style="padding: 2px 0; font-weight: bold">${escape(value)}</td></tr>`).join('\n')}
</table>
<p style="margin: 0 0 20px"><a href="${escape(detailsUrl)}" style="display: inline-block; padding: 10px 20px; border-radius: 4px; background-color: #1a237e; color: #ffffff; font-weight: bold; text-decoration: none">${escape(details)}</a></p>`,
    manageUrl: input.manageUrl,
    manageLabel: manage,
    unsubscribeUrl: input.unsubscribeUrl,
    unsubscribeLabel: unsubscribe,
  });
  return {
    subject,
    text,
    html,
    messageId: tripSummaryMessageId(input.subscriptionId, input.activeFrom, input.messageIdHost),
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // Mail filters (and support) tell the summary from an alert, and which trip it opened.
      'X-Tocsin-Trip-Summary': input.activeFrom.toISOString(),
    },
  };
}
