import { visitorLabel } from '@beckon/sdk/protocol/constants';
import { describe, expect, it } from 'vitest';
import type { LeadSummary } from '@beckon/sdk/protocol';
import { setLocale } from '../../lib/i18n';
import {
  applyPushedLead,
  filtersFromSearch,
  filtersToQuery,
  filtersToSearch,
  leadTitle,
  matchesFilters,
  pageSize,
  withPushesDuringLoad,
} from './filters';

const lead = (over: Partial<LeadSummary> = {}): LeadSummary => ({
  id: 'l1',
  siteId: 's1',
  status: 'new',
  name: 'Ana',
  email: 'ana@example.com',
  phone: '+34612345678',
  channels: ['callback'],
  temperature: null,
  score: null,
  assignee: null,
  outcomeNote: null,
  lastTouch: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  ...over,
});

describe('lead filters', () => {
  it('round-trip through the page URL, with "active" as the unwritten default', () => {
    const filters = filtersFromSearch(
      new URLSearchParams('type=chat&status=won&assignee=me&from=2026-11-01&q=ana&sort=name&page=2'),
    );
    expect(filtersFromSearch(filtersToSearch(filters))).toEqual(filters);
    expect(filtersFromSearch(new URLSearchParams('')).status).toBe('active');
    expect(filtersToSearch(filtersFromSearch(new URLSearchParams(''))).toString()).toBe('');
  });

  it('ignore values the API would refuse instead of breaking the page', () => {
    expect(filtersFromSearch(new URLSearchParams('type=fax&status=deleted&from=yesterday&page=-4'))).toMatchObject({
      type: '',
      status: '',
      from: '',
      page: 0,
    });
  });

  it('become the API query, active meaning new, open and contacted', () => {
    const query = filtersToQuery('s1', filtersFromSearch(new URLSearchParams('type=feedback&page=1')));
    expect(Object.fromEntries(query)).toEqual({
      siteId: 's1',
      type: 'feedback',
      status: 'new,open,contacted',
      limit: String(pageSize),
      offset: String(pageSize),
    });
    expect(
      filtersToQuery('s1', filtersFromSearch(new URLSearchParams('status=spam')), { paged: false }).toString(),
    ).toBe('siteId=s1&status=spam');
    expect(
      filtersToQuery('s1', filtersFromSearch(new URLSearchParams('status=&sort=name')), { paged: false }).toString(),
    ).toBe('siteId=s1&sort=name&order=asc');
    expect(
      filtersToQuery('s1', filtersFromSearch(new URLSearchParams('status=&sort=score')), { paged: false }).toString(),
    ).toBe('siteId=s1&sort=score&order=desc');
  });

  it('decide whether a pushed lead belongs in the filtered table', () => {
    const active = filtersFromSearch(new URLSearchParams(''));
    expect(matchesFilters(lead(), active, 'me-id')).toBe(true);
    expect(matchesFilters(lead({ status: 'won' }), active, 'me-id')).toBe(false);
    expect(matchesFilters(lead(), filtersFromSearch(new URLSearchParams('type=chat')), 'me-id')).toBe(false);
    expect(
      matchesFilters(
        lead({ assignee: { id: 'me-id', name: 'Me' } }),
        filtersFromSearch(new URLSearchParams('assignee=me')),
        'me-id',
      ),
    ).toBe(true);
    expect(matchesFilters(lead(), filtersFromSearch(new URLSearchParams('assignee=me')), 'me-id')).toBe(false);
    expect(matchesFilters(lead(), filtersFromSearch(new URLSearchParams('q=%2B3461')), 'me-id')).toBe(true);
    expect(matchesFilters(lead(), filtersFromSearch(new URLSearchParams('from=2026-11-21')), 'me-id')).toBe(false);
    expect(matchesFilters(lead(), filtersFromSearch(new URLSearchParams('temperature=none')), 'me-id')).toBe(true);
  });

  it('keep a lead pushed while the page was loading when the list was read before it committed', () => {
    const filters = filtersFromSearch(new URLSearchParams());
    const loaded = { leads: [lead({ id: 'a' })], total: 1 };
    const pushed = lead({ id: 'new', email: 'new@example.com', updatedAt: '2026-11-20T10:05:00.000Z' });
    expect(withPushesDuringLoad(loaded, [pushed], filters, 'me-id')).toEqual({
      rows: [pushed, lead({ id: 'a' })],
      total: 2,
    });
    // Already in the list (read after the commit): counted once.
    expect(
      withPushesDuringLoad({ leads: [pushed, lead({ id: 'a' })], total: 2 }, [pushed], filters, 'me-id').total,
    ).toBe(2);
    // The list holds a newer state of the lead than the push: the list wins.
    const newer = lead({ id: 'a', status: 'open', updatedAt: '2026-11-20T10:09:00.000Z' });
    const older = lead({ id: 'a', status: 'new', updatedAt: '2026-11-20T10:01:00.000Z' });
    expect(withPushesDuringLoad({ leads: [newer], total: 1 }, [older], filters, 'me-id').rows).toEqual([newer]);
    // A push that does not match the view's filters is not added.
    const closed = filtersFromSearch(new URLSearchParams('status=won'));
    expect(withPushesDuringLoad({ leads: [], total: 0 }, [pushed], closed, 'me-id')).toEqual({ rows: [], total: 0 });
  });

  it('move a pushed match to the top of the first page and drop a lead that stopped matching', () => {
    const rows = [lead({ id: 'a' }), lead({ id: 'b' })];
    expect(applyPushedLead(rows, lead({ id: 'b', name: 'Bo' }), true, true)).toEqual({
      rows: [lead({ id: 'b', name: 'Bo' }), lead({ id: 'a' })],
      totalDelta: 0,
    });
    expect(applyPushedLead(rows, lead({ id: 'c' }), true, true).totalDelta).toBe(1);
    expect(applyPushedLead(rows, lead({ id: 'a', status: 'spam' }), false, true)).toEqual({
      rows: [lead({ id: 'b' })],
      totalDelta: -1,
    });
    expect(applyPushedLead(rows, lead({ id: 'c' }), true, false).rows).toEqual(rows);
    // Sorted by name, a touched lead stays where it is (updated in place) instead of jumping to the top.
    expect(
      applyPushedLead(rows, lead({ id: 'b', status: 'open' }), true, true, 'name').rows.map((row) => [
        row.id,
        row.status,
      ]),
    ).toEqual([
      ['a', 'new'],
      ['b', 'open'],
    ]);
  });
});

describe('leadTitle', () => {
  it("shows the person's name, their label in the agent's language, else the lead's own contact", async () => {
    const label = visitorLabel('visitor_q');
    const code = label.slice('Visitor '.length);
    const anonymous = lead({ name: null, email: null, phone: null, person: { id: 'p', name: label } });
    expect(leadTitle(anonymous)).toBe(label);
    try {
      await setLocale('ru');
      expect(leadTitle(anonymous)).toBe(`Посетитель ${code}`);
      expect(leadTitle(lead({ person: { id: 'p', name: 'Ana Roe' } }))).toBe('Ana Roe');
      expect(leadTitle(lead({ name: null }))).toBe('ana@example.com');
    } finally {
      await setLocale('en');
    }
  });
});
