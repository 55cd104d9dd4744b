/**
 * The chat's own words. English ships in the UI chunk; the other languages are small chunks loaded
 * together with the chat code. `{x}` marks a value filled in by `fill`.
 */
import { plural } from '../plural.js';

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
  leaveMessage: 'Leave us a message',
  offlineNoAgents: 'No one is available right now. Leave a message and we will reply by email.',
  offlineClosed: 'We are closed right now. Leave a message and we will reply by email.',
  backAt: 'We are back at {time}.',
  backOn: 'We are back {day} at {time}.',
  sendMessage: 'Send message',
  chatLimit: 'Too many new chats were started just now. Please try again in {time}.',
  sendFailed: 'Your message could not be sent. Please try again.',
  offlineThanks: 'Thank you! We will reply to {email} as soon as we can.',
  awayBanner: 'No one is online right now. We will reply here as soon as we can.',
  ended: 'This conversation has ended.',
  rateTitle: 'How did we do?',
  stars: '{n} of 5',
  comment: 'Anything to add? (optional)',
  submitRating: 'Send rating',
  rateThanks: 'Thank you for your feedback!',
  recommend: 'Would you recommend us? One more question',
  newMessage: 'New message',
  unread: 'New messages: {n}',
  transcriptAsk: 'Email me this chat',
  transcriptSend: 'Send',
  transcriptSent: 'We sent this chat to {email}.',
};

export type Strings = typeof en;

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
