// `translations` objects, as declarations, schemes and levels take them: keys are BCP 47 tags (stored
// canonical), each value holds only the texts a translation of that thing may carry, bounded as the
// original's are. One rule for all three, so they refuse the same mistakes in the same words.
import { canonicalLanguage } from '@tocsin/i18n';
import { length } from 'class-validator';

export const TAG_MESSAGE = 'must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS';

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The texts a translation holds and their bounds, and its one list of texts if it has one. */
export interface TranslationShape {
  /** What is translated, for messages: `declaration`, `scheme`, `level`. */
  name: string;
  texts: Readonly<Record<string, number>>;
  list?: { field: string; items: number; length: number };
  /** The most languages one thing carries. */
  maxLanguages: number;
  /** Whether the texts are trimmed, as the original's are. */
  trimmed?: boolean;
}

export interface TranslationsRules {
  /** The thing's own language: a translation into it is refused, its texts being the original. */
  original?: string | null;
  /** A language given `null`, which a PATCH reads as "drop this language". */
  removable?: boolean;
}

const fieldsOf = (shape: TranslationShape): string[] => [
  ...Object.keys(shape.texts),
  ...(shape.list ? [shape.list.field] : []),
];

const listed = (fields: string[]) =>
  fields.length > 1 ? `${fields.slice(0, -1).join(', ')} and ${fields.at(-1)}` : fields.join('');

/**
 * Translations with canonical tags, the texts trimmed as the originals are. Anything not plainly right (a
 * key that is no tag, two keys of one language) is left as it came, for the validator to name.
 */
export function toCanonicalTranslations(value: unknown, shape: TranslationShape): unknown {
  if (!isRecord(value) || Object.keys(value).length > shape.maxLanguages) return value;
  const canonical: Record<string, unknown> = {};
  for (const [tag, translation] of Object.entries(value)) {
    const key = canonicalLanguage(tag);
    if (key === null || Object.hasOwn(canonical, key)) return value;
    canonical[key] = isRecord(translation)
      ? Object.fromEntries(
          Object.entries(translation).map(([field, text]) => [
            field,
            shape.trimmed && field in shape.texts && typeof text === 'string' ? text.trim() : text,
          ]),
        )
      : translation;
  }
  return canonical;
}

const lengthProblem = (text: unknown, max: number): string | null =>
  typeof text !== 'string'
    ? 'must be a string'
    : // Counted as the original's @Length counts: a surrogate pair is one character.
      length(text, 1, max)
      ? null
      : `must be 1 to ${max} characters long`;

/** What is wrong with one translation's texts, each naming its field (`ru.headline`). */
function translationProblems(tag: string, translation: unknown, shape: TranslationShape): string[] {
  const fields = fieldsOf(shape);
  if (!isRecord(translation)) return [`${tag} must be an object of ${listed(fields)}`];
  const given = Object.keys(translation);
  if (!given.length) return [`${tag} must have at least one of ${listed(fields)}`];
  const problems = given
    .filter((field) => !fields.includes(field))
    .map((field) => `${tag}.${field} should not exist (a translation has ${listed(fields)})`);
  for (const [field, max] of Object.entries(shape.texts)) {
    if (!(field in translation)) continue;
    const problem = lengthProblem(translation[field], max);
    if (problem) problems.push(`${tag}.${field} ${problem}`);
  }
  const list = shape.list;
  if (list && list.field in translation) {
    const items = translation[list.field];
    if (!Array.isArray(items)) problems.push(`${tag}.${list.field} must be an array of strings`);
    else if (items.length > list.items)
      problems.push(`${tag}.${list.field} must have at most ${list.items} items`);
    else
      items.forEach((item, i) => {
        const problem = lengthProblem(item, list.length);
        if (problem) problems.push(`${tag}.${list.field}.${i} ${problem}`);
      });
  }
  return problems;
}

/** What is wrong with `translations`, each problem naming its place; none when they are right. */
export function translationsProblems(
  translations: unknown,
  shape: TranslationShape,
  rules: TranslationsRules = {},
): string[] {
  if (!isRecord(translations)) return ['must be an object keyed by language tag'];
  const tags = Object.keys(translations);
  if (tags.length > shape.maxLanguages)
    return [`must have at most ${shape.maxLanguages} languages (got ${tags.length})`];
  const original = typeof rules.original === 'string' ? canonicalLanguage(rules.original) : null;
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const tag of tags) {
    const canonical = canonicalLanguage(tag);
    const earlier = canonical === null ? undefined : seen.get(canonical);
    if (canonical === null) problems.push(`key ${JSON.stringify(tag)} ${TAG_MESSAGE}`);
    else if (earlier !== undefined)
      problems.push(`keys ${JSON.stringify(earlier)} and ${JSON.stringify(tag)} name one language`);
    else if (canonical === original)
      problems.push(
        `key ${JSON.stringify(tag)} is the ${shape.name}'s own language, whose texts are the original`,
      );
    else {
      seen.set(canonical, tag);
      if (rules.removable && translations[tag] === null) continue;
      problems.push(...translationProblems(tag, translations[tag], shape));
    }
  }
  return problems;
}
