/**
 * Cuts `text` to at most `max` UTF-16 units — what the protocol's `.max()` limits count — without
 * splitting a surrogate pair: when the cut would keep only the high half of an emoji, that half goes
 * too. Tiny on purpose: the loader uses it.
 */
export const truncate = (text: string, max: number): string =>
  // 0xD800–0xDBFF (a high surrogate) >> 10 is 0x36; past the end, charCodeAt is NaN and NaN >> 10 is 0.
  text.slice(0, text.charCodeAt(max - 1) >> 10 === 0x36 ? max - 1 : max);

/**
 * Like `truncate`, but for text people read (summaries, previews): never splits a user-perceived
 * character — a flag, a family emoji, a letter with its accents — where `Intl.Segmenter` exists.
 * A single character longer than `max` is cut by `truncate`, never dropped whole.
 */
export function truncateReadable(text: string, max: number): string {
  if (text.length <= max || typeof Intl === 'undefined' || !Intl.Segmenter) return truncate(text, max);
  let end = 0;
  for (const { index, segment } of new Intl.Segmenter().segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return end ? text.slice(0, end) : truncate(text, max);
}
