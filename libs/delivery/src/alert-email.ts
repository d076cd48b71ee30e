// Pure: the email a subscriber gets for a `threat_level.changed` event, in text and HTML (every value
// escaped with escape-html), in the subscriber's language and time zone, with RFC 8058 one-click
// unsubscribe headers and a Message-ID that is stable per delivery. An exercise or a test says so first: its
// subject starts with `[EXERCISE] ` or `[TEST] ` and its text and HTML open with a line that nothing changed. Rendering comes in two steps: what
// depends only on (event, changes, language, zone) once, then the few lines that differ per recipient.
// Read at a glance (DESIGN.md §5.6): each change as badges in the levels' colours, dates for people, Details to
// the country page. The HTML is what every mail client shows: tables, inline styles, no images, no CSS to fetch;
// the text part says the same in the same order. Alerts of one (subscription, area, scheme) share one thread.
import { createHash } from 'node:crypto';
import { areaName, countryCodeOf } from '@tocsin/areas';
import type { ChangedLevel, LevelChangedEvent } from '@tocsin/declarations';
import { textIn } from '@tocsin/declarations';
import { formatLongInstant, translate, UiLanguage } from '@tocsin/i18n';
import { levelText, Scheme, schemeText } from '@tocsin/schemes';
import { languageName, readerOf, zoneFor } from '@tocsin/subscribers';
import escape from 'escape-html';

type Change = LevelChangedEvent['data']['changes'][number];

/** A declaration's mode (DESIGN.md §5.4): CAP's Actual, Exercise, Test. */
export type AlertMode = 'actual' | 'exercise' | 'test';

/**
 * The mode of an event: its declaration's `mode`, else what its `type` says; an event written before
 * declarations had modes is actual.
 */
export function alertModeOf(event: {
  type: string;
  data: { declaration: { mode?: string | null } };
}): AlertMode {
  const mode = event.data.declaration.mode;
  if (mode === 'exercise' || mode === 'test' || mode === 'actual') return mode;
  return event.type === 'threat_level.exercise' ? 'exercise' : 'actual';
}

/**
 * What starts the subject of a non-actual alert. ASCII and untranslated in every language, like CAP's
 * status: mail filters and the people who sort alerts match this one token; the line inside is translated.
 */
export function subjectMarker(mode: AlertMode): string {
  return mode === 'exercise' ? '[EXERCISE] ' : mode === 'test' ? '[TEST] ' : '';
}

const NOTICES: Readonly<Record<Exclude<AlertMode, 'actual'>, string>> = {
  exercise: 'email.alert.exerciseNotice',
  test: 'email.alert.testNotice',
};

/** What the shared part of an alert depends on: the event, and how one kind of reader reads it. */
export interface AlertContentInput {
  event: LevelChangedEvent;
  /** The changes of the event that match this subscriber's filter (at least one). */
  changes: Change[];
  /** The event's scheme, for its words and level names in the reader's language. */
  scheme?: Scheme;
  /** The scheme's `event` text when no scheme is given (English), e.g. "terrorism threat level". */
  schemeEvent?: string;
  /** The subscriber's BCP 47 tag; default `en`. */
  language?: string;
  /** Labels for a language without a catalog; default `en`. */
  fallbackLanguage?: UiLanguage;
  /** The subscriber's IANA zone; null or absent: the main zone of the first change's area. */
  timeZone?: string | null;
  /** Tocsin's public address (PUBLIC_URL): Details opens its page of the first change's country. */
  publicUrl: string;
}

/** What differs from one recipient of the same content to the next. */
export interface AlertAddressing {
  deliveryId: string;
  /** The subscription, for its thread of each (area, scheme); it never appears in a header as such. */
  subscriptionId: string;
  manageUrl: string;
  unsubscribeUrl: string;
  /** Host part of the Message-ID, e.g. the PUBLIC_URL host. */
  messageIdHost: string;
}

export type AlertEmailContext = AlertContentInput & AlertAddressing;

/** An alert rendered for one (event, changes, language, zone), before it is addressed to anyone. */
export interface AlertContent {
  subject: string;
  /** The text part up to the subscriber's own links. */
  textStart: string;
  /** The HTML part up to the subscriber's own links. */
  htmlStart: string;
  manageLabel: string;
  unsubscribeLabel: string;
  eventId: string;
  declarationId: string;
  /** The (area, scheme) of the first change: with the subscription, the thread the alert belongs to. */
  thread: { areaCode: string; schemeId: string };
}

export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

/** The words of one level, localised: "CRITICAL (red)", "критический (красный)". */
export type LevelWords = (level: ChangedLevel) => string;

/** Quotation marks around a colour inside a level's name («критический («красный»)»), clutter in a line. */
const QUOTES = /[«»“”„"]/g;

export function levelWordsIn(
  ui: UiLanguage,
  language: string,
  scheme: AlertContentInput['scheme'],
): LevelWords {
  // Whether a level's name is shouted is the catalog's to say: English does, Russian and Kazakh do not.
  const upper = translate(ui, 'email.alert.levelCase') === 'upper';
  return (level) => {
    const own = scheme?.levels.find((l) => l.code === level.code);
    const name = (own ? levelText(own, language).name : level.name)
      .replace(QUOTES, '')
      .replace(/\s+/g, ' ')
      .trim();
    return translate(ui, 'email.alert.level', {
      name: upper ? name.toLocaleUpperCase(ui) : name,
      code: level.code,
    });
  };
}

/** "Kazakhstan — terrorism threat level CRITICAL (red)", or "… lifted" when no level remains. */
export function alertSubject(
  { ui, language }: { ui: UiLanguage; language: string },
  change: Change,
  event: string,
  others: number,
  words: LevelWords,
): string {
  const area = areaName(change.area.code, language);
  const where = others > 0 ? translate(ui, 'email.alert.where', { area, count: others }) : area;
  if (change.current)
    return translate(ui, 'email.alert.subject', { where, event, level: words(change.current) });
  return change.previous
    ? translate(ui, 'email.alert.subjectLiftedWas', { where, event, previous: words(change.previous) })
    : translate(ui, 'email.alert.subjectLifted', { where, event });
}

/** The colour of a level and the text on it: black or white, whichever contrasts more (WCAG 2). */
export interface BadgeColors {
  background: string;
  text: '#000000' | '#ffffff';
}

/** What a level without a colour of its own (or with one that is no `#rrggbb`) is shown in. */
export const NO_COLOR = '#757575';

/** The badge of a level's `color`: it on its background, black or white on it as reads better. */
export function badgeColors(color: string | null | undefined): BadgeColors {
  // Only `#rrggbb` reaches a style attribute: escaping stops no CSS inside one.
  const background = color && /^#[0-9a-f]{6}$/i.test(color) ? color.toLowerCase() : NO_COLOR;
  return {
    background,
    text:
      contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff',
  };
}

// WCAG 2.x relative luminance and contrast, the rule of apps/web/src/contrast.ts (which libs cannot import).
const channel = (value: number): number => {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const luminance = (hex: string): number => {
  const [r, g, b] = [1, 3, 5].map((at) => channel(parseInt(hex.slice(at, at + 2), 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The web app's page of the area's country (`/country/:code`), where its levels are now and were before. */
export function countryPageUrl(publicUrl: string, areaCode: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/country/${encodeURIComponent(countryCodeOf(areaCode))}`;
}

/** The declaration's source when it is a web page: nothing else belongs in an href of a mail. */
const webPage = (url: string | null | undefined): string | null =>
  url && /^https?:\/\//i.test(url) ? url : null;

// Inline styles: many clients drop <style>, none drops style="…".
export const FONT = "font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
const BADGE =
  'display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: bold; white-space: nowrap';

/** A level as a badge in its colour; no level as a dashed outline. */
export function badgeHtml(level: Pick<ChangedLevel, 'color'> | null, words: string): string {
  if (!level)
    return `<span style="${BADGE}; border: 1px dashed #757575; color: #424242; font-weight: normal">${escape(words)}</span>`;
  const colors = badgeColors(level.color);
  return `<span class="level-badge" style="${BADGE}; background-color: ${colors.background}; color: ${colors.text}">${escape(words)}</span>`;
}

export function alertContent(input: AlertContentInput): AlertContent {
  const { event, changes } = input;
  const d = event.data.declaration;
  const language = input.language ?? 'en';
  const { ui, locale } = readerOf(language, input.fallbackLanguage ?? 'en');
  const zone = zoneFor(input.timeZone ?? null, changes[0]?.area.code);
  const at = (iso: string) => formatLongInstant(new Date(iso), locale, zone);
  const words = levelWordsIn(ui, language, input.scheme);
  const schemeEvent = input.scheme ? schemeText(input.scheme, language).event : (input.schemeEvent ?? '');
  const t = (key: string, values?: Record<string, unknown>) => translate(ui, key, values);

  const changed = changes.map((change) => {
    const from = change.previous ? words(change.previous) : t('email.alert.noLevel');
    const to = change.current ? words(change.current) : t('email.alert.noLevel');
    const area = areaName(change.area.code, language);
    return {
      line: t('email.alert.change', { area, code: change.area.code, from, to }),
      area: t('email.filter.area', { name: area, code: change.area.code }),
      html: `${badgeHtml(change.previous, from)} &rarr; ${badgeHtml(change.current, to)}`,
    };
  });
  // Labelled lines, not a sentence: a weekday in the middle of one would need a grammatical case in Russian.
  const when: [label: string, value: string][] =
    event.data.cause === 'cancelled'
      ? [[t('email.alert.cancelledAt'), at(event.timestamp)]]
      : event.data.cause === 'expired'
        ? [[t('email.alert.expiredAt'), at(event.timestamp)]]
        : [
            [t('email.alert.from'), at(d.effectiveAt)],
            [t('email.alert.until'), d.expiresAt ? at(d.expiresAt) : t('email.alert.untilFurtherNotice')],
          ];

  // Payloads written before declarations had languages are English with no translations.
  const text = textIn({ ...d, language: d.language ?? 'en', translations: d.translations ?? {} }, language);
  const inOriginal = primaryOf(text.language) !== primaryOf(language);
  const note = inOriginal
    ? t('email.alert.originalLanguage', { language: languageName(text.language, ui) })
    : null;
  // Text in another language than the labels says so to screen readers and hyphenation.
  const lang = text.language === ui ? '' : ` lang="${escape(text.language)}"`;
  const issuedBy = t('email.alert.issuedBy', { authority: d.authority });
  const source = webPage(d.sourceUrl);
  const sourceLabel = t('email.alert.source');
  const detailsUrl = countryPageUrl(input.publicUrl, changes[0].area.code);
  const details = t('email.alert.details');
  const measuresTitle = t('email.alert.measures');
  const mode = alertModeOf(event);
  const notice = mode === 'actual' ? null : t(NOTICES[mode]);
  const subject =
    subjectMarker(mode) + alertSubject({ ui, language }, changes[0], schemeEvent, changes.length - 1, words);

  const textStart = [
    ...(notice ? [notice, ''] : []),
    text.headline,
    ...(note ? [note] : []),
    '',
    ...changed.map((c) => c.line),
    '',
    ...when.map(([label, value]) => `${label}: ${value}`),
    '',
    text.summary,
    ...(text.measures.length ? ['', `${measuresTitle}:`, ...text.measures.map((m) => `- ${m}`)] : []),
    '',
    issuedBy,
    ...(source ? [`${sourceLabel}: ${source}`] : []),
    `${details}: ${detailsUrl}`,
    // A blank line before the subscriber's own links.
    '',
    '',
  ].join('\n');
  const htmlStart = `<!doctype html>
<html lang="${ui}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(subject)}</title></head>
<body style="margin: 0; padding: 0; background-color: #f4f4f4">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color: #f4f4f4"><tr><td align="center" style="padding: 16px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width: 600px; background-color: #ffffff; border: 1px solid #dddddd; ${FONT}; font-size: 16px; line-height: 1.5; color: #1a1a1a"><tr><td style="padding: 20px 24px">
${notice ? `<p role="note" style="margin: 0 0 16px; padding: 8px 12px; border: 2px solid #1a237e; background-color: #e8eaf6; color: #1a237e; font-weight: bold">${escape(notice)}</p>\n` : ''}<h1 style="margin: 0 0 12px; font-size: 22px; line-height: 1.3"${lang}>${escape(text.headline)}</h1>
${note ? `<p style="margin: 0 0 12px; font-size: 14px; color: #444444"><em>${escape(note)}</em></p>\n` : ''}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px">
${changed.map((c) => `<tr><td style="padding: 10px 0; border-top: 1px solid #e0e0e0; font-size: 18px"><strong>${escape(c.area)}</strong><br>${c.html}</td></tr>`).join('\n')}
</table>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px">
${when.map(([label, value]) => `<tr><td style="padding: 2px 12px 2px 0; color: #555555; vertical-align: top">${escape(label)}</td><td style="padding: 2px 0; font-weight: bold">${escape(value)}</td></tr>`).join('\n')}
</table>
<p style="margin: 0 0 16px"${lang}>${escape(text.summary)}</p>
${text.measures.length ? `<h2 style="margin: 0 0 8px; font-size: 18px">${escape(measuresTitle)}</h2>\n<ul style="margin: 0 0 16px; padding-left: 24px"${lang}>${text.measures.map((m) => `<li>${escape(m)}</li>`).join('')}</ul>\n` : ''}<p style="margin: 0 0 16px">${escape(issuedBy)}${source ? ` <a href="${escape(source)}" style="color: #1a237e">${escape(sourceLabel)}</a>` : ''}</p>
<p style="margin: 0 0 20px"><a href="${escape(detailsUrl)}" style="display: inline-block; padding: 10px 20px; border-radius: 4px; background-color: #1a237e; color: #ffffff; font-weight: bold; text-decoration: none">${escape(details)}</a></p>
`;
  return {
    subject,
    textStart,
    htmlStart,
    manageLabel: t('email.link.manage'),
    unsubscribeLabel: t('email.link.unsubscribe'),
    eventId: event.data.eventId,
    declarationId: d.id,
    thread: { areaCode: changes[0].area.code, schemeId: changes[0].scheme },
  };
}

/**
 * The Message-ID that every alert of one (subscription, area, scheme) chain replies to. Made up, never sent
 * itself: GitHub's notifications do the same, each saying `In-Reply-To` and `References` of a root
 * `<owner/repo/issues/779@github.com>` while its own Message-ID is `<owner/repo/issues/779/121257721@github.com>`
 * (quoted in https://github.com/WeblateOrg/weblate/issues/782 and https://github.com/go-gitea/gitea/issues/2645).
 * Pointing the first alert at it too matters: GitLab sent its first notification with no References, and
 * Thunderbird left it outside the thread of the later ones (https://gitlab.com/gitlab-org/gitlab/-/issues/444279).
 * A hash, so neither the subscription's id nor anything of the address is in a header; no database read.
 */
export function threadRootId(
  subscriptionId: string,
  areaCode: string,
  schemeId: string,
  messageIdHost: string,
): string {
  const hash = createHash('sha256').update(`${subscriptionId}\n${areaCode}\n${schemeId}`).digest('hex');
  return `<chain.${hash.slice(0, 24)}@${messageIdHost}>`;
}

/** The content addressed to one recipient: its links, its headers, its Message-ID. */
export function addressedAlert(content: AlertContent, to: AlertAddressing): AlertEmail {
  const text = `${content.textStart}${content.manageLabel}: ${to.manageUrl}\n${content.unsubscribeLabel}: ${to.unsubscribeUrl}`;
  const html = `${content.htmlStart}<p style="margin: 0; padding-top: 12px; border-top: 1px solid #e0e0e0; font-size: 14px; color: #444444"><a href="${escape(to.manageUrl)}" style="color: #1a237e">${escape(content.manageLabel)}</a> · <a href="${escape(to.unsubscribeUrl)}" style="color: #1a237e">${escape(content.unsubscribeLabel)}</a></p>
</td></tr></table>
</td></tr></table>
</body></html>`;
  const root = threadRootId(
    to.subscriptionId,
    content.thread.areaCode,
    content.thread.schemeId,
    to.messageIdHost,
  );
  return {
    subject: content.subject,
    text,
    html,
    messageId: `<${to.deliveryId}@${to.messageIdHost}>`,
    // No Thread-Topic or Thread-Index: Outlook's conversations follow those and the subject, which names the
    // level and so changes along a chain; a fixed subject would hide the level, and a made-up Thread-Index
    // (a binary GUID and time) risks merging strangers' threads. Apple Mail and Thunderbird follow References.
    headers: {
      'In-Reply-To': root,
      References: root,
      'List-Unsubscribe': `<${to.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Event-Id': content.eventId,
      // The body links to a page for people now; mail filters and support still find the declaration here.
      'X-Tocsin-Declaration-Id': content.declarationId,
    },
  };
}

/** One alert, rendered and addressed at once. */
export function alertEmail(context: AlertEmailContext): AlertEmail {
  return addressedAlert(alertContent(context), context);
}

const primaryOf = (tag: string) => tag.split('-')[0].toLowerCase();
