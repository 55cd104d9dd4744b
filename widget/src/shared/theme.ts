import type { WidgetSettings } from '@beckon/sdk/protocol';

const fallbackAccent = '#2563eb';

/**
 * Puts the site's colours on the widget layer as custom properties. The colour is checked again here
 * because the dashboard preview passes settings that are still being typed.
 */
export function applyTheme(layer: HTMLElement, settings: Pick<WidgetSettings, 'color' | 'position'>): void {
  const accent = /^#[0-9a-f]{6}$/i.test(settings.color) ? settings.color : fallbackAccent;
  const rgb = [1, 3, 5].map((at) => parseInt(accent.slice(at, at + 2), 16)) as [number, number, number];
  const [r, g, b] = rgb.map((value) => {
    value /= 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  // WCAG relative luminance: above 0.2, near-black text (#111827) contrasts more than white does.
  const light = 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.2;
  const mix = (weight: number, base: number) =>
    `rgb(${rgb.map((value) => Math.round(value * weight + base * (1 - weight))).join(',')})`;
  const style = layer.style;
  style.setProperty('--bk-accent', accent);
  style.setProperty('--bk-on-accent', light ? '#111827' : '#fff');
  // Icons, borders and focus rings on white: a light accent is darkened until it reads there.
  style.setProperty('--bk-ink', light ? mix(0.55, 0) : accent);
  style.setProperty('--bk-tint', mix(0.12, 255));
  layer.setAttribute('data-position', settings.position === 'bottom-left' ? 'left' : 'right');
}
