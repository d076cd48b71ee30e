// Pure: audit entries (GET /v1/audit) as CSV for spreadsheets and auditors, one row per entry.
import { stringify } from 'csv-stringify/sync';
import { AuditEntry } from './audit-entry';

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor_key_id',
  'actor_name',
  'actor_role',
  'action',
  'target_type',
  'target_id',
  'details',
] as const;

// A spreadsheet runs a cell that starts like a formula; a leading apostrophe makes it plain text (OWASP's advice).
const FORMULA_START = /^[=+\-@\t\r]/;
const cell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

/** RFC 4180 CSV (CRLF line ends) with a header row, in the entries' order; `details` as JSON. */
export function renderAuditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((entry) => [
    String(entry.id),
    entry.at.toISOString(),
    entry.actor.keyId ?? '',
    cell(entry.actor.name),
    entry.actor.role,
    entry.action,
    entry.target.type,
    cell(entry.target.id),
    JSON.stringify(entry.details),
  ]);
  return stringify(rows, { header: true, columns: [...AUDIT_CSV_COLUMNS], record_delimiter: 'windows' });
}
