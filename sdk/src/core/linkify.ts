/**
 * Splits chat text into plain text and links, for rendering as text nodes and `<a>` elements (the
 * widget's bubbles and the dashboard's inbox): nothing here is ever HTML. Only `http(s)://…` and
 * `www.…` become links, so `javascript:`, `data:` and friends stay text whatever they look like.
 * No zod, no DOM: it runs in the widget's UI chunk, the dashboard and Node alike.
 */
export type Segment = { type: 'text'; text: string } | { type: 'link'; text: string; href: string };

// A URL runs to whitespace. It must start at a word boundary, not inside another word, an e-mail or a
// path: checked on the character before the match (a lookbehind would not parse in older Safari).
const urlPattern = /(?:https?:\/\/|www\.)[^\s<>"]+/gi;
const insideSomething = /[\w@/.:-]/;
const trailing = /[.,;:!?'*_~]+$/;

/** The href for a visitor-supplied URL, or null unless it is plain http(s) with a host. */
export function safeHref(raw: string): string | null {
  const candidate = /^www\./i.test(raw) ? `https://${raw}` : raw;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return url.href;
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** Drops trailing punctuation and a closing bracket with no opening one inside the URL (Wikipedia's `Foo_(bar)` keeps its own). */
function trimUrl(match: string): string {
  let url = match;
  for (;;) {
    const before = url;
    url = url.replace(trailing, '');
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ] as const) {
      if (url.endsWith(close) && count(url, close) > count(url, open)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index ?? 0;
    if (start > 0 && insideSomething.test(text[start - 1]!)) continue;
    const url = trimUrl(match[0]);
    const href = url.length > 'www.'.length ? safeHref(url) : null;
    if (!href) continue;
    if (start > last) segments.push({ type: 'text', text: text.slice(last, start) });
    segments.push({ type: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) segments.push({ type: 'text', text: text.slice(last) });
  return segments;
}
