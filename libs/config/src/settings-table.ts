import { SETTINGS, Setting } from './config';

/** Where the README's settings table begins and ends; `npm run settings:readme` rewrites what is between. */
export const TABLE_START =
  '<!-- settings table: generated from libs/config/src/config.ts by npm run settings:readme -->';
export const TABLE_END = '<!-- end of settings table -->';

/** The README's settings table, one row a setting in `SETTINGS`' order, aligned as Prettier aligns it. */
export function settingsTable(): string {
  const rows = Object.values<Setting>(SETTINGS).map((setting) => [
    `\`${setting.env}\``,
    setting.default === undefined ? 'unset' : `\`${setting.default}\``,
    setting.description.replaceAll('|', '\\|'),
  ]);
  const header = ['variable', 'default', 'meaning'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The table between the markers in `readme`, or undefined if the markers are missing. */
export function settingsTableIn(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** `readme` with the table between the markers replaced by the one the settings make. */
export function withSettingsTable(readme: string): string {
  if (settingsTableIn(readme) === undefined)
    throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" markers`);
  const start = readme.indexOf(TABLE_START) + TABLE_START.length;
  return `${readme.slice(0, start)}\n\n${settingsTable()}\n\n${readme.slice(readme.indexOf(TABLE_END))}`;
}
