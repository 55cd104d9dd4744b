/**
 * The chat's own words. English ships in the UI chunk, but for the words of the cards a first chat seldom shows
 * (`en-cards.ts`, in the extras chunk with the cards); the other languages are small chunks loaded together with the
 * chat code, each with all of its words. `{x}` marks a value filled in by `fill`.
 */
import { plural } from '../plural.js';
import type { enCards } from './en-cards.js';

export const en = {
  back: 'Back',
  send: 'Send',
  message: 'Message',
  placeholder: 'Write a message…',
  newConversation: 'Start a new conversation…',
  online: 'Online',
  replyTime: 'Usually replies within {time}',
  away: 'Away right now',
  closedNow: 'Closed right now',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  unavailable: 'The chat is not available right now. Please try again later.',
  sending: 'Sending…',
  sent: 'Sent',
  read: 'Read',
  failed: 'Not sent',
  retry: 'Retry',
  typing: '{name} is typing…',
  you: 'You',
  tooLong: plural({ one: 'Too long by {n} character', other: 'Too long by {n} characters' }),
  prechatRequired: 'Please introduce yourself before we start.',
  prechatOptional: 'So we can get back to you if you leave:',
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  optional: 'optional',
  required: 'Please fill this in.',
  badEmail: 'Please enter a valid email address.',
  chatLimit: 'Too many new chats were started just now. Please try again in {time}.',
  awayBanner: 'No one is online right now. We will reply here as soon as we can.',
  ended: 'This conversation has ended.',
  newMessage: 'New message',
  unread: 'New messages: {n}',
};

/** The chat view's words: what English has in the UI chunk. */
export type ChatStrings = typeof en;
/** Every word of the chat, its cards' too: what each language's chunk has. */
export type Strings = ChatStrings & typeof enCards;

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
