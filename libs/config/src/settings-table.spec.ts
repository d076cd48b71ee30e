import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from './config';
import { settingsTable, settingsTableIn, TABLE_END, TABLE_START, withSettingsTable } from './settings-table';

const README = join(__dirname, '..', '..', '..', 'README.md');

describe('the settings table', () => {
  it('in README.md is the one the settings make (npm run settings:readme writes it)', () => {
    expect(settingsTableIn(readFileSync(README, 'utf8'))).toBe(settingsTable());
  });

  it('has one row a setting, in the order of SETTINGS, with its default or "unset"', () => {
    const rows = settingsTable().split('\n').slice(2);
    expect(rows.map((row) => row.split('|')[1].trim())).toEqual(
      Object.values(SETTINGS).map((setting) => `\`${setting.env}\``),
    );
    expect(rows[0]).toMatch(/^\| `PORT` +\| `3000` +\| where the HTTP API listens +\|$/);
    expect(rows.find((row) => row.startsWith('| `DATABASE_URL`'))).toMatch(/\| unset +\|/);
  });

  it('is written between the markers, leaving the rest of the README as it is', () => {
    const readme = `# Title\n\n${TABLE_START}\n\n| old |\n\n${TABLE_END}\n\n## Next\n`;
    expect(withSettingsTable(readme)).toBe(
      `# Title\n\n${TABLE_START}\n\n${settingsTable()}\n\n${TABLE_END}\n\n## Next\n`,
    );
  });

  it('refuses a README without the markers', () => {
    expect(() => withSettingsTable('# Title\n')).toThrow(/markers/);
  });
});
