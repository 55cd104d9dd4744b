/**
 * Editing helpers for a site's allowed origins. The server validates with the protocol's zod schema;
 * the same rule is repeated here only to give instant feedback while typing.
 */
import { t } from './i18n';

const originPattern = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i;

/** What an origin looks like, in the dashboard's language. */
export const originFormatHint = () => t('originFormatHint');

/**
 * Forgiving input → canonical origin: trims, lower-cases, adds `https://` when the scheme is missing
 * and drops any path, query or fragment (people paste full page URLs).
 */
export function normalizeOrigin(input: string): string {
  let value = input.trim().toLowerCase();
  if (!value) return '';
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(value)) value = `https://${value}`;
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/.exec(value);
  return match ? match[1]! : value;
}

/** A message when the origin is not acceptable, or null. */
export function validateOrigin(origin: string): string | null {
  if (!origin) return t('enterOrigin');
  if (origin.length > 200) return t('originTooLong');
  if (!/^https?:\/\//.test(origin)) return t('httpOnly');
  if (/@/.test(origin)) return t('noCredentials');
  if (!originPattern.test(origin)) return originFormatHint();
  return null;
}

export interface AddOriginResult {
  origins: string[];
  /** Set when nothing was added. */
  error: string | null;
}

/** Adds one or more origins (comma, space or newline separated), rejecting invalid entries and duplicates. */
export function addOrigins(origins: readonly string[], input: string, max = 50): AddOriginResult {
  const candidates = input
    .split(/[\s,]+/)
    .map(normalizeOrigin)
    .filter(Boolean);
  if (candidates.length === 0) return { origins: [...origins], error: t('enterOrigin') };
  const next = [...origins];
  for (const origin of candidates) {
    const problem = validateOrigin(origin);
    if (problem) return { origins: [...origins], error: t('originProblem', { origin, problem }) };
    if (next.includes(origin)) {
      if (candidates.length === 1) return { origins: [...origins], error: t('alreadyListed', { origin }) };
      continue;
    }
    next.push(origin);
  }
  if (next.length > max) return { origins: [...origins], error: t('tooMany', { max }) };

  return { origins: next, error: null };
}

/**
 * What Create or Save does with an origin typed into the field but not added with Add: it is added
 * (an origin already in the list is simply taken as there), or the error says why it cannot be.
 */
export function withPendingOrigin(origins: readonly string[], draft: string): AddOriginResult {
  const fresh = draft
    .split(/[\s,]+/)
    .map(normalizeOrigin)
    .filter((origin) => origin && !origins.includes(origin));
  return fresh.length === 0 ? { origins: [...origins], error: null } : addOrigins(origins, fresh.join(' '));
}

export function removeOrigin(origins: readonly string[], index: number): string[] {
  return origins.filter((_, i) => i !== index);
}

export function sameOrigins(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((origin, i) => origin === b[i]);
}

/**
 * Server field errors (`allowedOrigins.3` → message) as a per-row map, plus the list-level message
 * (`allowedOrigins`, e.g. "too many").
 */
export function originErrors(
  fields: Record<string, string>,
  prefix = 'allowedOrigins',
): { rows: Map<number, string>; list: string | null } {
  const rows = new Map<number, string>();
  let list: string | null = null;
  for (const [path, message] of Object.entries(fields)) {
    if (path === prefix) list = message;
    else if (path.startsWith(`${prefix}.`)) {
      const index = Number(path.slice(prefix.length + 1).split('.')[0]);
      if (Number.isInteger(index)) rows.set(index, message);
    }
  }
  return { rows, list };
}
