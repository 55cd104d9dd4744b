import { describe, expect, it } from 'vitest';
import type { LeadSummary } from '@beckon/sdk/protocol';
import { leadForm, reloadedForm } from './lead-form';

const lead = (overrides: Partial<LeadSummary> = {}) =>
  ({
    id: 'lead-1',
    status: 'new',
    assignee: null,
    outcomeNote: null,
    lostReason: null,
    lostReasonText: null,
    ...overrides,
  }) as LeadSummary;

describe('the lead form after the lead is read again', () => {
  it('keeps a status the agent picked when the live socket reconnects and the same lead comes back', () => {
    const stored = lead();
    const form = { ...leadForm(stored), status: 'lost' as const, lostReason: 'other' as const, lostText: 'too far' };
    expect(reloadedForm(form, stored, lead())).toEqual(form);
  });

  it("shows someone else's change in the fields the agent left alone, and keeps the one they are editing", () => {
    const stored = lead();
    const form = { ...leadForm(stored), note: 'called twice' };
    const changed = lead({ status: 'contacted', assignee: { id: 'agent-2', name: 'Ann' } as LeadSummary['assignee'] });
    expect(reloadedForm(form, stored, changed)).toEqual({
      status: 'contacted',
      assigneeId: 'agent-2',
      note: 'called twice',
      lostReason: '',
      lostText: '',
    });
  });

  it('starts from what is stored when the page moves on to another lead', () => {
    const form = { ...leadForm(lead()), note: 'typed for the first lead' };
    expect(reloadedForm(form, lead(), lead({ id: 'lead-2', outcomeNote: 'met twice' }))).toMatchObject({
      note: 'met twice',
    });
  });

  it('shows the lead as read the first time, and after a save', () => {
    const form = { ...leadForm(lead()), status: 'won' as const };
    expect(reloadedForm(form, null, lead({ status: 'lost', lostReason: 'price' }))).toMatchObject({
      status: 'lost',
      lostReason: 'price',
    });
  });
});
