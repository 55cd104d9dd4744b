import { z } from 'zod';

/**
 * Beckon's one text policy, applied by every string field of the protocol: NUL (U+0000) and lone
 * UTF-16 surrogates become U+FFFD, the same replacement the JSON decoder already makes for invalid
 * UTF-8 bytes. PostgreSQL cannot store either (text refuses NUL, `json` refuses both), and refusing a
 * whole batch or message for one such character would lose what the visitor did, so they are replaced,
 * not rejected. The length does not change: limits mean the same before and after.
 */
export function wellFormedText(value: string): string {
  const native = value as WellFormedString;
  if (typeof native.isWellFormed === 'function') {
    if (native.isWellFormed() && !value.includes('\u0000')) return value;
    return native.toWellFormed!().replaceAll('\u0000', '\uFFFD');
  }
  // Engines before ES2024 (String.prototype.isWellFormed): `u` mode matches only unpaired surrogates.
  return value.replace(/[\0\p{Cs}]/gu, '\uFFFD');
}

/** True when PostgreSQL can store the string as it is (no NUL, no lone surrogate). */
export function isWellFormedText(value: string): boolean {
  const native = value as WellFormedString;
  if (typeof native.isWellFormed === 'function') return native.isWellFormed() && !value.includes('\u0000');
  return wellFormedText(value) === value;
}

// ES2024 string methods (Node ≥ 20); the SDK's lib stays at ES2022 for the browsers it supports.
interface WellFormedString {
  isWellFormed?(): boolean;
  toWellFormed?(): string;
}

/**
 * `z.string()` under the text policy: use it for every string field of the protocol (a test walks the
 * exported schemas and fails on any string that skips it). The policy runs first, so `.max()`,
 * `.trim()`, `.email()`, `.regex()` and the rest see the normalised text.
 */
export const text = () => z.string().overwrite(wellFormedText);
