// Pure: the SMS a subscriber gets for a `threat_level.changed` event (DESIGN.md §5.5): where, the level, the
// headline and a link to the country's page, in the subscriber's language, in at most three parts. The
// headline is what gives way: it is shortened until the text fits. An exercise or a test starts with the
// same ASCII marker as the email's subject.
import { areaName } from '@tocsin/areas';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { textIn } from '@tocsin/declarations';
import { translate, UiLanguage } from '@tocsin/i18n';
import { Scheme, schemeText } from '@tocsin/schemes';
import { readerOf } from '@tocsin/subscribers';
import { smsSizeOf } from '@tocsin/sms';
import { alertModeOf, levelWordsIn, subjectMarker } from './alert-email';

type Change = LevelChangedEvent['data']['changes'][number];

/** Parts an alert may take (DESIGN.md §5.5): a fourth costs money and most phones join three reliably. */
export const SMS_ALERT_MAX_PARTS = 3;

export interface AlertSmsInput {
  event: LevelChangedEvent;
  /** The changes of the event that match this subscriber's filter (at least one). */
  changes: Change[];
  scheme?: Scheme;
  /** The subscriber's BCP 47 tag. */
  language: string;
  fallbackLanguage?: UiLanguage;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
}

// Typography a writer's tools put in that GSM 7-bit lacks: one curly apostrophe would make a Latin text
// UCS-2, and its 160 characters a part 70.
const TYPOGRAPHY: [RegExp, string][] = [
  [/[‘’‚‛′]/g, "'"],
  [/[“”„‟″«»]/g, '"'],
  [/[‐‑‒–—―]/g, '-'],
  [/…/g, '...'],
  [/[\u00a0\u2000-\u200a\u202f\u205f]/g, ' '],
  [/[\u200b-\u200d\u2060\ufeff]/g, ''],
];

/** `text` with typographic punctuation as its ASCII counterpart, and no line breaks or runs of spaces. */
export function plainForSms(text: string): string {
  let plain = text;
  for (const [pattern, replacement] of TYPOGRAPHY) plain = plain.replace(pattern, replacement);
  return plain.replace(/\s+/g, ' ').trim();
}

/** The alert's text, shortened to fit SMS_ALERT_MAX_PARTS. */
export function alertSms(input: AlertSmsInput): string {
  const { event, changes, language } = input;
  const { ui } = readerOf(language, input.fallbackLanguage ?? 'en');
  const first = changes[0];
  const words = levelWordsIn(ui, language, input.scheme);
  const t = (key: string, values: Record<string, unknown>) => translate(ui, key, values);
  const area = areaName(first.area.code, language);
  const d = event.data.declaration;
  const headline = plainForSms(
    textIn({ ...d, language: d.language ?? 'en', translations: d.translations ?? {} }, language).headline,
  );
  const values = {
    marker: subjectMarker(alertModeOf(event)),
    where: changes.length > 1 ? t('sms.alert.where', { area, count: changes.length - 1 }) : area,
    event: input.scheme ? schemeText(input.scheme, language).event : '',
    level: first.current ? words(first.current) : '',
    link: `${input.publicUrl}/country/${first.area.code.split('-')[0]}`,
  };
  const key = first.current ? 'sms.alert.changed' : 'sms.alert.lifted';
  const render = (h: string) => plainForSms(t(key, { ...values, headline: h }));
  const fits = (h: string) => smsSizeOf(render(h)).parts <= SMS_ALERT_MAX_PARTS;
  if (fits(headline)) return render(headline);
  // The longest prefix of the headline (whole code points) that fits with its ellipsis, by bisection.
  const chars = [...headline];
  let [low, high] = [0, chars.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(`${chars.slice(0, mid).join('').trimEnd()}...`)) low = mid;
    else high = mid - 1;
  }
  return render(low > 0 ? `${chars.slice(0, low).join('').trimEnd()}...` : '');
}
