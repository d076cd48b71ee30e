import {
  type Area,
  LEGACY_AREA_CODES,
  areaCovers,
  areaName,
  areaNames,
  areaNamesLanguage,
  areaOf,
  countryCodeOf,
  countryNames,
  defaultSchemeFor,
  findArea,
  findCountry,
  listAreas,
  localisedArea,
  mainTimeZone,
} from './areas';

/** Kazakhstan's current (2022+) ISO 3166-2 codes. */
const KAZAKHSTAN_SUBDIVISION_CODES = [
  'KZ-10',
  'KZ-11',
  'KZ-15',
  'KZ-19',
  'KZ-23',
  'KZ-27',
  'KZ-31',
  'KZ-33',
  'KZ-35',
  'KZ-39',
  'KZ-43',
  'KZ-47',
  'KZ-55',
  'KZ-59',
  'KZ-61',
  'KZ-62',
  'KZ-63',
  'KZ-71',
  'KZ-75',
  'KZ-79',
];

const codesOf = (areas: Area[]): string[] => areas.map((area) => area.code);

describe('findArea', () => {
  it('returns a country with type country and no parent', () => {
    expect(findArea('KZ')).toEqual({ code: 'KZ', name: 'Kazakhstan', type: 'country', parent: null });
  });

  it('returns a subdivision with type subdivision and its country as parent', () => {
    expect(findArea('KZ-75')).toEqual({ code: 'KZ-75', name: 'Almaty', type: 'subdivision', parent: 'KZ' });
  });

  it.each([
    ['kz', 'KZ'],
    ['Kz', 'KZ'],
    ['kz-75', 'KZ-75'],
    ['  KZ-75  ', 'KZ-75'],
    ['\tgb-eng\n', 'GB-ENG'],
  ])('ignores case and surrounding whitespace: %j finds %s', (input, expectedCode) => {
    expect(findArea(input)?.code).toBe(expectedCode);
  });

  it.each(Object.entries(LEGACY_AREA_CODES))('resolves legacy code %s to %s', (legacyCode, currentCode) => {
    expect(findArea(legacyCode)?.code).toBe(currentCode);
  });

  it.each([
    ['kz-ala', 'KZ-75'],
    [' Kz-Alm ', 'KZ-19'],
  ])('resolves legacy codes case-insensitively: %j finds %s', (input, expectedCode) => {
    expect(findArea(input)?.code).toBe(expectedCode);
  });

  it.each(['XX', 'KZ-99', 'KZ-', '', '   ', '*', 'KAZ', 'constructor', '__proto__'])(
    'returns undefined for the unknown code %j',
    (input) => {
      expect(findArea(input)).toBeUndefined();
    },
  );

  it.each(KAZAKHSTAN_SUBDIVISION_CODES)('knows Kazakh subdivision %s with parent KZ', (code) => {
    expect(findArea(code)).toMatchObject({ code, type: 'subdivision', parent: 'KZ' });
  });

  it('names Almaty city and Almaty Region differently', () => {
    expect(findArea('KZ-75')?.name).toBe('Almaty');
    expect(findArea('KZ-19')?.name).toBe('Almaty Region');
  });

  it('gives a nested subdivision its country, not the enclosing subdivision, as parent', () => {
    // In ISO 3166-2 Bas-Rhin sits in Alsace (FR-6AE), which sits in Grand Est (FR-GES).
    expect(findArea('FR-67')).toMatchObject({ code: 'FR-67', parent: 'FR' });
  });
});

describe('LEGACY_AREA_CODES', () => {
  it.each(Object.entries(LEGACY_AREA_CODES))(
    'maps %s to the existing code %s',
    (_legacyCode, currentCode) => {
      expect(findArea(currentCode)?.code).toBe(currentCode);
    },
  );

  it.each(Object.keys(LEGACY_AREA_CODES))('does not shadow a current code with alias %s', (legacyCode) => {
    expect(listAreas().some((area) => area.code === legacyCode)).toBe(false);
  });
});

describe('listAreas', () => {
  it('lists every country before every subdivision', () => {
    const types = listAreas().map((area) => area.type);
    expect(types.indexOf('subdivision')).toBe(types.lastIndexOf('country') + 1);
  });

  it('sorts countries and subdivisions by code', () => {
    const countryCodes = codesOf(listAreas({ type: 'country' }));
    const subdivisionCodes = codesOf(listAreas({ type: 'subdivision' }));
    expect(countryCodes).toEqual([...countryCodes].sort());
    expect(subdivisionCodes).toEqual([...subdivisionCodes].sort());
  });

  it('lists only countries for type country', () => {
    expect(
      listAreas({ type: 'country' }).every((area) => area.type === 'country' && area.parent === null),
    ).toBe(true);
  });

  it('lists the country and then its subdivisions for a country filter', () => {
    expect(codesOf(listAreas({ country: 'KZ' }))).toEqual(['KZ', ...KAZAKHSTAN_SUBDIVISION_CODES]);
  });

  it('matches the country filter case-insensitively', () => {
    expect(codesOf(listAreas({ country: 'kz' }))).toEqual(codesOf(listAreas({ country: 'KZ' })));
  });

  it('combines the country and type filters', () => {
    expect(codesOf(listAreas({ country: 'KZ', type: 'country' }))).toEqual(['KZ']);
    expect(codesOf(listAreas({ country: 'KZ', type: 'subdivision' }))).toEqual(KAZAKHSTAN_SUBDIVISION_CODES);
  });

  it('includes nested subdivisions under their country', () => {
    expect(codesOf(listAreas({ country: 'FR' }))).toContain('FR-67');
  });

  it.each(['XX', 'KZ-75', ''])('returns an empty list for the non-country filter %j', (country) => {
    expect(listAreas({ country })).toEqual([]);
  });

  it('returns a fresh array each call so callers cannot change the shared list', () => {
    listAreas({ country: 'KZ' }).pop();
    expect(listAreas({ country: 'KZ' })).toHaveLength(1 + KAZAKHSTAN_SUBDIVISION_CODES.length);
  });

  it('gives every subdivision a parent that is a known country', () => {
    const countryCodes = new Set(codesOf(listAreas({ type: 'country' })));
    const orphans = listAreas({ type: 'subdivision' }).filter((area) => !countryCodes.has(area.parent ?? ''));
    expect(orphans).toEqual([]);
  });

  it('starts every subdivision code with its country code and a hyphen', () => {
    const mismatched = listAreas({ type: 'subdivision' }).filter(
      (area) => !area.code.startsWith(`${area.parent}-`),
    );
    expect(mismatched).toEqual([]);
  });

  it('lists each code once', () => {
    const codes = codesOf(listAreas());
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('countryCodeOf', () => {
  it.each([
    ['KZ-75', 'KZ'],
    ['KZ', 'KZ'],
    ['GB-ENG', 'GB'],
    ['FR-69M', 'FR'],
  ])('takes the country code of %s as %s', (code, expectedCountryCode) => {
    expect(countryCodeOf(code)).toBe(expectedCountryCode);
  });
});

describe('areaCovers', () => {
  it.each([
    ['*', 'KZ', true],
    ['*', 'KZ-75', true],
    ['*', 'GB-ENG', true],
    ['KZ', 'KZ', true],
    ['KZ', 'KZ-75', true],
    ['KZ', 'KZ-19', true],
    ['KZ', 'GB', false],
    ['KZ', 'GB-ENG', false],
    ['KZ-75', 'KZ-75', true],
    ['KZ-75', 'KZ', true],
    ['KZ-75', 'KZ-19', false],
    ['KZ-75', 'GB', false],
    ['KZ-75', 'GB-ENG', false],
    ['KZ', '*', false],
    ['KZ-75', '*', false],
  ])('filter %s covers a declaration for %s: %s', (filterCode, areaCode, expected) => {
    expect(areaCovers(filterCode, areaCode)).toBe(expected);
  });

  it('does not resolve aliases, so a legacy filter code does not cover the current code', () => {
    expect(areaCovers('KZ-ALA', 'KZ-75')).toBe(false);
  });

  it('does not treat a country as a prefix of a longer code without a hyphen', () => {
    expect(areaCovers('K', 'KZ')).toBe(false);
  });
});

describe('countryNames', () => {
  it('gives Kazakhstan its English, Kazakh and Russian names', () => {
    expect(countryNames('KZ')).toEqual({ en: 'Kazakhstan', kk: 'Қазақстан', ru: 'Казахстан' });
  });

  it('uses the short official English name rather than the formal ISO name', () => {
    expect(countryNames('GB')?.en).toBe('United Kingdom');
  });

  it('has en, kk and ru names for every country', () => {
    const incomplete = listAreas({ type: 'country' }).filter((country) => {
      const names = countryNames(country.code);
      return !names?.en || !names.kk || !names.ru;
    });
    expect(incomplete).toEqual([]);
  });

  it.each(['KZ-75', 'XX', ''])('returns undefined for the non-country code %j', (code) => {
    expect(countryNames(code)).toBeUndefined();
  });

  it('returns a copy so callers cannot change the shared names', () => {
    const names = countryNames('KZ');
    if (names) names.en = 'changed';
    expect(countryNames('KZ')?.en).toBe('Kazakhstan');
  });
});

describe('defaultSchemeFor', () => {
  it.each([
    ['KZ', 'kz-terror'],
    ['GB', 'uk-terror'],
    ['FR', 'fr-vigipirate'],
    ['NL', 'nl-nctv'],
    ['AU', 'au-nttas'],
    ['US', 'travel-advisory'],
    ['DE', 'travel-advisory'],
    ['XX', 'travel-advisory'],
  ])('uses %s → %s', (countryCode, expectedScheme) => {
    expect(defaultSchemeFor(countryCode)).toBe(expectedScheme);
  });
});

describe('findCountry', () => {
  it('finds a country by its code in any case, never a subdivision', () => {
    expect(findCountry(' kz ')?.code).toBe('KZ');
    expect(findCountry('KZ-75')).toBeUndefined();
    expect(findCountry('XX')).toBeUndefined();
  });
});

describe('areaOf', () => {
  it('names a stored code by its area', () => {
    expect(areaOf('KZ-75')).toEqual({ code: 'KZ-75', name: 'Almaty', type: 'subdivision', parent: 'KZ' });
  });

  it('keeps a retired code as its own name, a subdivision of its country or a country', () => {
    expect(areaOf('KZ-XX')).toEqual({ code: 'KZ-XX', name: 'KZ-XX', type: 'subdivision', parent: 'KZ' });
    expect(areaOf('YU')).toEqual({ code: 'YU', name: 'YU', type: 'country', parent: null });
  });
});

describe('areaName', () => {
  it.each([
    ['KZ', 'en', 'Kazakhstan'],
    ['KZ', 'ru', 'Казахстан'],
    ['KZ', 'kk', 'Қазақстан'],
    ['kz', 'ru-RU', 'Казахстан'],
    ['KZ', 'kk-Cyrl-KZ', 'Қазақстан'],
    ['KZ', 'fr', 'Kazakhstan'],
    ['KZ', 'not a tag', 'Kazakhstan'],
    ['GB', 'en', 'United Kingdom'],
    ['KZ-75', 'en', 'Almaty'],
    ['KZ-ALA', 'en', 'Almaty'],
    ['FR-IDF', 'zz', 'Île-de-France'],
    ['FR-IDF', 'ru', 'Иль-де-Франс'],
    ['KZ-75', 'ru', 'Алматы'],
    ['KZ-19', 'ru', 'Алматинская область'],
    ['KZ-19', 'kk', 'Алматы облысы'],
    ['KZ-ALM', 'kk-KZ', 'Алматы облысы'],
    ['KZ-33', 'ru', 'область Жетісу'],
    ['KZ-62', 'kk', 'Ұлытау облысы'],
    ['KZ-10', 'ru', 'область Абай'],
    ['KZ-71', 'kk', 'Астана'],
    ['GB-SCT', 'kk', 'Шотландия'],
    ['KZ-75', 'fr', 'Almaty'],
    ['XX-99', 'ru', 'XX-99'],
  ])('%s in %j is %j', (code, lang, name) => {
    expect(areaName(code, lang)).toBe(name);
  });
});

describe('subdivision names', () => {
  it.each(KAZAKHSTAN_SUBDIVISION_CODES)('%s has its official Kazakh and Russian names', (code) => {
    const names = areaNames(code)!;
    expect(names.kk).toMatch(/[\u0400-\u04ff]/);
    expect(names.ru).toMatch(/[\u0400-\u04ff]/);
  });

  it('gives no subdivision a name in Latin letters for Russian or Kazakh', () => {
    const latin = listAreas({ type: 'subdivision' }).filter(({ code }) => {
      const names = areaNames(code)!;
      return [names.ru, names.kk].some((name) => name !== undefined && !/[\u0400-\u04ff]/.test(name));
    });
    expect(latin).toEqual([]);
  });
});

describe('areaNamesLanguage', () => {
  it.each([
    ['ru', 'ru'],
    ['ru-RU', 'ru'],
    ['kk-Cyrl-KZ', 'kk'],
    ['en-GB', 'en'],
    ['fr', 'en'],
    ['', 'en'],
  ])('%j → %j', (lang, expected) => {
    expect(areaNamesLanguage(lang)).toBe(expected);
  });
});

describe('localisedArea', () => {
  it('renames the area and keeps the rest', () => {
    const kz = findArea('KZ')!;
    expect(localisedArea(kz, 'ru')).toEqual({ ...kz, name: 'Казахстан' });
    expect(localisedArea(kz, 'en')).toBe(kz);
  });
});

describe('areaNames', () => {
  it('gives English and what else the snapshot has; undefined for no area', () => {
    expect(areaNames('KZ')).toEqual({ en: 'Kazakhstan', kk: 'Қазақстан', ru: 'Казахстан' });
    expect(areaNames('KZ-75')).toEqual({ en: 'Almaty', kk: 'Алматы', ru: 'Алматы' });
    expect(areaNames('FR-IDF')).toEqual({ en: 'Île-de-France', ru: 'Иль-де-Франс' });
    expect(areaNames('XX')).toBeUndefined();
  });
});

describe('mainTimeZone', () => {
  it.each([
    ['KZ', 'Asia/Almaty'],
    ['KZ-75', 'Asia/Almaty'],
    ['KZ-23', 'Asia/Almaty'],
    ['kz-ala', 'Asia/Almaty'],
    ['GB', 'Europe/London'],
    ['GB-ENG', 'Europe/London'],
    ['FR', 'Europe/Paris'],
    ['NL', 'Europe/Amsterdam'],
    ['NO', 'Europe/Oslo'],
    ['US', 'America/New_York'],
    ['RU', 'Europe/Moscow'],
    ['AU', 'Australia/Sydney'],
    ['CN', 'Asia/Shanghai'],
    ['UA', 'Europe/Kyiv'],
    ['XX', 'UTC'],
  ])('%s → %s', (code, zone) => {
    expect(mainTimeZone(code)).toBe(zone);
  });

  it('gives every country a zone Intl knows', () => {
    const unknown = listAreas({ type: 'country' })
      .map(({ code }) => [code, mainTimeZone(code)])
      .filter(([, zone]) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return false;
        } catch {
          return true;
        }
      });
    expect(unknown).toEqual([]);
  });
});
