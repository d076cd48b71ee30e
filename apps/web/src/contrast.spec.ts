import { contrastRatio, luminance, textColorOn } from './contrast';

describe('contrast', () => {
  it('gives black and white their WCAG luminance and the 21:1 ratio between them', () => {
    expect(luminance('#000000')).toBe(0);
    expect(luminance('#ffffff')).toBe(1);
    expect(contrastRatio('#ffffff', '#000000')).toBe(21);
  });

  it.each([
    ['#d32f2f', '#ffffff'], // kz red
    ['#f57c00', '#000000'], // orange
    ['#fbc02d', '#000000'], // yellow
    ['#388e3c', '#000000'], // green
    ['#1976d2', '#ffffff'], // blue
    ['#afb42b', '#000000'], // lime
  ])('puts readable text on %s (%s), at least 4.5:1 (WCAG AA)', (background, text) => {
    expect(textColorOn(background)).toBe(text);
    expect(contrastRatio(background, textColorOn(background))).toBeGreaterThanOrEqual(4.5);
  });
});
