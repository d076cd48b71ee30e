import type { Level } from './api';
import { levelColor, textColorOn } from './contrast';
import { h } from './dom';
import { t } from './i18n';
import { levelName } from './localised';

/**
 * A level as a coloured label: its name (in the pages' language, from its scheme's translations) in black or
 * white, whichever contrasts more with its colour, so the colour is never the only signal. Colours go through
 * the CSSOM, which the pages' CSP allows.
 */
export function levelChip(level: Level, scheme?: string, size: 'small' | 'large' = 'small'): HTMLElement {
  const chip = h('span', { class: `chip chip-${size}`, 'data-level': level.code }, levelName(level, scheme));
  const color = levelColor(level.color);
  chip.style.setProperty('background-color', color);
  chip.style.setProperty('color', textColorOn(color));
  return chip;
}

// Level codes that are colour words (kz-terror's red, orange, yellow) are said in the pages' language.
const COLOUR_CODES: Readonly<Record<string, string>> = {
  red: 'web.colour.red',
  orange: 'web.colour.orange',
  yellow: 'web.colour.yellow',
  green: 'web.colour.green',
  blue: 'web.colour.blue',
  white: 'web.colour.white',
  black: 'web.colour.black',
  grey: 'web.colour.grey',
  amber: 'web.colour.amber',
};

/**
 * "Critical (red)", or just the name when the code adds nothing: a number, or a name that says it already
 * (Kazakhstan's decree names its levels "критический («красный»)").
 */
export function levelText(level: Level, scheme?: string): string {
  const name = levelName(level, scheme);
  const colour = COLOUR_CODES[level.code.toLowerCase()];
  const code = colour ? t(colour) : level.code;
  const said = name.toLocaleLowerCase();
  if (
    /^\d+$/.test(level.code) ||
    said === code.toLocaleLowerCase() ||
    said.includes(code.toLocaleLowerCase())
  )
    return name;
  return t('web.level.withCode', { name, code });
}
