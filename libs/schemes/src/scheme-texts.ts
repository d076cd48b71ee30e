// A scheme's and a level's texts in a reader's language, falling back field by field to the original.
import { canonicalLanguage, matchLanguage, translate, uiLanguageOf } from '@tocsin/i18n';
import { LevelTexts, Scheme, SchemeLevel, SchemeTexts } from './scheme';

/**
 * The translation for `lang` among `translations`: the same tag (`ru-RU`), else its language (`ru`), else
 * any tag of that language (`ru-KZ` for `ru`); undefined when there is none. Tags are matched ignoring case.
 */
export function translationFor<T>(translations: Record<string, T> | undefined, lang: string): T | undefined {
  if (!translations) return undefined;
  const wanted = lang.trim();
  if (!wanted) return undefined;
  const tag = matchLanguage(wanted, Object.keys(translations));
  return tag === null ? undefined : translations[tag];
}

const given = (text: string | undefined): text is string => typeof text === 'string' && text.trim() !== '';

/** The scheme's name, event and description in `lang`, each the original where `lang` has none. */
export function schemeText(
  scheme: Pick<Scheme, 'name' | 'event' | 'description' | 'translations'>,
  lang: string,
): SchemeTexts {
  const t = translationFor(scheme.translations, lang);
  return {
    name: given(t?.name) ? t.name : scheme.name,
    event: given(t?.event) ? t.event : scheme.event,
    description: given(t?.description) ? t.description : scheme.description,
  };
}

/** The level's name, description and measures in `lang`, each the original where `lang` has none. */
export function levelText(
  level: Pick<SchemeLevel, 'name' | 'description' | 'measures' | 'translations'>,
  lang: string,
): LevelTexts {
  const t = translationFor(level.translations, lang);
  return {
    name: given(t?.name) ? t.name : level.name,
    description: given(t?.description) ? t.description : level.description,
    measures: t?.measures?.length ? [...t.measures] : [...level.measures],
  };
}

/** Quotation marks around a colour inside a level's name, «критический («красный»)», read as clutter in a title. */
const QUOTES = /[«»“”„"]/g;

/**
 * The level as a title reads it, `<event>: <level name>` in `lang`: "уровень террористической опасности:
 * критический (красный)", "terrorism threat level: Critical". Emails put the area before it:
 * `Казахстан — ${levelTitle(…)}`. The framing comes from the `common.levelTitle` message of `lang`'s UI
 * language (English for others); the names from the scheme's translations for `lang` itself.
 */
export function levelTitle(
  scheme: Pick<Scheme, 'name' | 'event' | 'description' | 'translations'>,
  level: Pick<SchemeLevel, 'name' | 'description' | 'measures' | 'translations'>,
  lang: string,
): string {
  const name = levelText(level, lang).name.replace(QUOTES, '').replace(/\s+/g, ' ').trim();
  return translate(uiLanguageOf(lang, 'en'), 'common.levelTitle', {
    event: schemeText(scheme, lang).event,
    level: name,
  });
}

/**
 * `current` with `changes` applied by language, tags in canonical form: a language given replaces its texts,
 * a language given null is removed, the others stay. No changes: `current` as it is.
 */
export function mergeTranslations<T extends object>(
  current: Record<string, T> | undefined,
  changes: Record<string, T | null> | undefined,
): Record<string, T> {
  const merged: Record<string, T> = {};
  for (const [tag, texts] of Object.entries(current ?? {})) merged[canonicalLanguage(tag) ?? tag] = texts;
  for (const [tag, texts] of Object.entries(changes ?? {})) {
    const key = canonicalLanguage(tag) ?? tag;
    if (texts === null) delete merged[key];
    else merged[key] = texts;
  }
  return merged;
}
