// Builds libs/areas/src/areas.data.json: ISO 3166-1 countries and ISO 3166-2 subdivisions (iso-3166),
// with country names in English, Kazakh and Russian (i18n-iso-countries) and subdivision names in Kazakh and
// Russian where a source has them (see SUBDIVISION_NAME_SOURCES below). Run: npm run areas:generate.
// The output is deterministic (sorted by code, source versions instead of a timestamp) so that
// regenerating without a package upgrade produces no diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { URL, fileURLToPath } from 'node:url';
import { iso31661, iso31662 } from 'iso-3166';

const require = createRequire(import.meta.url);
const i18nCountries = require('i18n-iso-countries');

const LOCALES = ['en', 'kk', 'ru'];
for (const locale of LOCALES)
  i18nCountries.registerLocale(require(`i18n-iso-countries/langs/${locale}.json`));

const OUTPUT_PATH = fileURLToPath(new URL('../libs/areas/src/areas.data.json', import.meta.url));
const readJson = (relative) => JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8'));
const LEGACY_AREA_CODES = readJson('../libs/areas/src/legacy-area-codes.json');
const KZ_AREA_NAMES = readJson('./data/kz-area-names.json');

/** Languages other than English that subdivisions get names in. */
const SUBDIVISION_LOCALES = ['kk', 'ru'];

// ISO 3166-2 gives Kazakhstan's subdivisions as Kazakh romanisations ("Aqmola oblysy", "Atyraū") and calls
// both KZ-19 (the region) and KZ-75 (the city) just "Almaty". Tocsin is Kazakhstan-first, so we use the
// conventional English names the government uses (gov.kz), with "Region" marking the oblasts so the two
// Almatys can be told apart. Every current (2022+) code is listed, so a package missing one still yields it.
const KAZAKHSTAN_SUBDIVISIONS = {
  'KZ-10': 'Abai Region',
  'KZ-11': 'Akmola Region',
  'KZ-15': 'Aktobe Region',
  'KZ-19': 'Almaty Region',
  'KZ-23': 'Atyrau Region',
  'KZ-27': 'West Kazakhstan Region',
  'KZ-31': 'Zhambyl Region',
  'KZ-33': 'Jetisu Region',
  'KZ-35': 'Karaganda Region',
  'KZ-39': 'Kostanay Region',
  'KZ-43': 'Kyzylorda Region',
  'KZ-47': 'Mangystau Region',
  'KZ-55': 'Pavlodar Region',
  'KZ-59': 'North Kazakhstan Region',
  'KZ-61': 'Turkistan Region',
  'KZ-62': 'Ulytau Region',
  'KZ-63': 'East Kazakhstan Region',
  'KZ-71': 'Astana',
  'KZ-75': 'Almaty',
  'KZ-79': 'Shymkent',
};

/** Plain code-unit comparison, so the order does not depend on the machine's locale. */
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function fail(message) {
  throw new Error(`generate-areas: ${message}`);
}

function buildCountries() {
  return iso31661
    .map((entry) => {
      const code = entry.alpha2;
      const names = {};
      for (const locale of LOCALES) {
        const name = i18nCountries.getName(code, locale, { select: 'official' });
        if (name) names[locale] = name;
      }
      // i18n-iso-countries' official short name reads better ("United Kingdom") than ISO's formal one.
      names.en ??= entry.name;
      return { code, name: names.en, names };
    })
    .sort(byCode);
}

function buildSubdivisions(countryCodes) {
  const patched = new Map(
    iso31662
      .filter(({ code }) => !(code in KAZAKHSTAN_SUBDIVISIONS))
      .map((entry) => [entry.code, { code: entry.code, name: entry.name, parent: entry.parent }]),
  );
  for (const [code, name] of Object.entries(KAZAKHSTAN_SUBDIVISIONS))
    patched.set(code, { code, name, parent: 'KZ' });

  // iso-3166 nests some subdivisions (FR departments under regions, FR-67 under FR-6AE under FR-GES):
  // walk up to the country and keep the immediate parent subdivision as `within`.
  const countryOf = (code, seen = new Set()) => {
    const entry = patched.get(code);
    if (!entry) fail(`unknown parent subdivision ${code}`);
    if (seen.has(code)) fail(`parent cycle at ${code}`);
    seen.add(code);
    return countryCodes.has(entry.parent) ? entry.parent : countryOf(entry.parent, seen);
  };

  return [...patched.values()]
    .map(({ code, name, parent }) => {
      if (code !== code.toUpperCase()) fail(`subdivision code ${code} is not upper case`);
      if (countryCodes.has(parent)) return { code, name, parent };
      return { code, name, parent: countryOf(code), within: parent };
    })
    .sort(byCode);
}

// Subdivision names, combined per language, the first source that has a name winning:
// 1. the curated Kazakhstan list (scripts/data/kz-area-names.json): the official names, which the others
//    lack (CLDR) or give for the pre-2022 codes and regions (iso3166-2-db);
// 2. CLDR's subdivision names (cldr-subdivisions-full), though for kk and ru CLDR holds only England,
//    Scotland and Wales;
// 3. iso3166-2-db's Russian names (MIT), keyed by ISO 3166-2 codes of its time: retired codes go through
//    LEGACY_AREA_CODES, and a name without a Cyrillic letter is an untranslated one and is left out.
const CYRILLIC = /[\u0400-\u04ff]/;

function cldrNames(locale) {
  const file = require(`cldr-subdivisions-full/subdivisions/${locale}/${locale}.json`);
  return file.subdivisions.localeDisplayNames.subdivisions; // keys like "gbeng": lower case, no hyphen
}

function isoDbNames(locale) {
  const byCode = new Map();
  for (const [country, { regions }] of Object.entries(require(`iso3166-2-db/i18n/${locale}.json`))) {
    for (const { iso, name } of regions) {
      const code = `${country}-${iso}`.toUpperCase();
      byCode.set(LEGACY_AREA_CODES[code] ?? code, name);
    }
  }
  return byCode;
}

function subdivisionNames(codes) {
  const names = new Map(codes.map((code) => [code, {}]));
  for (const locale of SUBDIVISION_LOCALES) {
    const cldr = cldrNames(locale);
    const isoDb = locale === 'ru' ? isoDbNames(locale) : new Map();
    for (const code of codes) {
      const candidates = [
        KZ_AREA_NAMES.names[code]?.[locale],
        cldr[code.toLowerCase().replace('-', '')],
        isoDb.get(code),
      ];
      const name = candidates.find((text) => typeof text === 'string' && CYRILLIC.test(text));
      if (name) names.get(code)[locale] = name.trim();
    }
  }
  for (const code of Object.keys(KZ_AREA_NAMES.names)) {
    if (!names.has(code)) fail(`kz-area-names.json names ${code}, which is no current subdivision`);
    for (const locale of SUBDIVISION_LOCALES)
      if (!names.get(code)[locale]) fail(`kz-area-names.json lacks the ${locale} name of ${code}`);
  }
  return names;
}

const countries = buildCountries();
const countryCodes = new Set(countries.map(({ code }) => code));
const subdivisions = buildSubdivisions(countryCodes);
for (const { code, parent } of subdivisions) {
  if (!code.startsWith(`${parent}-`)) fail(`subdivision ${code} does not start with its country ${parent}`);
}

const names = subdivisionNames(subdivisions.map(({ code }) => code));
for (const subdivision of subdivisions) {
  const localised = names.get(subdivision.code);
  if (Object.keys(localised).length) subdivision.names = localised;
}

const data = {
  source: {
    'iso-3166': require('iso-3166/package.json').version,
    'i18n-iso-countries': require('i18n-iso-countries/package.json').version,
    'cldr-subdivisions-full': `${require('cldr-subdivisions-full/package.json').version} (Unicode-3.0)`,
    'iso3166-2-db': `${require('iso3166-2-db/package.json').version} (MIT, Russian names)`,
    'kz-area-names': 'scripts/data/kz-area-names.json',
  },
  countries,
  subdivisions,
};

// One area per line: still compact, but a package upgrade shows up as a readable diff.
const list = (items) => `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]`;
const json = `{"source":${JSON.stringify(data.source)},\n"countries":${list(countries)},\n"subdivisions":${list(subdivisions)}}\n`;
JSON.parse(json); // guard against a formatting slip producing invalid JSON
writeFileSync(OUTPUT_PATH, json);
const named = (locale) => subdivisions.filter((s) => s.names?.[locale]).length;
console.log(
  `areas.data.json: ${countries.length} countries, ${subdivisions.length} subdivisions ` +
    `(${SUBDIVISION_LOCALES.map((locale) => `${named(locale)} named in ${locale}`).join(', ')})`,
);
