import type { CannedResponse } from '../../api';

/**
 * Canned responses in the composer: typing `/` at the start of a word opens a list filtered by what
 * follows (`/ship` → `/shipping`), and choosing one replaces the `/word` with the response's text.
 */
export interface SlashQuery {
  /** Index of the `/`. */
  start: number;
  /** Index just after the typed query (the caret). */
  end: number;
  query: string;
}

/** The `/query` the caret is in, if any: the `/` starts the text or follows whitespace. */
export function slashQuery(value: string, caret: number): SlashQuery | null {
  let start = caret;
  while (start > 0 && !/\s/.test(value[start - 1]!)) start--;
  if (value[start] !== '/') return null;
  const query = value.slice(start + 1, caret);
  if (!/^[\w-]*$/.test(query)) return null;
  return { start, end: caret, query };
}

/** Best matches first: exact shortcut, shortcut prefix, shortcut substring, then the text. */
export function searchCanned(list: readonly CannedResponse[], query: string, limit = 8): CannedResponse[] {
  const q = query.trim().toLowerCase();
  const ranked: Array<{ item: CannedResponse; rank: number }> = [];
  for (const item of list) {
    const shortcut = item.shortcut.toLowerCase();
    let rank: number;
    if (!q) rank = 1;
    else if (shortcut === q) rank = 0;
    else if (shortcut.startsWith(q)) rank = 1;
    else if (shortcut.includes(q)) rank = 2;
    else if (item.text.toLowerCase().includes(q)) rank = 3;
    else continue;
    ranked.push({ item, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.item.shortcut.localeCompare(b.item.shortcut));
  return ranked.slice(0, limit).map(({ item }) => item);
}

/** Replaces the `/query` with the response; returns the new value and where the caret goes. */
export function insertCanned(value: string, slash: SlashQuery, text: string): { value: string; caret: number } {
  const after = value.slice(slash.end);
  const next = value.slice(0, slash.start) + text + after;
  return { value: next, caret: slash.start + text.length };
}

/**
 * The `/words` of a reply that name no canned response: a shortcut mistyped, or typed before the
 * response existed. Sent as is, the visitor would get the literal "/ship"; the composer asks first.
 */
export function unknownShortcuts(text: string, list: readonly CannedResponse[]): string[] {
  const known = new Set(list.map((item) => item.shortcut.toLowerCase()));
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\s)\/([\w-]+)(?=[.,!?;:]*(?:\s|$))/g)) {
    const word = match[1]!;
    if (!known.has(word.toLowerCase()) && !found.includes(`/${word}`)) found.push(`/${word}`);
  }
  return found;
}
