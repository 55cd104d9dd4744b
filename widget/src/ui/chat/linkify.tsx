import type { ComponentChildren } from 'preact';

// http(s) and www. links; trailing punctuation belongs to the sentence, not the link.
const linkPattern = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const trailing = /[.,;:!?'")\]}]+$/;

/**
 * A message's text as Preact children: plain strings (rendered as text nodes, never as HTML) and, for
 * http(s) links only, anchors that open in a new tab without handing the page a reference or a referrer.
 */
export function linkify(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(linkPattern)) {
    let link = match[0];
    let cut = trailing.exec(link)?.[0] ?? '';
    // Keep a closing parenthesis that closes one inside the link (Wikipedia-style URLs).
    while (cut.startsWith(')') && (link.match(/\(/g)?.length ?? 0) > (link.slice(0, link.length - cut.length).match(/\)/g)?.length ?? 0)) {
      cut = cut.slice(1);
    }
    link = link.slice(0, link.length - cut.length);
    const start = match.index;
    let href: URL | undefined;
    try {
      href = new URL(/^www\./i.test(link) ? `https://${link}` : link);
    } catch {
      // Not a URL after all: stays text.
    }
    if (!href || (href.protocol !== 'http:' && href.protocol !== 'https:')) continue;
    if (start > last) out.push(text.slice(last, start));
    out.push(
      <a href={href.href} target="_blank" rel="noopener noreferrer nofollow">
        {link}
      </a>,
    );
    last = start + link.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
