import type { ChatError } from '@beckon/sdk/chat';
import { type ChatStrings, fill } from '../i18n/index.js';

/** Times, durations and the limit notice, in the visitor's language: for the chat view and its cards. */

/**
 * "5 minutes", "2 hours" in the visitor's language (plain digits and h/min where Intl cannot). Intl's spaces
 * become no-break: a wrapped status line must not leave the number at one line's end and its unit on the next.
 */
export function duration(minutes: number, language: string) {
  const hours = minutes >= 60;
  const value = hours ? Math.round(minutes / 60) : minutes;
  try {
    return new Intl.NumberFormat(language, {
      style: 'unit',
      unit: hours ? 'hour' : 'minute',
      unitDisplay: 'long',
    })
      .format(value)
      .replace(/ /g, '\u00a0');
  } catch {
    return `${value} ${hours ? 'h' : 'min'}`;
  }
}

/**
 * What the visitor reads when a send was refused: for the limit on new conversations, when to try
 * again (the server's words are for developers); null for every other failure.
 */
export function limitNotice(error: ChatError | undefined, strings: ChatStrings, language: string): string | null {
  if (error?.code !== 'too_many_conversations') return null;
  const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
  return fill(strings.chatLimit, { time: duration(Math.max(1, Math.ceil(seconds / 60)), language) });
}

export function formatTime(
  iso: string,
  language: string,
  options: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' },
) {
  try {
    return new Intl.DateTimeFormat(language, options).format(new Date(iso));
  } catch {
    return '';
  }
}
