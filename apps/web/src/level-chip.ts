import type { Level } from './api';
import { levelColor, textColorOn } from './contrast';
import { h } from './dom';

/**
 * A level as a coloured label: its name in black or white, whichever contrasts more with its colour, so the
 * colour is never the only signal. Colours go through the CSSOM, which the pages' CSP allows.
 */
export function levelChip(level: Level, size: 'small' | 'large' = 'small'): HTMLElement {
  const chip = h('span', { class: `chip chip-${size}`, 'data-level': level.code }, level.name);
  const color = levelColor(level.color);
  chip.style.setProperty('background-color', color);
  chip.style.setProperty('color', textColorOn(color));
  return chip;
}

/** "Critical (red)", or just the name when the code adds nothing. */
export function levelText(level: Level): string {
  return level.code.toLowerCase() === level.name.toLowerCase() || /^\d+$/.test(level.code)
    ? level.name
    : `${level.name} (${level.code})`;
}
