import { BUILTIN_SCHEMES } from './builtin-schemes';
import { CAP_SEVERITIES } from './scheme';

const CODE_RE = /^[a-z0-9-]+$/;
const COLOR_RE = /^#[0-9a-fA-F]{6}$/;

describe('BUILTIN_SCHEMES', () => {
  it('contains the six expected schemes', () => {
    const ids = BUILTIN_SCHEMES.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'kz-terror',
        'uk-terror',
        'fr-vigipirate',
        'nl-nctv',
        'au-nttas',
        'travel-advisory',
      ]),
    );
  });

  it('has unique ids matching [a-z0-9-]+', () => {
    const ids = BUILTIN_SCHEMES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(CODE_RE);
    }
  });

  describe.each(BUILTIN_SCHEMES.map((s) => [s.id, s] as const))('%s', (_id, scheme) => {
    it('has a name, event, description and authority', () => {
      expect(scheme.name.trim()).not.toBe('');
      expect(scheme.event.trim()).not.toBe('');
      expect(scheme.description.trim()).not.toBe('');
      expect(scheme.authority.trim()).not.toBe('');
      if (scheme.country !== null) {
        expect(scheme.country).toMatch(/^[A-Z]{2}$/);
      }
    });

    it('has ranks exactly 1..n in order', () => {
      expect(scheme.levels.length).toBeGreaterThan(0);
      expect(scheme.levels.map((l) => l.rank)).toEqual(scheme.levels.map((_l, i) => i + 1));
    });

    it('has unique level codes matching [a-z0-9-]+', () => {
      const codes = scheme.levels.map((l) => l.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of codes) {
        expect(code).toMatch(CODE_RE);
      }
    });

    it('has colours that are null or #rrggbb', () => {
      for (const level of scheme.levels) {
        if (level.color !== null) {
          expect(level.color).toMatch(COLOR_RE);
        }
      }
    });

    it('maps every level to a CAP severity', () => {
      for (const level of scheme.levels) {
        expect(CAP_SEVERITIES).toContain(level.capSeverity);
      }
    });

    it('gives every level a name, a non-empty description and at least one measure', () => {
      for (const level of scheme.levels) {
        expect(level.name.trim()).not.toBe('');
        expect(level.description.trim()).not.toBe('');
        expect(level.measures.length).toBeGreaterThanOrEqual(1);
        for (const measure of level.measures) {
          expect(measure.trim()).not.toBe('');
        }
      }
    });

    it('maps the top level to Extreme', () => {
      expect(scheme.levels[scheme.levels.length - 1]?.capSeverity).toBe('Extreme');
    });
  });

  it("describes Kazakhstan's levels as yellow Moderate, orange High, red Critical", () => {
    const kz = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror');
    expect(kz).toBeDefined();
    expect(kz?.country).toBe('KZ');
    expect(kz?.levels.map((l) => [l.code, l.rank, l.name])).toEqual([
      ['yellow', 1, 'Moderate'],
      ['orange', 2, 'High'],
      ['red', 3, 'Critical'],
    ]);
  });
});

describe('BUILTIN_SCHEMES translations', () => {
  const expected: [string, string[]][] = [
    ['kz-terror', ['ru', 'kk']],
    ['fr-vigipirate', ['fr']],
    ['nl-nctv', ['nl']],
    ['uk-terror', []],
    ['au-nttas', []],
    ['travel-advisory', []],
  ];

  it.each(expected)('%s is translated into %j, the scheme and every level in full', (id, languages) => {
    const scheme = BUILTIN_SCHEMES.find((s) => s.id === id)!;
    expect(Object.keys(scheme.translations ?? {})).toEqual(languages);
    for (const lang of languages) {
      const texts = scheme.translations![lang];
      expect([texts.name, texts.event, texts.description].every((t) => t && t.trim() !== '')).toBe(true);
      for (const level of scheme.levels) {
        const translation = level.translations?.[lang];
        expect(translation?.name?.trim()).toBeTruthy();
        expect(translation?.description?.trim()).toBeTruthy();
        expect(translation?.measures).toHaveLength(level.measures.length);
      }
    }
  });

  it('names the kz-terror levels as Decree No. 611 does', () => {
    const kz = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror')!;
    expect(
      kz.levels.map((l) => [l.code, l.name, l.translations?.ru?.name, l.translations?.kk?.name]),
    ).toEqual([
      ['yellow', 'Moderate', 'умеренный («желтый»)', 'қалыпты («сары»)'],
      ['orange', 'High', 'высокий («оранжевый»)', 'жоғары («қызғылт сары»)'],
      ['red', 'Critical', 'критический («красный»)', 'қатерлі («қызыл»)'],
    ]);
  });

  it('uses the official French and Dutch level names', () => {
    const names = (id: string, lang: string) =>
      BUILTIN_SCHEMES.find((s) => s.id === id)!.levels.map((l) => l.translations?.[lang]?.name);
    expect(names('fr-vigipirate', 'fr')).toEqual([
      'Vigilance',
      'Sécurité renforcée – risque attentat',
      'Urgence attentat',
    ]);
    expect(names('nl-nctv', 'nl')).toEqual(['Minimaal', 'Beperkt', 'Aanzienlijk', 'Substantieel', 'Kritiek']);
  });
});
