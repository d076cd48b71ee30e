// Instants as a reader reads them: in their time zone, in their language, with the offset so nobody has to guess.

/** The zone's canonical IANA name (`asia/almaty` → `Asia/Almaty`), or null when it is not a time zone. */
export function canonicalTimeZone(zone: string): string | null {
  const trimmed = zone.trim();
  // Offsets like "+06:00" are accepted by newer Intl versions but are not IANA zones: they know no DST.
  if (!trimmed || trimmed.length > 64 || /^[+-]/.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Whether `zone` names an IANA time zone (`Asia/Almaty`, `Europe/London`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== null;
}

// Building a DateTimeFormat costs far more than using one; the zones and languages in use are few.
const formats = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 2000;

/**
 * Date and time of `at` in `timeZone`, in the words of `lang`, ending with the UTC offset:
 * `26 January 2022 at 00:00:01 GMT+06:00`, `26 января 2022 г. в 00:00:01 GMT+06:00`. Bare `en` is written
 * day-month-year (en-GB), which no English reader misreads; a tag that is not BCP 47 is read as English.
 * Throws a RangeError for an unknown zone: check it with isTimeZone where it comes from input.
 */
export function formatInstant(at: Date, lang: string, timeZone: string): string {
  const locale = localeFor(lang);
  const format = cached(
    `${locale} ${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZone,
        timeZoneName: 'longOffset',
      }),
  );
  return format.format(at);
}

function localeFor(lang: string): string {
  let canonical: string | null;
  try {
    canonical = Intl.getCanonicalLocales(lang.trim())[0] ?? null;
  } catch {
    canonical = null;
  }
  return canonical === null || canonical === 'en' ? 'en-GB' : canonical;
}

/** `UTC+6`, `UTC+5:30`, `UTC-3`, `UTC`: the offset of `timeZone` at `at`, as short as it can be read. */
export function utcOffset(at: Date, timeZone: string): string {
  const name = cached(
    `offset ${timeZone}`,
    () => new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }),
  )
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  // `GMT+05:30`; `GMT+00:00` or bare `GMT` on the meridian, depending on the ICU.
  const match = /([+\u2212-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match || (match[2] === '00' && match[3] === '00')) return 'UTC';
  const [, sign, hours, minutes] = match;
  return `UTC${sign === '+' ? '+' : '-'}${Number(hours)}${minutes === '00' ? '' : `:${minutes}`}`;
}

/**
 * `at` as a letter to a person writes it: the weekday, the date and the minute in `timeZone`, in the words of
 * `lang`, then the offset: `Friday, 7 January 2022 at 09:00 (UTC+6)`, `пятница, 7 января 2022 г. в 09:00
 * (UTC+6)`, `2022 ж. 7 қаңтар, жұма, 09:00 (UTC+6)`. Seconds and an ISO form mean nothing to a reader;
 * the offset stays, so a reader elsewhere can tell. Same languages and errors as formatInstant.
 */
export function formatLongInstant(at: Date, lang: string, timeZone: string): string {
  const locale = localeFor(lang);
  const format = cached(
    `long ${locale} ${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone,
      }),
  );
  return `${format.format(at)} (${utcOffset(at, timeZone)})`;
}

function cached(id: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = formats.get(id);
  if (!format) {
    format = make();
    if (formats.size >= MAX_FORMATS) formats.clear();
    formats.set(id, format);
  }
  return format;
}
