export const hexPattern = /^#[0-9a-f]{6}$/i;

/** `2563eb`, `#2563EB`, `#26e` → `#2563eb`; anything else → null. */
export function normalizeHex(input: string): string | null {
  let value = input.trim().toLowerCase();
  if (!value.startsWith('#')) value = `#${value}`;
  if (/^#[0-9a-f]{3}$/.test(value)) value = `#${[...value.slice(1)].map((c) => c + c).join('')}`;
  return hexPattern.test(value) ? value : null;
}

/** Readable text colour (white or near-black) on a given background, by WCAG relative luminance. */
export function contrastText(hex: string): '#ffffff' | '#0f172a' {
  const normalized = normalizeHex(hex);
  if (!normalized) return '#ffffff';
  const channel = (i: number) => {
    const c = parseInt(normalized.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.45 ? '#0f172a' : '#ffffff';
}
