import { describe, expect, it } from 'vitest';
import type { Callback } from '@beckon/sdk/protocol';
import { deadline, formatSpan, hotLeadRules, mergeIntoQueue, orderQueue, parsePrefixes, telHref } from './queue';

const callback = (id: string, dueAt: string, status: Callback['status'] = 'pending'): Callback => ({
  id,
  siteId: 's',
  phone: '+4930901820',
  name: null,
  mode: 'now',
  status,
  requestedAt: dueAt,
  dueAt,
  overdueAt: null,
  assignee: null,
  takenAt: null,
  outcome: null,
  note: null,
  attempts: 0,
  leadId: null,
  pageUrl: null,
  createdAt: dueAt,
  temperature: null,
  routing: null,
});

describe('mergeIntoQueue', () => {
  it('keeps the soonest deadline first, updates in place and drops finished callbacks', () => {
    const a = callback('a', '2026-11-23T10:05:00Z');
    const b = callback('b', '2026-11-23T10:01:00Z');
    expect(mergeIntoQueue([], [a, b]).map((c) => c.id)).toEqual(['b', 'a']);
    const retried = { ...b, dueAt: '2026-11-23T11:00:00Z' };
    expect(mergeIntoQueue([b, a], [retried]).map((c) => c.id)).toEqual(['a', 'b']);
    expect(mergeIntoQueue([b, a], [{ ...a, status: 'done' }]).map((c) => c.id)).toEqual(['b']);
  });
});

describe('orderQueue', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');
  const rule = {
    id: 'rr_hot_sales',
    name: 'Hot → Sales',
    enabled: true,
    conditions: { temperatures: ['hot' as const] },
    target: { kind: 'team' as const, teamId: 't' },
    strategy: 'round_robin' as const,
  };
  const ids = (ordered: ReturnType<typeof orderQueue>) => ordered.map((entry) => entry.callback.id);

  it('puts an overdue "call me now" above a hot callback booked hours away, then goes by deadline', () => {
    const bookedHot = {
      ...callback('booked-hot', '2026-12-06T00:00:00Z'),
      mode: 'scheduled' as const,
      temperature: 'hot' as const,
    };
    const overdueNow = callback('overdue-now', '2026-12-05T09:55:00Z');
    const soon = { ...callback('soon-cold', '2026-12-05T10:04:00Z'), temperature: 'cold' as const };
    const ordered = orderQueue(mergeIntoQueue([], [bookedHot, soon, overdueNow]), now, hotLeadRules([]));
    expect(ids(ordered)).toEqual(['overdue-now', 'soon-cold', 'booked-hot']);
    expect(ordered.map((entry) => entry.place.kind)).toEqual(['overdue', 'deadline', 'deadline']);
  });

  it('moves hot leads up only where a routing rule for hot leads assigned them, and says so; never above overdue ones', () => {
    const routedHot = {
      ...callback('routed-hot', '2026-12-05T10:30:00Z'),
      temperature: 'hot' as const,
      routing: { kind: 'rule' as const, ruleId: rule.id, ruleName: rule.name, strategy: 'round_robin' as const },
    };
    const defaultHot = {
      ...callback('default-hot', '2026-12-05T10:20:00Z'),
      temperature: 'hot' as const,
      routing: { kind: 'default' as const, strategy: 'round_robin' as const },
    };
    const soon = callback('soon', '2026-12-05T10:05:00Z');
    const overdue = { ...callback('overdue', '2026-12-05T10:10:00Z'), overdueAt: '2026-12-05T09:59:00Z' };
    const ordered = orderQueue(mergeIntoQueue([], [routedHot, defaultHot, soon, overdue]), now, hotLeadRules([rule]));
    expect(ids(ordered)).toEqual(['overdue', 'routed-hot', 'soon', 'default-hot']);
    expect(ordered[1]!.place).toEqual({ kind: 'hot_rule', ruleName: 'Hot → Sales' });
    // A disabled rule says nothing.
    expect(ids(orderQueue([routedHot, soon], now, hotLeadRules([{ ...rule, enabled: false }])))).toEqual([
      'soon',
      'routed-hot',
    ]);
  });
});

describe('deadline', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it('counts down, warns in the last two minutes and shows how late an overdue one is', () => {
    expect(deadline(callback('a', '2026-11-23T10:04:05Z'), now)).toEqual({ state: 'waiting', label: '4:05 left' });
    expect(deadline(callback('a', '2026-11-23T10:01:30Z'), now)).toEqual({ state: 'soon', label: '1:30 left' });
    expect(deadline(callback('a', '2026-11-23T09:58:50Z'), now)).toEqual({ state: 'overdue', label: 'Overdue 1:10' });
    expect(deadline(callback('a', '2026-11-23T09:58:50Z', 'calling'), now).state).toBe('calling');
  });

  it('formats long spans in hours and days', () => {
    expect(formatSpan(2 * 3_600_000 + 10 * 60_000)).toBe('2 h 10 min');
    expect(formatSpan(3 * 86_400_000)).toBe('3 d');
  });
});

describe('phone display', () => {
  it('links the exact E.164 number, whatever formatting crept in', () => {
    expect(telHref('+4930901820')).toBe('tel:+4930901820');
    expect(telHref('+49 30 901820')).toBe('tel:+4930901820');
  });
});

describe('parsePrefixes', () => {
  it('reads one prefix per line, ignoring spacing and duplicates, and reports the rest', () => {
    expect(parsePrefixes('+1 900\n+44 9\n\n+1900\n0900')).toEqual({ prefixes: ['+1900', '+449'], invalid: ['0900'] });
  });
});

describe('waitingCount', () => {
  it('counts requests nobody has taken yet', async () => {
    const { waitingCount } = await import('./count');
    expect(
      waitingCount([callback('a', '2026-11-23T10:00:00Z'), callback('b', '2026-11-23T10:00:00Z', 'calling')]),
    ).toBe(1);
  });
});
