import { describe, expect, it } from 'vitest';
import type { ChatSettings } from '@beckon/sdk/protocol';
import { defaultWeek, fromWeek, updateInterval } from './hours';
import { autoReplyPreview, sameChatSettings, validateChatSettings } from './settings';

const base: ChatSettings = {
  prechat: { name: 'optional', email: 'optional', phone: 'off' },
  businessHours: null,
  typingPreview: true,
  greeting: 'Hi!',
  autoReply: 'Back in {minutes} minutes, {minutes} at most.',
  expectedReplyMinutes: 5,
};

describe('chat settings helpers', () => {
  it('fills {minutes} in the auto-reply preview', () => {
    expect(autoReplyPreview(base)).toBe('Back in 5 minutes, 5 at most.');
  });

  it('compares settings regardless of interval order', () => {
    const hours = fromWeek('UTC', defaultWeek());
    const a = { ...base, businessHours: hours };
    const b = { ...base, businessHours: { ...hours, intervals: [...hours.intervals].reverse() } };
    expect(sameChatSettings(a, b)).toBe(true);
    expect(sameChatSettings(a, { ...b, typingPreview: false })).toBe(false);
  });

  it('validates minutes, text length and the week', () => {
    const week = updateInterval(defaultWeek(), 1, 0, { close: '08:00' });
    const errors = validateChatSettings(
      { ...base, expectedReplyMinutes: 0, greeting: 'x'.repeat(401), businessHours: fromWeek('UTC', week) },
      week,
    );
    expect(errors).toEqual({
      'chat.greeting': 'At most 400 characters.',
      'chat.expectedReplyMinutes': 'A whole number of minutes from 1 to 1440.',
      'chat.businessHours.1.0': 'Closing time must be after opening time.',
    });
    expect(validateChatSettings(base, null)).toEqual({});
  });
});
