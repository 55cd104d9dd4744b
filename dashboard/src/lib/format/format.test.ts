import { visitorLabel as sdkVisitorLabel } from '@beckon/sdk/protocol/constants';
import { describe, expect, it, vi } from 'vitest';
import {
  age,
  dayLabel,
  emailBreakParts,
  eventText,
  latestOf,
  seenLabel,
  shortTime,
  timeForVisitor,
  visitorLabel,
  withLocalTimes,
} from './index';

// Local times, so the calendar-day logic is tested in whatever zone the tests run in.
const now = new Date(2026, 2, 12, 15, 0, 0).getTime(); // Thursday 12 March 2026, 15:00
const at = (y: number, m: number, d: number, h = 12, min = 0, s = 0) => new Date(y, m, d, h, min, s).toISOString();

describe('shortTime', () => {
  it('says now, minutes, hours today, yesterday, weekday, then a date', () => {
    expect(shortTime(at(2026, 2, 12, 14, 59, 30), now)).toBe('now');
    expect(shortTime(at(2026, 2, 12, 14, 56), now)).toBe('4m');
    expect(shortTime(at(2026, 2, 12, 11, 30), now)).toBe('3h');
    expect(shortTime(at(2026, 2, 11, 23, 0), now)).toBe('Yesterday');
    expect(shortTime(at(2026, 2, 9), now, 'en-GB')).toBe('Mon');
    expect(shortTime(at(2026, 1, 2), now, 'en-GB')).toBe('2 Feb');
    expect(shortTime(at(2025, 11, 24), now, 'en-GB')).toBe('24 Dec 2025');
  });

  it('treats clock skew (a time in the future) as now, and bad input as empty', () => {
    expect(shortTime(at(2026, 2, 12, 15, 0, 20), now)).toBe('now');
    expect(shortTime('nope', now)).toBe('');
  });
});

describe('dayLabel', () => {
  it('names today and yesterday, else the date', () => {
    expect(dayLabel(at(2026, 2, 12, 0, 1), now)).toBe('Today');
    expect(dayLabel(at(2026, 2, 11, 23, 59), now)).toBe('Yesterday');
    // ICU versions differ on the comma after the weekday.
    expect(dayLabel(at(2026, 2, 2), now, 'en-GB')).toMatch(/^Monday,? 2 March$/);
    expect(dayLabel(at(2025, 2, 2), now, 'en-GB')).toMatch(/^Sunday,? 2 March 2025$/);
  });
});

describe('age', () => {
  it('is short and human', () => {
    expect(age(new Date(now - 20_000).toISOString(), now)).toBe('just now');
    expect(age(new Date(now - 5 * 60_000).toISOString(), now)).toBe('5 min ago');
    expect(age(new Date(now - 3 * 3_600_000).toISOString(), now)).toBe('3 h ago');
    expect(age(new Date(now - 86_400_000).toISOString(), now)).toBe('1 day ago');
    expect(age(new Date(now - 90 * 86_400_000).toISOString(), now)).toBe('3 months ago');
  });
});

describe('visitorLabel', () => {
  it('prefers the name, then the e-mail, then a short id', () => {
    expect(visitorLabel({ id: 'abcd1234-0000', name: ' Jane ', email: 'j@x.test' })).toBe('Jane');
    expect(visitorLabel({ id: 'abcd1234-0000', name: null, email: 'j@x.test' })).toBe('j@x.test');
    expect(visitorLabel({ id: 'abcd1234-0000', name: '', email: null })).toBe(sdkVisitorLabel('abcd1234-0000'));
    expect(visitorLabel({ id: 'abcd1234-0000', name: null, email: null, phone: '+4930123456' })).toBe('+4930123456');
    // The server's name (the person's) wins: the same words as on Visitors and Leads.
    expect(visitorLabel({ id: 'abcd1234-0000', name: null, email: 'j@x.test', displayName: 'Jane Roe' })).toBe(
      'Jane Roe',
    );
  });
});

describe('eventText', () => {
  const base = { from: null, to: null, by: 'Ann', reason: '', routing: null, at: '2026-01-01T00:00:00Z' };
  it('describes assignment history', () => {
    expect(
      eventText({ ...base, kind: 'assigned', to: 'Bob', by: 'Beckon', reason: 'round-robin among online agents' }),
    ).toBe('Assigned to Bob (round-robin among online agents)');
    expect(eventText({ ...base, kind: 'taken' })).toBe('Ann took the chat');
    expect(eventText({ ...base, kind: 'taken', from: 'Bob' })).toBe('Ann took over from Bob');
    expect(eventText({ ...base, kind: 'transferred', from: 'Ann', to: 'Bob', reason: 'speaks German' })).toBe(
      'Ann transferred the chat from Ann to Bob: “speaks German”',
    );
    expect(eventText({ ...base, kind: 'transferred', to: 'Bob', reason: 'transferred by Ann' })).toBe(
      'Ann transferred the chat to Bob',
    );
    expect(eventText({ ...base, kind: 'closed', reason: 'closed by Ann' })).toBe('Closed by Ann');
  });
});

describe('emailBreakParts', () => {
  it('cuts after the @ and before each dot, losing nothing', () => {
    const email = 'alexandra.konstantinopoulou@verylongcompanydomain-example.co.uk';
    expect(emailBreakParts(email)).toEqual([
      'alexandra',
      '.konstantinopoulou@',
      'verylongcompanydomain-example',
      '.co',
      '.uk',
    ]);
    expect(emailBreakParts(email).join('')).toBe(email);
  });

  it('leaves what it cannot cut whole', () => {
    expect(emailBreakParts('anna@example')).toEqual(['anna@', 'example']);
    expect(emailBreakParts('no-at-sign')).toEqual(['no-at-sign']);
    expect(emailBreakParts('')).toEqual([]);
    expect(emailBreakParts('.a..b@')).toEqual(['.a', '.', '.b@']);
  });
});

describe('withLocalTimes', () => {
  it("shows every instant in server-written text in the agent's time zone, and leaves the rest alone", () => {
    vi.stubEnv('TZ', 'America/New_York');
    try {
      expect(withLocalTimes('Asked to be called at 2026-12-05T14:30:00.000Z on +4930901820', 'en-GB')).toBe(
        'Asked to be called at 5 Dec 2026, 09:30 on +4930901820',
      );
      expect(withLocalTimes('No answer, retry at 2026-12-06T09:00:00Z (Ann)', 'en-GB')).toBe(
        'No answer, retry at 6 Dec 2026, 04:00 (Ann)',
      );
    } finally {
      vi.unstubAllEnvs();
    }
    expect(withLocalTimes('Order 2026-12-05 shipped; ref 12:30')).toBe('Order 2026-12-05 shipped; ref 12:30');
  });
});

describe('seenLabel', () => {
  it('says "Here now" while the visitor is typing or was seen within the keepalive rhythm, else how long ago', () => {
    const at = Date.parse('2026-12-05T10:00:00Z');
    expect(seenLabel('2026-12-05T09:59:00Z', at)).toBe('Here now');
    expect(seenLabel('2026-12-05T09:57:00Z', at)).toBe('3 min ago');
    expect(seenLabel('2026-12-05T09:57:00Z', at, true)).toBe('Here now, typing');
    expect(latestOf('2026-12-05T09:57:00Z', null, '2026-12-05T09:59:30Z', undefined)).toBe('2026-12-05T09:59:30Z');
  });
});

describe('timeForVisitor', () => {
  it("labels a booked time in the visitor's clock when it is not the agent's", () => {
    const at = '2026-12-05T16:30:00.000Z';
    // Tokyo is already on the 6th: the visitor's date is spelled out.
    expect(timeForVisitor(at, 'Europe/London', 'en-GB', 'Asia/Tokyo')).toBe(
      '5 Dec 2026, 16:30 for the visitor (Europe/London)',
    );
    expect(timeForVisitor(at, 'Europe/Berlin', 'en-GB', 'Europe/Paris')).toBeNull();
    expect(timeForVisitor(at, 'Europe/London', 'en-GB', 'Africa/Lagos')).toBe('16:30 for the visitor (Europe/London)');
    expect(timeForVisitor(at, 'Not/AZone', 'en-GB', 'Asia/Tokyo')).toBeNull();
  });
});
