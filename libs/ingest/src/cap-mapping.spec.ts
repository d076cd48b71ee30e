import { CapAlert, CapInfo, parseCapAlert } from './cap-document';
import { isIsoGeocodeName, mapCapAlert, MappedDeclaration, ruleMatches, SourceMapping } from './cap-mapping';
import { readFixture } from './testing/fixtures';

const fixture = (name: string): CapAlert => {
  const parsed = parseCapAlert(readFixture(name), { maxBytes: 1_000_000 });
  if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
  return parsed.value;
};
const kzTerror: SourceMapping = {
  levelRules: [
    { level: 'red', parameterName: 'threatLevel', parameterValue: 'red' },
    { level: 'orange', parameterName: 'threatLevel', parameterValue: 'orange' },
    { level: 'yellow', parameterName: 'threatLevel', parameterValue: 'yellow' },
    { level: 'yellow', severity: 'Severe' },
  ],
  areaMap: {},
  defaultAreas: [],
};
const mapped = (alert: CapAlert, mapping: SourceMapping): MappedDeclaration => {
  const result = mapCapAlert(alert, mapping);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
};
const info = (overrides: Partial<CapInfo> = {}): CapInfo => ({
  language: 'en-US',
  event: 'Threat level',
  severity: 'Severe',
  urgency: 'Immediate',
  certainty: 'Likely',
  headline: null,
  description: null,
  instruction: null,
  senderName: null,
  web: null,
  effective: null,
  onset: null,
  expires: null,
  parameters: [],
  areas: [{ areaDesc: 'Kazakhstan', geocodes: [{ valueName: 'ISO3166-1', value: 'KZ' }] }],
  ...overrides,
});
const alertOf = (...infos: CapInfo[]): CapAlert => ({
  version: '1.2',
  identifier: 'A-1',
  sender: 'alerts@example.kz',
  sent: '2026-01-05T09:30:00+05:00',
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  references: [],
  infos,
});

describe('mapCapAlert', () => {
  it('maps the Kazakh alert: kk original, ru translation, ISO 3166-2 codes (the retired KZ-ALA too), offsets honoured', () => {
    expect(mapped(fixture('kz-alert.cap.xml'), kzTerror)).toEqual({
      level: 'yellow',
      areas: ['KZ-75', 'KZ-19'],
      headline: 'Алматы қаласында «сары» деңгей',
      summary: 'Алматы қаласында террористік қауіптің «сары» деңгейі енгізілді.',
      measures: ['Сақ болыңыз.', 'Күдікті заттар туралы 102 нөміріне хабарлаңыз.'],
      language: 'kk-KZ',
      translations: {
        'ru-KZ': {
          headline: '«Жёлтый» уровень в городе Алматы',
          summary: 'В городе Алматы введён «жёлтый» уровень террористической опасности.',
          measures: ['Будьте бдительны.', 'О подозрительных предметах сообщайте по номеру 102.'],
        },
      },
      effectiveAt: new Date('2026-01-05T05:00:00Z'),
      expiresAt: new Date('2026-01-19T05:00:00Z'),
      authority: 'ҚР Терроризмге қарсы орталығы',
      sourceUrl: 'https://antiterror.gov.kz/levels',
    });
  });

  it('maps the Update to its own level (the first matching rule: orange by parameter)', () => {
    const declaration = mapped(fixture('kz-update.cap.xml'), kzTerror);
    expect([declaration.level, declaration.effectiveAt]).toEqual([
      'orange',
      new Date('2026-01-08T07:00:00Z'),
    ]);
  });

  it('maps CAP 1.1 with an ISO 3166-1 geocode, no language (en-US), the sender as authority when no senderName', () => {
    const declaration = mapped(fixture('cap-1.1-alert.cap.xml'), {
      levelRules: [{ level: 'severe', severity: 'Extreme', event: 'National terrorism threat level' }],
      areaMap: {},
      defaultAreas: [],
    });
    expect(declaration).toMatchObject({
      level: 'severe',
      areas: ['GB'],
      language: 'en-US',
      translations: {},
      headline: 'The UK threat level is SEVERE',
      summary: 'An attack is highly likely.',
      measures: [],
      effectiveAt: new Date('2025-03-01T09:00:00Z'),
      expiresAt: null,
      authority: 'alerts@homeoffice.example.gov.uk',
      sourceUrl: null,
    });
  });

  it('maps EMMA_ID geocodes through the areaMap, onset as effectiveAt, nl original with an en translation', () => {
    const declaration = mapped(fixture('emma-id-alert.cap.xml'), {
      levelRules: [{ level: 'substantial', severity: 'moderate' }],
      areaMap: { 'EMMA_ID=NL007': 'nl-nh' },
      defaultAreas: ['NL'],
    });
    expect(declaration).toMatchObject({
      level: 'substantial',
      areas: ['NL-NH'],
      language: 'nl-NL',
      headline: 'Dreigingsniveau 4 (substantieel)',
      summary: 'Dreigingsniveau 4 (substantieel)',
      translations: {
        'en-GB': { headline: 'Threat level 4 (substantial)', summary: 'Threat level 4 (substantial)' },
      },
      effectiveAt: new Date('2026-03-01T12:00:00Z'),
      expiresAt: new Date('2026-03-30T23:00:00Z'),
      authority: 'NCTV',
    });
  });

  it('falls back to the defaultAreas when no geocode maps', () => {
    const declaration = mapped(fixture('emma-id-alert.cap.xml'), {
      levelRules: [{ level: 'substantial' }],
      areaMap: {},
      defaultAreas: ['nl'],
    });
    expect(declaration.areas).toEqual(['NL']);
  });

  it.each<[string, CapAlert, SourceMapping, string]>([
    [
      'no rule matches',
      fixture('no-rule.cap.xml'),
      kzTerror,
      'no level rule matches severity=Minor, event="Сильный ветер"',
    ],
    [
      'no area maps and there are no defaultAreas',
      fixture('unmappable-area.cap.xml'),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] },
      'no area of the alert maps to a Tocsin area (geocodes FIPS6=006109; no ISO 3166 code, areaMap entry or defaultAreas)',
    ],
    [
      'an alert without areas',
      alertOf(info({ areas: [] })),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] },
      'no area of the alert maps to a Tocsin area (no geocodes; no ISO 3166 code, areaMap entry or defaultAreas)',
    ],
    [
      'an unknown ISO code',
      alertOf(info({ areas: [{ areaDesc: 'x', geocodes: [{ valueName: 'ISO 3166-2', value: 'KZ-99' }] }] })),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] },
      'no area of the alert maps to a Tocsin area (geocodes ISO 3166-2=KZ-99; no ISO 3166 code, areaMap entry or defaultAreas)',
    ],
    [
      'an areaMap entry naming no area',
      fixture('emma-id-alert.cap.xml'),
      { levelRules: [{ level: 'red' }], areaMap: { 'EMMA_ID=NL007': 'XX-1' }, defaultAreas: [] },
      'the source\'s areaMap maps EMMA_ID=NL007 to "XX-1", which is no area',
    ],
    [
      'a defaultAreas entry naming no area',
      fixture('unmappable-area.cap.xml'),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: ['Atlantis'] },
      'the source\'s defaultAreas hold "Atlantis", which is no area',
    ],
    [
      'a Cancel without info',
      fixture('kz-cancel.cap.xml'),
      kzTerror,
      'the Cancel has no <info> to take a level and areas from',
    ],
    [
      'a timestamp without offset',
      alertOf(info({ expires: '2026-01-19T10:00:00' })),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] },
      '<expires> "2026-01-19T10:00:00" is not a timestamp like 2026-01-05T10:00:00+05:00',
    ],
    [
      'a timestamp that is no date',
      alertOf(info({ effective: '2026-02-31T10:00:00+05:00x' })),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] },
      '<effective> "2026-02-31T10:00:00+05:00x" is not a timestamp like 2026-01-05T10:00:00+05:00',
    ],
    [
      'expiry before effect',
      alertOf(info({ effective: '2026-01-05T10:00:00+05:00', expires: '2026-01-05T04:00:00+00:00' })),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] },
      'the alert expires (2026-01-05T04:00:00+00:00) before it takes effect (2026-01-05T10:00:00+05:00)',
    ],
    [
      'a language that is no tag',
      alertOf(info({ language: 'english!' })),
      { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] },
      '<language> "english!" is no BCP 47 tag',
    ],
  ])('refuses %s', (_name, alert, mapping, reason) => {
    expect(mapCapAlert(alert, mapping)).toEqual({ ok: false, reason });
  });

  it.each<[string, string, string]>([
    ['offset +05:00', '2026-01-05T10:00:00+05:00', '2026-01-05T05:00:00.000Z'],
    ['offset -00:00 (UTC as CAP writes it)', '2026-01-05T10:00:00-00:00', '2026-01-05T10:00:00.000Z'],
    ['offset -07:00', '2003-06-11T22:39:00-07:00', '2003-06-12T05:39:00.000Z'],
    ['a trailing Z', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000Z'],
    ['fractional seconds', '2026-01-05T10:00:00.250+06:00', '2026-01-05T04:00:00.250Z'],
  ])('reads a timestamp with %s', (_name, text, iso) => {
    const declaration = mapped(alertOf(info({ effective: text })), {
      levelRules: [{ level: 'red' }],
      areaMap: {},
      defaultAreas: [],
    });
    expect(declaration.effectiveAt?.toISOString()).toBe(iso);
  });

  it('prefers <effective> to <onset>, and leaves effectiveAt null (now) when neither is given', () => {
    const mapping: SourceMapping = { levelRules: [{ level: 'red' }], areaMap: {}, defaultAreas: [] };
    const both = mapped(
      alertOf(info({ effective: '2026-01-01T00:00:00+00:00', onset: '2026-01-02T00:00:00+00:00' })),
      mapping,
    );
    expect(both.effectiveAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(mapped(alertOf(info()), mapping).effectiveAt).toBeNull();
  });

  it('takes level and areas from the first info when infos disagree, and one translation per language', () => {
    const first = info({ language: 'ru', severity: 'Severe', headline: 'Первый' });
    const other = info({
      language: 'kk',
      severity: 'Extreme',
      headline: 'Екінші',
      areas: [{ areaDesc: 'Astana', geocodes: [{ valueName: 'ISO 3166-2', value: 'KZ-71' }] }],
    });
    const again = info({ language: 'kk', headline: 'Үшінші' });
    const sameAsOriginal = info({ language: 'ru-ru', headline: 'Снова' });
    const declaration = mapped(alertOf(first, other, again, sameAsOriginal), {
      levelRules: [
        { level: 'red', severity: 'Extreme' },
        { level: 'orange', severity: 'Severe' },
      ],
      areaMap: {},
      defaultAreas: [],
    });
    expect([declaration.level, declaration.areas, declaration.headline]).toEqual([
      'orange',
      ['KZ'],
      'Первый',
    ]);
    expect(declaration.translations).toEqual({
      kk: { headline: 'Екінші', summary: 'Екінші' },
      'ru-RU': { headline: 'Снова', summary: 'Снова' },
    });
  });

  it('canonicalises languages (en_us → en-US) and drops a <web> that is not http(s)', () => {
    const declaration = mapped(alertOf(info({ language: 'en_us', web: 'javascript:alert(1)' })), {
      levelRules: [{ level: 'red' }],
      areaMap: {},
      defaultAreas: [],
    });
    expect([declaration.language, declaration.sourceUrl]).toEqual(['en-US', null]);
  });

  it('takes headline from <event> and summary from headline when absent; measures are the non-blank instruction lines', () => {
    const declaration = mapped(alertOf(info({ instruction: '  Stay inside.\r\n\r\n  Call 102.  \n' })), {
      levelRules: [{ level: 'red' }],
      areaMap: {},
      defaultAreas: [],
    });
    expect([declaration.headline, declaration.summary, declaration.measures]).toEqual([
      'Threat level',
      'Threat level',
      ['Stay inside.', 'Call 102.'],
    ]);
  });

  it('dedupes areas, and maps the same area named twice once', () => {
    const declaration = mapped(
      alertOf(
        info({
          areas: [
            {
              areaDesc: 'a',
              geocodes: [
                { valueName: 'ISO3166-2', value: 'KZ-ALA' },
                { valueName: 'ISO3166-2', value: 'KZ-75' },
              ],
            },
            {
              areaDesc: 'b',
              geocodes: [
                { valueName: 'EMMA_ID', value: 'KZ001' },
                { valueName: 'FIPS6', value: '1' },
              ],
            },
          ],
        }),
      ),
      { levelRules: [{ level: 'red' }], areaMap: { 'EMMA_ID=KZ001': 'KZ-75' }, defaultAreas: ['KZ'] },
    );
    expect(declaration.areas).toEqual(['KZ-75']);
  });
});

describe('ruleMatches', () => {
  const subject = info({
    severity: 'Severe',
    event: 'Terror',
    parameters: [{ valueName: 'threatLevel', value: 'Red' }],
  });
  it.each<[string, Parameters<typeof ruleMatches>[0], boolean]>([
    ['a rule of no fields', { level: 'x' }, true],
    ['severity equal, ignoring case', { level: 'x', severity: 'severe' }, true],
    ['severity different', { level: 'x', severity: 'Extreme' }, false],
    ['severity and event equal', { level: 'x', severity: 'Severe', event: ' terror ' }, true],
    ['severity equal, event different', { level: 'x', severity: 'Severe', event: 'Flood' }, false],
    [
      'a parameter by name and value',
      { level: 'x', parameterName: 'threatLevel', parameterValue: 'red' },
      true,
    ],
    ['a parameter by name only', { level: 'x', parameterName: 'threatLevel' }, true],
    [
      'a parameter value different',
      { level: 'x', parameterName: 'threatLevel', parameterValue: 'amber' },
      false,
    ],
    ['a parameter absent', { level: 'x', parameterName: 'other' }, false],
  ])('%s', (_name, rule, matches) => {
    expect(ruleMatches(rule, subject)).toBe(matches);
  });
});

describe('isIsoGeocodeName', () => {
  it.each([
    ['ISO3166-1', true],
    ['ISO 3166-2', true],
    ['iso3166-2', true],
    ['ISO_3166_2', true],
    ['ISO3166', true],
    ['ISO 3166-1 alpha-2', true],
    ['EMMA_ID', false],
    ['FIPS6', false],
    ['SAME', false],
    ['ISO3166-3', false],
  ])('%s → %s', (name, iso) => {
    expect(isIsoGeocodeName(name)).toBe(iso);
  });
});
