import { formerAgentName, visitorLabel as sdkVisitorLabel } from '@beckon/sdk/protocol/constants';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationEvent } from '../../api';
import { setLocale } from '../i18n';
import {
  age,
  dayLabel,
  describeRouting,
  emailBreakParts,
  eventText,
  latestOf,
  seenLabel,
  shortTime,
  shownAgent,
  shownName,
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

describe('shownName', () => {
  afterEach(() => setLocale('en'));
  const label = sdkVisitorLabel('abcd1234-0000');
  const code = label.slice('Visitor '.length);

  it("says the server's English visitor label in the agent's language, keeping its code", async () => {
    expect(shownName(label)).toBe(`Visitor ${code}`);
    await setLocale('ru');
    expect(shownName(label)).toBe(`Посетитель ${code}`);
    expect(visitorLabel({ id: 'abcd1234-0000', name: null, email: null })).toBe(`Посетитель ${code}`);
    expect(visitorLabel({ id: 'x', name: null, email: null, displayName: label })).toBe(`Посетитель ${code}`);
    await setLocale('lv');
    expect(shownName(label)).toBe(`Apmeklētājs ${code}`);
  });

  it('leaves every other name as it is', async () => {
    await setLocale('ru');
    for (const name of ['Jane Roe', 'j@x.test', '+4930123456', 'Visitor', 'Visitor of the shop', 'Visitor 0000'])
      expect(shownName(name)).toBe(name);
    expect(visitorLabel({ id: 'abcd1234-0000', name: null, email: 'j@x.test', displayName: 'Jane Roe' })).toBe(
      'Jane Roe',
    );
  });
});

describe('describeRouting', () => {
  afterEach(() => setLocale('en'));
  it('says which decision routed an assignment', async () => {
    const rule = { kind: 'rule', ruleId: 'rr_x', ruleName: 'Hot leads → Sales', strategy: 'least_busy' } as const;
    expect(describeRouting(rule)).toBe('Routed by “Hot leads → Sales” · least busy');
    expect(describeRouting({ kind: 'sticky' })).toBe('Routed to the agent who handled this contact before');
    expect(describeRouting({ kind: 'default', strategy: 'round_robin' })).toBe('Routed by default · round-robin');
    expect(describeRouting(null)).toBeNull();
    await setLocale('ru');
    expect(describeRouting(rule)).toBe('Назначено правилом «Hot leads → Sales» · наименее занятому');
  });
});

describe('eventText', () => {
  afterEach(() => setLocale('en'));
  const base = { from: null, to: null, by: 'Ann', reason: '', routing: null, at: '2026-01-01T00:00:00Z' };
  const rule = { kind: 'rule', ruleId: 'r1', ruleName: 'Hot leads → Sales', strategy: 'least_busy' } as const;
  const roundRobin = { kind: 'default', strategy: 'round_robin' } as const;

  it('words an automatic assignment from its routing decision, not from the stored English', async () => {
    const assigned = { ...base, kind: 'assigned', to: 'Bob', by: 'Beckon' } as const;
    const events: ConversationEvent[] = [
      { ...assigned, reason: 'round-robin among online agents', routing: roundRobin },
      { ...assigned, reason: 'routing rule “Hot leads → Sales” · least busy', routing: rule },
      { ...assigned, reason: 'returning visitor: same agent as before', routing: { kind: 'sticky' } as const },
      { ...assigned, reason: 'visitor turned hot: routed again', routing: roundRobin },
      {
        ...base,
        kind: 'reassigned',
        from: 'Ann',
        to: 'Bob',
        reason: 'no reply within 120 s: reassigned',
        routing: rule,
      },
    ];
    expect(events.map(eventText)).toEqual([
      'Assigned to Bob (round-robin among online agents)',
      'Assigned to Bob (routing rule “Hot leads → Sales” · least busy)',
      'Assigned to Bob (returning visitor: same agent as before)',
      'Assigned to Bob (visitor turned hot · round-robin among online agents)',
      'Reassigned from Ann to Bob (no reply within 120 seconds · routing rule “Hot leads → Sales” · least busy)',
    ]);
    await setLocale('ru');
    expect(events.map(eventText)).toEqual([
      'Назначен: Bob (по очереди среди операторов в сети)',
      'Назначен: Bob (правило «Hot leads → Sales» · наименее занятому)',
      'Назначен: Bob (вернувшийся посетитель: тот же оператор, что и раньше)',
      'Назначен: Bob (посетитель стал горячим · по очереди среди операторов в сети)',
      'Переназначен с Ann на Bob (нет ответа в течение 120 секунд · правило «Hot leads → Sales» · наименее занятому)',
    ]);
  });

  it('shows a stored reason as written when no routing decision came with it', async () => {
    await setLocale('ru');
    // An event from before the structured decision was kept: its words are all there is.
    expect(eventText({ ...base, kind: 'assigned', to: 'Bob', reason: 'round-robin among online agents' })).toBe(
      'Назначен: Bob (round-robin among online agents)',
    );
    // An agent's transfer note stays as typed.
    expect(eventText({ ...base, kind: 'transferred', to: 'Bob', reason: 'говорит по-немецки' })).toBe(
      'Ann передал(а) чат: Bob: «говорит по-немецки»',
    );
    expect(eventText({ ...base, kind: 'unassigned' })).toBe('Снято назначение');
  });

  it('names an agent removed since in the dashboard’s language, wherever they appear', async () => {
    await setLocale('ru');
    expect(shownAgent(formerAgentName)).toBe('Бывший оператор');
    expect(shownAgent('Ann')).toBe('Ann');
    expect(eventText({ ...base, kind: 'taken', from: formerAgentName })).toBe('Ann забрал(а) чат у Бывший оператор');
  });

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
