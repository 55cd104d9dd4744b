/**
 * The callback and feedback forms' words. English ships in the forms chunk; the other languages are
 * small chunks loaded with it (see ./index.ts). `{x}` marks a value filled in by `fill`.
 */
import { plural } from '../plural.js';

export const formsEn = {
  callback: {
    back: 'Back',
    close: 'Close',
    loading: 'Loading…',
    unavailable: 'Callbacks are not available right now. Please try again later.',
    introNow: plural({
      one: 'Leave your number and we will call you back — right now, within {seconds} second, or at a time that suits you.',
      other:
        'Leave your number and we will call you back — right now, within {seconds} seconds, or at a time that suits you.',
    }),
    introLater: 'Leave your number and pick a time: we will call you back.',
    phone: 'Phone number',
    country: 'Country',
    international: 'International (+…)',
    name: 'Name',
    optional: 'optional',
    when: 'When should we call?',
    now: 'Call me now',
    later: 'Pick a time',
    day: 'Day',
    time: 'Time',
    today: 'Today',
    tomorrow: 'Tomorrow',
    noSlots: 'There are no free times in the next days. Please try again later.',
    submitNow: 'Call me now',
    submitLater: 'Call me at this time',
    sending: 'Sending…',
    privacy: 'We use your number only to call you back.',
    phoneRequired: 'Please enter your phone number.',
    badPhone: 'This number does not look right. Check it, or choose your country.',
    blocked: 'We cannot call this number. Please use another one.',
    phoneLimit: 'We already have your requests for this number today — we will call you. Please do not send more.',
    tooFast: 'That was quick! Please check your number and send again.',
    tooMany: 'Too many requests right now. Please try again in {minutes} min.',
    nobodyNow: 'Nobody is free this very moment — please pick a time and we will call you then.',
    slotGone: 'That time is no longer free. Please pick another one.',
    failed: 'Your request could not be sent. Please try again.',
    countdown: 'We will call you in {seconds} s',
    countdownDetail: 'Keep your phone at hand. An agent is picking up your request.',
    anyMoment: 'We will call you any moment now',
    anyMomentDetail: 'All our agents are busy for a moment; you are first in line.',
    calling: 'An agent is calling you now',
    callingName: '{name} is calling you now',
    callingDetail: 'Please pick up your phone.',
    atTime: 'We will call you at {time}',
    atTomorrow: 'We will call you tomorrow at {time}',
    atDay: 'We will call you on {day} at {time}',
    scheduledDetail: 'Thank you! Keep your phone at hand at that time.',
    thanks: 'Thank you for talking to us!',
  },
  feedback: {
    back: 'Back',
    close: 'Close',
    kinds: { nps: 'Recommend', csat: 'Rate us', message: 'Message' },
    kindsLabel: 'Kind of feedback',
    notLikely: 'Not likely',
    veryLikely: 'Very likely',
    bad: 'Very unsatisfied',
    good: 'Very satisfied',
    csatScores: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    why: 'What is the main reason for your score?',
    comment: 'Anything to add?',
    message: 'Your message',
    email: 'Email',
    emailHint: 'if you would like an answer',
    optional: 'optional',
    pickScore: 'Please choose a score.',
    writeMessage: 'Please write a message.',
    badEmail: 'Please enter a valid email address.',
    send: 'Send feedback',
    sending: 'Sending…',
    thanks: 'Thank you for your feedback!',
    thanksDetail: 'It helps us get better.',
    tooMany: 'Thanks — we have enough feedback from you for now.',
    failed: 'Your feedback could not be sent. Please try again.',
  },
};

export type FormStrings = typeof formsEn;

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
