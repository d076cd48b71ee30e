import { AUDIT_CSV_COLUMNS, renderAuditCsv } from './audit-csv';
import { AuditEntry } from './audit-entry';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 7,
  at: new Date('2026-01-13T06:00:00.123Z'),
  actor: { keyId: 'key_1', name: 'KNB duty desk', role: 'admin' },
  action: 'webhook.updated',
  target: { type: 'webhook', id: 'whk_1' },
  details: { url: 'https://b.example/hook', areas: ['KZ', 'UZ'] },
  ...overrides,
});

describe('renderAuditCsv', () => {
  it('writes a header row, then one CRLF-ended row per entry in the order given, details as JSON', () => {
    const csv = renderAuditCsv([
      entry(),
      entry({ id: 6, actor: { keyId: null, name: 'system', role: 'system' }, details: {} }),
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe(
      '7,2026-01-13T06:00:00.123Z,key_1,KNB duty desk,admin,webhook.updated,webhook,whk_1,' +
        '"{""url"":""https://b.example/hook"",""areas"":[""KZ"",""UZ""]}"',
    );
    expect(lines[2]).toBe('6,2026-01-13T06:00:00.123Z,,system,system,webhook.updated,webhook,whk_1,{}');
    expect(lines[3]).toBe('');
  });

  it('writes a key name that starts like a formula as plain text', () => {
    const csv = renderAuditCsv([
      entry({ actor: { keyId: 'key_1', name: '=HYPERLINK("x")', role: 'admin' } }),
    ]);
    expect(csv.split('\r\n')[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('is only the header row when there are no entries', () => {
    expect(renderAuditCsv([])).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
  });
});
