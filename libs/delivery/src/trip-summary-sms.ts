// Pure: a trip's "current situation" as one SMS (DESIGN.md §5.6): each area and its level now, and the link
// to the first area's country page, in at most the alert's three parts. The areas that do not fit give way,
// counted ("+2"), as the alert's headline does: the page has them all.
import { areaName, countryCodeOf, EVERYWHERE } from '@tocsin/areas';
import { translate, UiLanguage } from '@tocsin/i18n';
import { Scheme } from '@tocsin/schemes';
import { smsSizeOf } from '@tocsin/sms';
import { readerOf } from '@tocsin/subscribers';
import { levelWordsIn } from './alert-email';
import { plainForSms, SMS_ALERT_MAX_PARTS } from './alert-sms';
import type { TripAreaSituation } from './trip-summary-email';

export interface TripSummarySmsInput {
  situation: TripAreaSituation[];
  schemes: ReadonlyMap<string, Scheme>;
  language: string;
  fallbackLanguage?: UiLanguage;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
}

export function tripSummarySms(input: TripSummarySmsInput): string {
  const { ui } = readerOf(input.language, input.fallbackLanguage ?? 'en');
  const t = (key: string, values?: Record<string, unknown>) => translate(ui, key, values);
  const entries = input.situation.map(({ areaCode, levels }) => {
    const area = areaCode === EVERYWHERE ? t('sms.trip.everywhere') : areaName(areaCode, input.language);
    const words = levels.length
      ? levels.map(({ schemeId, level }) =>
          levelWordsIn(ui, input.language, input.schemes.get(schemeId))(level),
        )
      : [t('sms.trip.noLevel')];
    return `${area}: ${words.join(', ')}`;
  });
  const first = input.situation.find((s) => s.areaCode !== EVERYWHERE)?.areaCode;
  const link = first ? `${input.publicUrl}/country/${countryCodeOf(first)}` : `${input.publicUrl}/`;
  const render = (kept: number) =>
    plainForSms(
      t('sms.trip.summary', {
        levels: [
          ...entries.slice(0, kept),
          ...(kept < entries.length ? [t('sms.trip.more', { count: entries.length - kept })] : []),
        ].join('; '),
        link,
      }),
    );
  for (let kept = entries.length; kept > 0; kept--) {
    const text = render(kept);
    if (smsSizeOf(text).parts <= SMS_ALERT_MAX_PARTS) return text;
  }
  return render(0);
}
