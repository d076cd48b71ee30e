// January 2022 in Kazakhstan, declaration by declaration (times in Almaty time, UTC+6 then). Red for the whole
// country from 7 January. On 13 January red is lifted in 14 regions: Almaty city (KZ-75), Almaty region (KZ-19)
// and Zhambyl (KZ-31) stay red until 00:00 on 26 January and then go orange; Astana (KZ-71) is orange for 14
// days; Shymkent and Turkistan yellow for 10 days, Aktobe and Mangystau for 14 days, Atyrau until further notice.
export const LIFTED_13_JAN = '2022-01-13T12:00:00+06:00';

export const JANUARY_2022_STEPS = [
  {
    scheme: 'kz-terror',
    level: 'red',
    areas: ['KZ'],
    effectiveAt: '2022-01-07T00:00:00+06:00',
    expiresAt: LIFTED_13_JAN,
  },
  // Old letter codes are accepted: KZ-ALA is Almaty city, KZ-ALM Almaty region, KZ-ZHA Zhambyl.
  {
    scheme: 'kz-terror',
    level: 'red',
    areas: ['KZ-ALA', 'KZ-ALM', 'KZ-ZHA'],
    effectiveAt: LIFTED_13_JAN,
    expiresAt: '2022-01-26T00:00:00+06:00',
  },
  {
    scheme: 'kz-terror',
    level: 'orange',
    areas: ['KZ-75', 'KZ-19', 'KZ-31'],
    effectiveAt: '2022-01-26T00:00:00+06:00',
  },
  {
    scheme: 'kz-terror',
    level: 'orange',
    areas: ['KZ-71'],
    effectiveAt: LIFTED_13_JAN,
    expiresAt: '2022-01-27T12:00:00+06:00',
  },
  {
    scheme: 'kz-terror',
    level: 'yellow',
    areas: ['KZ-79', 'KZ-61'],
    effectiveAt: LIFTED_13_JAN,
    expiresAt: '2022-01-23T12:00:00+06:00',
  },
  {
    scheme: 'kz-terror',
    level: 'yellow',
    areas: ['KZ-15', 'KZ-47'],
    effectiveAt: LIFTED_13_JAN,
    expiresAt: '2022-01-27T12:00:00+06:00',
  },
  { scheme: 'kz-terror', level: 'yellow', areas: ['KZ-23'], effectiveAt: LIFTED_13_JAN },
];
