// Pure: the email a subscriber gets for a `threat_level.changed` event, in text and HTML (every value
// escaped with escape-html), in the subscriber's language and time zone, with RFC 8058 one-click
// unsubscribe headers and a Message-ID that is stable per delivery. An exercise or a test says so first: its
// subject starts with `[EXERCISE] ` or `[TEST] ` and its text and HTML open with a line that nothing changed. Rendering comes in two steps: what
// depends only on (event, changes, language, zone) once, then the few lines that differ per recipient.
import { areaName } from '@tocsin/areas';
import type { ChangedLevel, LevelChangedEvent } from '@tocsin/declarations';
import { textIn } from '@tocsin/declarations';
import { formatInstant, translate, UiLanguage } from '@tocsin/i18n';
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
  declarationUrl: string;
}

/** What differs from one recipient of the same content to the next. */
export interface AlertAddressing {
  deliveryId: string;
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

export function alertContent(input: AlertContentInput): AlertContent {
  const { event, changes } = input;
  const d = event.data.declaration;
  const language = input.language ?? 'en';
  const { ui, locale } = readerOf(language, input.fallbackLanguage ?? 'en');
  const zone = zoneFor(input.timeZone ?? null, changes[0]?.area.code);
  const at = (iso: string) => formatInstant(new Date(iso), locale, zone);
  const words = levelWordsIn(ui, language, input.scheme);
  const schemeEvent = input.scheme ? schemeText(input.scheme, language).event : (input.schemeEvent ?? '');
  const t = (key: string, values?: Record<string, unknown>) => translate(ui, key, values);

  const lines = changes.map((change) =>
    t('email.alert.change', {
      area: areaName(change.area.code, language),
      code: change.area.code,
      from: change.previous ? words(change.previous) : t('email.alert.noLevel'),
      to: change.current ? words(change.current) : t('email.alert.noLevel'),
    }),
  );
  const validity =
    event.data.cause === 'cancelled'
      ? t('email.alert.cancelled', { at: at(event.timestamp) })
      : event.data.cause === 'expired'
        ? t('email.alert.expired', { at: at(event.timestamp) })
        : d.expiresAt
          ? t('email.alert.inForce', { from: at(d.effectiveAt), until: at(d.expiresAt) })
          : t('email.alert.inForceOpenEnded', { from: at(d.effectiveAt) });

  // Payloads written before declarations had languages are English with no translations.
  const text = textIn({ ...d, language: d.language ?? 'en', translations: d.translations ?? {} }, language);
  const inOriginal = primaryOf(text.language) !== primaryOf(language);
  const note = inOriginal
    ? t('email.alert.originalLanguage', { language: languageName(text.language, ui) })
    : null;
  // Text in another language than the labels says so to screen readers and hyphenation.
  const lang = text.language === ui ? '' : ` lang="${escape(text.language)}"`;
  const issuedBy = t('email.alert.issuedBy', { authority: d.authority });
  const details = t('email.alert.details');
  const measuresTitle = t('email.alert.measures');
  const mode = alertModeOf(event);
  const notice = mode === 'actual' ? null : t(NOTICES[mode]);

  const textStart = [
    ...(notice ? [notice, ''] : []),
    text.headline,
    ...(note ? [note] : []),
    '',
    ...lines,
    '',
    validity,
    '',
    text.summary,
    ...(text.measures.length ? ['', `${measuresTitle}:`, ...text.measures.map((m) => `- ${m}`)] : []),
    '',
    issuedBy,
    `${details}: ${input.declarationUrl}`,
    '',
  ].join('\n');
  const htmlStart = `<!doctype html>
<html lang="${ui}"><body style="font-family: system-ui, sans-serif; line-height: 1.5">
${notice ? `<p role="note" style="padding: .5rem .75rem; border: 2px solid #1a237e; background: #e8eaf6; color: #1a237e; font-weight: bold">${escape(notice)}</p>\n` : ''}<h1 style="font-size: 1.3rem"${lang}>${escape(text.headline)}</h1>
${note ? `<p style="font-size: .9rem; color: #444"><em>${escape(note)}</em></p>\n` : ''}<ul>${lines.map((l) => `<li>${escape(l)}</li>`).join('')}</ul>
<p>${escape(validity)}</p>
<p${lang}>${escape(text.summary)}</p>
${text.measures.length ? `<h2 style="font-size: 1.1rem">${escape(measuresTitle)}</h2><ul${lang}>${text.measures.map((m) => `<li>${escape(m)}</li>`).join('')}</ul>` : ''}
<p>${escape(issuedBy)} <a href="${escape(input.declarationUrl)}">${escape(details)}</a></p>
`;
  return {
    subject:
      subjectMarker(mode) +
      alertSubject({ ui, language }, changes[0], schemeEvent, changes.length - 1, words),
    textStart,
    htmlStart,
    manageLabel: t('email.link.manage'),
    unsubscribeLabel: t('email.link.unsubscribe'),
    eventId: event.data.eventId,
  };
}

/** The content addressed to one recipient: its links, its headers, its Message-ID. */
export function addressedAlert(content: AlertContent, to: AlertAddressing): AlertEmail {
  const text = `${content.textStart}${content.manageLabel}: ${to.manageUrl}\n${content.unsubscribeLabel}: ${to.unsubscribeUrl}`;
  const html = `${content.htmlStart}<p style="font-size: .9rem; color: #444"><a href="${escape(to.manageUrl)}">${escape(content.manageLabel)}</a> · <a href="${escape(to.unsubscribeUrl)}">${escape(content.unsubscribeLabel)}</a></p>
</body></html>`;
  return {
    subject: content.subject,
    text,
    html,
    messageId: `<${to.deliveryId}@${to.messageIdHost}>`,
    headers: {
      'List-Unsubscribe': `<${to.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Event-Id': content.eventId,
    },
  };
}

/** One alert, rendered and addressed at once. */
export function alertEmail(context: AlertEmailContext): AlertEmail {
  return addressedAlert(alertContent(context), context);
}

const primaryOf = (tag: string) => tag.split('-')[0].toLowerCase();
