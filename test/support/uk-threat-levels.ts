// The UK national terrorism threat level from its first publication (1 August 2006, at SEVERE) to 2024, as
// MI5's history of the level lists it: the days are the public record's, the hour (noon UTC) is ours. We
// know of no change after 9 February 2022: SUBSTANTIAL holds to the end of 2024.
export const UK_THREAT_LEVELS_2006_2024: readonly { effectiveAt: string; level: string }[] = [
  ['2006-08-01', 'severe'],
  ['2006-08-10', 'critical'],
  ['2006-08-14', 'severe'],
  ['2007-06-30', 'critical'],
  ['2007-07-04', 'severe'],
  ['2009-07-20', 'substantial'],
  ['2010-01-22', 'severe'],
  ['2011-07-11', 'substantial'],
  ['2014-08-29', 'severe'],
  ['2017-05-23', 'critical'],
  ['2017-05-27', 'severe'],
  ['2017-09-15', 'critical'],
  ['2017-09-17', 'severe'],
  ['2019-11-04', 'substantial'],
  ['2020-11-03', 'severe'],
  ['2021-02-08', 'substantial'],
  ['2021-11-15', 'severe'],
  ['2022-02-09', 'substantial'],
].map(([day, level]) => ({ effectiveAt: `${day}T12:00:00Z`, level }));
