// Pure: the current levels (GET /v1/levels) as CSV for spreadsheets, one row per area and scheme.
import type { Area } from '@tocsin/areas';
import type { EffectiveLevel } from '@tocsin/declarations';
import { stringify } from 'csv-stringify/sync';

export const CSV_MEDIA_TYPE = 'text/csv';

export const LEVELS_CSV_COLUMNS = [
  'area_code',
  'area_name',
  'area_type',
  'parent',
  'scheme',
  'level_code',
  'rank',
  'level_name',
  'declaration_id',
  'source',
  'since',
  'until',
] as const;

// A spreadsheet runs a cell that starts like a formula; a leading apostrophe makes it plain text (OWASP's advice).
const FORMULA_START = /^[=+\-@\t\r]/;
const cell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

/** RFC 4180 CSV (CRLF line ends) with a header row; `until` is empty for "until further notice". */
export function renderLevelsCsv(levels: readonly { area: Area; level: EffectiveLevel }[]): string {
  const rows = levels.map(({ area, level }) => [
    area.code,
    cell(area.name),
    area.type,
    area.parent ?? '',
    level.schemeId,
    cell(level.level.code),
    String(level.level.rank),
    cell(level.level.name),
    level.declarationId,
    level.source,
    level.since.toISOString(),
    level.until?.toISOString() ?? '',
  ]);
  return stringify(rows, { header: true, columns: [...LEVELS_CSV_COLUMNS], record_delimiter: 'windows' });
}
