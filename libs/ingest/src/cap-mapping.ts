// A parsed CAP alert to the one declaration Tocsin publishes for it, by a source's rules (DESIGN.md §5.3):
// which level, which areas, which texts in which languages. Pure; every refusal is a reason, never a throw.
import { findArea } from '@tocsin/areas';
import { canonicalLanguage } from '@tocsin/i18n';
import { CapAlert, CapArea, CapInfo, Parsed } from './cap-document';

export interface LevelRule {
  level: string;
  severity?: string;
  event?: string;
  parameterName?: string;
  parameterValue?: string;
}
export interface SourceMapping {
  levelRules: LevelRule[];
  /** Other geocodes by "valueName=value" (e.g. "EMMA_ID=NL007") to a Tocsin area code. */
  areaMap: Record<string, string>;
  defaultAreas: string[];
}
export interface MappedDeclaration {
  level: string;
  /** Canonical Tocsin area codes. */
  areas: string[];
  headline: string;
  summary: string;
  measures: string[];
  language: string;
  translations: Record<string, { headline?: string; summary?: string; measures?: string[] }>;
  /** null = now. */
  effectiveAt: Date | null;
  expiresAt: Date | null;
  authority: string;
  sourceUrl: string | null;
}

/** CAP's dateTime, with the offset it requires (and the `Z` many publishers write although the schema refuses it). */
const CAP_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;

/** One declaration for the alert (its infos' languages become translations; the first info is the original). */
export function mapCapAlert(alert: CapAlert, mapping: SourceMapping): Parsed<MappedDeclaration> {
  const [first, ...others] = alert.infos;
  if (!first)
    return { ok: false, reason: `the ${alert.msgType} has no <info> to take a level and areas from` };
  const rule = mapping.levelRules.find((candidate) => ruleMatches(candidate, first));
  if (!rule) {
    return {
      ok: false,
      reason: `no level rule matches severity=${first.severity}, event=${JSON.stringify(first.event)}`,
    };
  }
  const areas = areasOf(first.areas, mapping);
  if (!areas.ok) return areas;
  const language = languageOf(first);
  if (!language.ok) return language;
  const effectiveAt = instantOf(first, 'effective');
  if (!effectiveAt.ok) return effectiveAt;
  const onsetAt = instantOf(first, 'onset');
  if (!onsetAt.ok) return onsetAt;
  const expiresAt = instantOf(first, 'expires');
  if (!expiresAt.ok) return expiresAt;
  const startsAt = effectiveAt.value ?? onsetAt.value;
  if (startsAt && expiresAt.value && expiresAt.value <= startsAt) {
    return {
      ok: false,
      reason: `the alert expires (${first.expires}) before it takes effect (${first.effective ?? first.onset})`,
    };
  }
  // Infos in the original's language again (one per area or severity, say) add nothing to translate.
  const translations: MappedDeclaration['translations'] = {};
  for (const info of others) {
    const tag = languageOf(info);
    if (!tag.ok) return tag;
    if (tag.value === language.value || Object.hasOwn(translations, tag.value)) continue;
    const texts = textsOf(info);
    translations[tag.value] = {
      headline: texts.headline,
      summary: texts.summary,
      ...(texts.measures.length ? { measures: texts.measures } : {}),
    };
  }
  return {
    ok: true,
    value: {
      level: rule.level,
      areas: areas.value,
      ...textsOf(first),
      language: language.value,
      translations,
      effectiveAt: startsAt,
      expiresAt: expiresAt.value,
      authority: first.senderName ?? alert.sender,
      sourceUrl: httpUrl(first.web),
    },
  };
}

/** Every field the rule gives equals the info's (ignoring case and surrounding spaces); a rule of none matches all. */
export function ruleMatches(rule: LevelRule, info: CapInfo): boolean {
  const same = (expected: string | undefined, actual: string): boolean =>
    expected === undefined || expected.trim().toLowerCase() === actual.trim().toLowerCase();
  const parameterMatches =
    rule.parameterName === undefined && rule.parameterValue === undefined
      ? true
      : info.parameters.some(
          (p) => same(rule.parameterName, p.valueName) && same(rule.parameterValue, p.value),
        );
  return same(rule.severity, info.severity) && same(rule.event, info.event) && parameterMatches;
}

/** "ISO3166-2", "ISO 3166-2", "iso3166_2", "ISO-3166-1"…: the spellings publishers use for ISO area codes. */
export function isIsoGeocodeName(valueName: string): boolean {
  return /^iso3166[12]?(alpha2)?$/.test(valueName.toLowerCase().replace(/[\s_:.-]/g, ''));
}

function areasOf(areas: CapArea[], mapping: SourceMapping): Parsed<string[]> {
  const codes: string[] = [];
  const unmapped: string[] = [];
  for (const geocode of areas.flatMap((area) => area.geocodes)) {
    const key = `${geocode.valueName}=${geocode.value}`;
    const iso = isIsoGeocodeName(geocode.valueName) ? findArea(geocode.value)?.code : undefined;
    const mapped = Object.hasOwn(mapping.areaMap, key) ? mapping.areaMap[key] : undefined;
    if (iso) {
      codes.push(iso);
    } else if (mapped !== undefined) {
      const code = findArea(mapped)?.code;
      if (!code)
        return {
          ok: false,
          reason: `the source's areaMap maps ${key} to ${JSON.stringify(mapped)}, which is no area`,
        };
      codes.push(code);
    } else {
      unmapped.push(key);
    }
  }
  if (!codes.length) {
    for (const input of mapping.defaultAreas) {
      const code = findArea(input)?.code;
      if (!code)
        return {
          ok: false,
          reason: `the source's defaultAreas hold ${JSON.stringify(input)}, which is no area`,
        };
      codes.push(code);
    }
  }
  if (!codes.length) {
    const seen = unmapped.length ? `geocodes ${unmapped.join(', ')}` : 'no geocodes';
    return {
      ok: false,
      reason: `no area of the alert maps to a Tocsin area (${seen}; no ISO 3166 code, areaMap entry or defaultAreas)`,
    };
  }
  return { ok: true, value: [...new Set(codes)] };
}

function languageOf(info: CapInfo): Parsed<string> {
  // en_US is a common misspelling of en-US in feeds; canonicalLanguage refuses it.
  const tag = canonicalLanguage(info.language) ?? canonicalLanguage(info.language.replace(/_/g, '-'));
  return tag
    ? { ok: true, value: tag }
    : { ok: false, reason: `<language> ${JSON.stringify(info.language)} is no BCP 47 tag` };
}

function instantOf(info: CapInfo, field: 'effective' | 'onset' | 'expires'): Parsed<Date | null> {
  const text = info[field];
  if (text === null) return { ok: true, value: null };
  const time = CAP_TIMESTAMP.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(time)) {
    return {
      ok: false,
      reason: `<${field}> ${JSON.stringify(text)} is not a timestamp like 2026-01-05T10:00:00+05:00`,
    };
  }
  return { ok: true, value: new Date(time) };
}

function textsOf(info: CapInfo): { headline: string; summary: string; measures: string[] } {
  const headline = info.headline ?? info.event;
  return {
    headline,
    summary: info.description ?? headline,
    measures: (info.instruction ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

function httpUrl(text: string | null): string | null {
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
