import { describe, expect, it } from 'vitest';
import { chatCss, panelCss } from '../ui/styles.js';
import { contrast, themeColors } from './theme.js';

const rgb = (css: string): [number, number, number] => {
  if (css.startsWith('#')) {
    const hex = css.length === 4 ? css.replace(/\w/g, (digit) => digit + digit) : css;
    return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
  }
  return css.match(/\d+/g)!.map(Number) as [number, number, number];
};
const hex = (r: number, g: number, b: number) =>
  `#${[r, g, b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;

// Every 15th step of each channel (0, 15, … 255: 4913 colours), plus the mid-bright accents where
// neither white nor near-black text reaches 4.5:1.
const accents: string[] = [];
for (let r = 0; r <= 255; r += 15)
  for (let g = 0; g <= 255; g += 15) for (let b = 0; b <= 255; b += 15) accents.push(hex(r, g, b));
accents.push(
  '#777777',
  '#7a7a7a',
  '#ff5722',
  '#e4572e',
  '#00a0a0',
  '#d946ef',
  '#2563eb',
  '#facc15',
  '#ffffff',
  '#000000',
);

describe('theme colours', () => {
  it('puts text on the accent at 4.5:1 or more, whatever the site colour', () => {
    const worst = accents
      .map((accent) => ({ accent, ratio: contrast(rgb(accent), rgb(themeColors(accent).onAccent)) }))
      .sort((a, b) => a.ratio - b.ratio)[0]!;
    expect(worst.ratio, `text on ${worst.accent}`).toBeGreaterThanOrEqual(4.5);
  });

  it('gives links, icons and focus rings on the light chat background 4.5:1 or more', () => {
    for (const accent of accents) {
      const ink = rgb(themeColors(accent).ink);
      expect(contrast(ink, [248, 250, 252]), `ink for ${accent}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(ink, [255, 255, 255]), `ink for ${accent}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps the usual choices: white on dark accents, near-black on light ones, the accent itself as ink when it reads', () => {
    expect(themeColors('#2563eb')).toMatchObject({ accent: '#2563eb', onAccent: '#fff', ink: '#2563eb' });
    expect(themeColors('#facc15')).toMatchObject({ onAccent: '#111827' });
    // Between the two: near-black reaches only about 4.2:1 here, black 4.7:1.
    expect(themeColors('#7a7a7a').onAccent).toBe('#000');
    // A light accent is darkened for use on white.
    expect(contrast(rgb(themeColors('#facc15').ink), [255, 255, 255])).toBeGreaterThanOrEqual(4.5);
  });

  it('falls back to the default blue for a colour that is not #rrggbb', () => {
    expect(themeColors('red').accent).toBe('#2563eb');
    expect(themeColors('#12345').accent).toBe('#2563eb');
  });

  it('does not fade text on the accent, which would undo the contrast chosen for it', () => {
    // The headers' secondary lines: the greeting on the home panel, the status under the agent's name.
    for (const selector of ['.bk-greeting', '.bk-cstatus', '.bk-cname', '.bk-title']) {
      const rule = `${panelCss}${chatCss}`.match(new RegExp(`(?:^|\\n)\\${selector}\\{([^}]*)\\}`))?.[1];
      expect(rule, selector).toBeDefined();
      expect(rule, selector).not.toMatch(/opacity|rgba|color-mix/);
    }
  });
});
