import type { WidgetSettings } from '@beckon/sdk/protocol';

const fallbackAccent = '#2563eb';

type Rgb = [number, number, number];

/** WCAG relative luminance of an sRGB colour (channels 0–255). */
export function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((value) => {
    value /= 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** The chat log's background (`.bk-scroll`); white panels contrast more. */
const paper: Rgb = [248, 250, 252];
const nearBlack: Rgb = [17, 24, 39];

/**
 * The widget's colours for a site colour: text and icons on the accent (`onAccent`) and on white
 * (`ink`) reach WCAG AA's 4.5:1 for every accent, so no site colour makes the header or links hard
 * to read.
 */
export function themeColors(color: string) {
  const accent = /^#[0-9a-f]{6}$/i.test(color) ? color : fallbackAccent;
  const rgb = [1, 3, 5].map((at) => parseInt(accent.slice(at, at + 2), 16)) as Rgb;
  const onWhite = contrast(rgb, [255, 255, 255]);
  const onDark = contrast(rgb, nearBlack);
  // Whichever of white and near-black reads better; where neither reaches 4.5:1 (mid-bright accents), black does.
  const light = onDark > onWhite;
  const onAccent = Math.max(onWhite, onDark) >= 4.5 ? (light ? '#111827' : '#fff') : '#000';
  const mix = (weight: number, base: number) =>
    rgb.map((value) => Math.round(value * weight + base * (1 - weight))) as Rgb;
  // Icons, links and focus rings on white: the accent, darkened until it reads there as text does.
  let weight = light ? 0.55 : 1;
  while (weight > 0 && contrast(mix(weight, 0), paper) < 4.5) weight -= 0.05;
  const css = (value: Rgb) => `rgb(${value.join(',')})`;
  return { accent, onAccent, ink: weight === 1 ? accent : css(mix(weight, 0)), tint: css(mix(0.12, 255)) };
}

/**
 * Puts the site's colours on the widget layer as custom properties. The colour is checked again here
 * because the dashboard preview passes settings that are still being typed.
 */
export function applyTheme(layer: HTMLElement, settings: Pick<WidgetSettings, 'color' | 'position'>): void {
  const colors = themeColors(settings.color);
  const style = layer.style;
  style.setProperty('--bk-accent', colors.accent);
  style.setProperty('--bk-on-accent', colors.onAccent);
  style.setProperty('--bk-ink', colors.ink);
  style.setProperty('--bk-tint', colors.tint);
  layer.setAttribute('data-position', settings.position === 'bottom-left' ? 'left' : 'right');
}
