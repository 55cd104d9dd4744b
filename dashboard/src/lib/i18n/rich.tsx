import type { ComponentChildren } from 'preact';

/**
 * A translated sentence with markup inside: `rich(t('description'), { site: <strong>{name}</strong> })`
 * for a message `'Who is on {site} right now'`. Call `t` without those parameters so the `{site}`
 * placeholders stay in the text; each is replaced by its element, the rest stays text.
 */
export function rich(text: string, parts: Record<string, ComponentChildren>): ComponentChildren {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    const name = match[1]!;
    if (!(name in parts)) continue;
    out.push(text.slice(last, match.index), parts[name]);
    last = match.index! + match[0].length;
  }
  out.push(text.slice(last));
  return <>{out}</>;
}
