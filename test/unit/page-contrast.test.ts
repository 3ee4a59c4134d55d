import { describe, expect, it } from '@jest/globals';
import { PALETTES, STYLESHEET, TEXT_ON_BACKGROUND } from '../../src/http/stylesheet.js';

/** WCAG 2.x relative luminance and contrast ratio, from the definitions in the spec. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe('stylesheet contrast', () => {
  it('checks the formula against known values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const [scheme, palette] of Object.entries(PALETTES)) {
    it(`keeps every text colour at 4.5:1 or more on its background (${scheme})`, () => {
      const ratios = TEXT_ON_BACKGROUND.map(([fg, bg]) => ({ pair: `${fg} on ${bg}`, ratio: Number(contrast(palette[fg], palette[bg]).toFixed(2)) }));
      expect(ratios.filter(({ ratio }) => ratio < 4.5)).toEqual([]);
    });
  }

  it('uses only the palette colours for text (no stray hex values in the rules)', () => {
    const rules = STYLESHEET.split('\n').filter((line) => !line.startsWith(':root') && !line.startsWith('@media (prefers-color-scheme'));
    const colours = rules.join('\n').match(/(?<![\w-])color:\s*#[0-9a-f]{3,6}/gi) ?? [];
    expect(colours).toEqual([]);
  });
});
