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
  const id = `${locale} ${timeZone}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'longOffset',
    });
    if (formats.size >= MAX_FORMATS) formats.clear();
    formats.set(id, format);
  }
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
