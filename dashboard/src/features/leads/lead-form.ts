import type { LeadStatus, LeadSummary, LostReason } from '@beckon/sdk/protocol';

/** What an agent edits on a lead's page, as the form holds it ('' for none). */
export interface LeadForm {
  status: LeadStatus;
  assigneeId: string;
  note: string;
  lostReason: LostReason | '';
  lostText: string;
}

/** The form showing `lead` as stored. */
export function leadForm(lead: LeadSummary): LeadForm {
  return {
    status: lead.status,
    assigneeId: lead.assignee?.id ?? '',
    note: lead.outcomeNote ?? '',
    lostReason: lead.lostReason ?? '',
    lostText: lead.lostReasonText ?? '',
  };
}

/**
 * The form after the lead was read again (the live socket connected, someone else changed it): each field
 * the agent has not touched since `before` (the lead the form last showed) takes the new value; an edit in
 * progress is kept, never thrown away under the agent's cursor. A different lead starts from what is stored.
 */
export function reloadedForm(form: LeadForm, before: LeadSummary | null, next: LeadSummary): LeadForm {
  const fresh = leadForm(next);
  // Another lead (the page moved on to it): nothing typed for the last one belongs to it.
  if (!before || before.id !== next.id) return fresh;
  const was = leadForm(before);
  const keep = <K extends keyof LeadForm>(field: K): LeadForm[K] =>
    form[field] !== was[field] ? form[field] : fresh[field];
  return {
    status: keep('status'),
    assigneeId: keep('assigneeId'),
    note: keep('note'),
    lostReason: keep('lostReason'),
    lostText: keep('lostText'),
  };
}
