import type { LeadChannel, LeadStatus, LeadSummary, LeadTemperature, LostReason } from '@beckon/sdk/protocol';
import { shownName, shownPhone } from '../../lib/format';
import { t } from './i18n';

/** The table's filters, kept in the page URL so a reload, a shared link and the CSV export agree. */
export interface LeadFilters {
  type: LeadChannel | '';
  temperature: LeadTemperature | 'none' | '';
  status: LeadStatus | 'active' | '';
  /** '' anyone, 'me', 'none' (unassigned) or an agent id. */
  assignee: string;
  /** yyyy-mm-dd, created on or after / on or before. */
  from: string;
  to: string;
  q: string;
  sort: LeadSort;
  page: number;
}

/** Table orders; `updated` (recent activity first) is the default. */
export type LeadSort = 'updated' | 'created' | 'score' | 'name';
const sortKeys = { updated: 'sortUpdated', created: 'sortCreated', score: 'sortScore', name: 'sortName' } as const;
export const leadSorts = Object.keys(sortKeys) as LeadSort[];
export const sortLabel = (sort: LeadSort) => t(sortKeys[sort]);

export const pageSize = 25;

/** "Active" hides what nobody needs to work on any more; it is the default view. */
export const activeStatuses: LeadStatus[] = ['new', 'open', 'contacted'];

const statusKeys = {
  new: 'statusNew',
  open: 'statusOpen',
  contacted: 'statusContacted',
  won: 'statusWon',
  lost: 'statusLost',
  closed: 'statusClosed',
  spam: 'statusSpam',
} as const;
export const leadStatuses = Object.keys(statusKeys) as LeadStatus[];
export const isLeadStatus = (value: string): value is LeadStatus => value in statusKeys;
/** A status in the dashboard's language. */
export const statusLabel = (status: LeadStatus) => t(statusKeys[status]);

const lostReasonKeys = {
  price: 'lostPrice',
  competitor: 'lostCompetitor',
  no_response: 'lostNoResponse',
  not_interested: 'lostNotInterested',
  no_budget: 'lostNoBudget',
  timing: 'lostTiming',
  not_a_lead: 'lostNotALead',
  spam: 'lostSpam',
  other: 'lostOther',
} as const satisfies Record<LostReason, string>;
/** Why a lead was lost, in the dashboard's language (the protocol's closed list). */
export const lostReasonLabel = (reason: LostReason) => t(lostReasonKeys[reason]);

const channelKeys = { chat: 'channelChat', callback: 'channelCallback', feedback: 'channelFeedback' } as const;
export const leadChannels = Object.keys(channelKeys) as LeadChannel[];
export const channelLabel = (channel: LeadChannel) => t(channelKeys[channel]);
const temperatureKeys = { hot: 'tempHot', warm: 'tempWarm', cold: 'tempCold' } as const;
export const leadTemperatures = Object.keys(temperatureKeys) as LeadTemperature[];
export const temperatureLabel = (temperature: LeadTemperature) => t(temperatureKeys[temperature]);

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | '' =>
  value && (allowed as readonly string[]).includes(value) ? (value as T) : '';
const isDate = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');

export function filtersFromSearch(search: URLSearchParams): LeadFilters {
  return {
    type: pick(search.get('type'), ['chat', 'callback', 'feedback'] as const),
    temperature: pick(search.get('temperature'), ['hot', 'warm', 'cold', 'none'] as const),
    status: search.has('status')
      ? pick(search.get('status'), ['active', 'new', 'open', 'contacted', 'won', 'lost', 'closed', 'spam'] as const)
      : 'active',
    assignee: search.get('assignee')?.slice(0, 40) ?? '',
    from: isDate(search.get('from')),
    to: isDate(search.get('to')),
    q: search.get('q')?.slice(0, 100) ?? '',
    sort: pick(search.get('sort'), ['created', 'score', 'name'] as const) || 'updated',
    page: Math.max(0, Math.min(4000, Number(search.get('page')) || 0)),
  };
}

/** What the page URL carries (defaults left out, so the plain URL is the default view). */
export function filtersToSearch(filters: LeadFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.type) search.set('type', filters.type);
  if (filters.temperature) search.set('temperature', filters.temperature);
  if (filters.status !== 'active') search.set('status', filters.status);
  if (filters.assignee) search.set('assignee', filters.assignee);
  if (filters.from) search.set('from', filters.from);
  if (filters.to) search.set('to', filters.to);
  if (filters.q.trim()) search.set('q', filters.q.trim());
  if (filters.sort !== 'updated') search.set('sort', filters.sort);
  if (filters.page > 0) search.set('page', String(filters.page));
  return search;
}

/** The `GET /api/leads` (and export) query for these filters on one site. */
export function filtersToQuery(siteId: string, filters: LeadFilters, { paged = true } = {}): URLSearchParams {
  const query = new URLSearchParams({ siteId });
  if (filters.type) query.set('type', filters.type);
  if (filters.temperature) query.set('temperature', filters.temperature);
  if (filters.status === 'active') query.set('status', activeStatuses.join(','));
  else if (filters.status) query.set('status', filters.status);
  if (filters.assignee) query.set('assignee', filters.assignee);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (filters.q.trim()) query.set('q', filters.q.trim());
  if (filters.sort !== 'updated') {
    query.set('sort', filters.sort);
    // Names read A→Z; every other order puts the biggest or newest first.
    query.set('order', filters.sort === 'name' ? 'asc' : 'desc');
  }
  if (paged) {
    query.set('limit', String(pageSize));
    query.set('offset', String(filters.page * pageSize));
  }
  return query;
}

/** Whether a pushed lead belongs in the table as filtered (the server decides for fetched pages). */
export function matchesFilters(lead: LeadSummary, filters: LeadFilters, myId: string): boolean {
  if (filters.type && !lead.channels.includes(filters.type)) return false;
  if (
    filters.temperature === 'none'
      ? lead.temperature !== null
      : filters.temperature && lead.temperature !== filters.temperature
  )
    return false;
  if (
    filters.status === 'active'
      ? !activeStatuses.includes(lead.status)
      : filters.status && lead.status !== filters.status
  )
    return false;
  if (filters.assignee === 'me' && lead.assignee?.id !== myId) return false;
  if (filters.assignee === 'none' && lead.assignee) return false;
  if (
    filters.assignee &&
    filters.assignee !== 'me' &&
    filters.assignee !== 'none' &&
    lead.assignee?.id !== filters.assignee
  )
    return false;
  const created = lead.createdAt.slice(0, 10);
  if (filters.from && created < filters.from) return false;
  if (filters.to && created > filters.to) return false;
  const q = filters.q.trim().toLowerCase();
  if (q && ![lead.name, lead.email, lead.phone].some((value) => value?.toLowerCase().includes(q))) return false;
  return true;
}

/**
 * Applies a pushed lead to the first page (newest activity first): a match moves to the top, a lead that
 * stopped matching (closed while the view shows active ones) leaves. Later pages are left alone: rows
 * jumping between pages while someone reads them is worse than a slightly stale page.
 */
export function applyPushedLead(
  rows: LeadSummary[],
  lead: LeadSummary,
  matches: boolean,
  firstPage: boolean,
  sort: LeadSort = 'updated',
): { rows: LeadSummary[]; totalDelta: number } {
  const present = rows.some((row) => row.id === lead.id);
  const rest = rows.filter((row) => row.id !== lead.id);
  if (!matches) return { rows: rest, totalDelta: present ? -1 : 0 };
  // Only "recent activity" has a place for a changed lead that is known without asking the server: the top.
  if (!firstPage || sort !== 'updated')
    return { rows: present ? rows.map((row) => (row.id === lead.id ? lead : row)) : rows, totalDelta: present ? 0 : 1 };
  return { rows: [lead, ...rest].slice(0, pageSize), totalDelta: present ? 0 : 1 };
}

/**
 * A loaded page with the pushes that arrived while it was loading applied again on top: the list may have
 * been read before those leads committed, and replacing the rows with it would lose them until the next
 * load. A push older than the row the list holds is left out (the list is newer).
 */
export function withPushesDuringLoad(
  loaded: { leads: LeadSummary[]; total: number },
  pushes: readonly LeadSummary[],
  filters: LeadFilters,
  myId: string,
): { rows: LeadSummary[]; total: number } {
  let rows = loaded.leads;
  let total = loaded.total;
  for (const lead of pushes) {
    const listed = rows.find((row) => row.id === lead.id);
    if (listed && Date.parse(listed.updatedAt) > Date.parse(lead.updatedAt)) continue;
    const applied = applyPushedLead(rows, lead, matchesFilters(lead, filters, myId), filters.page === 0, filters.sort);
    rows = applied.rows;
    total = Math.max(0, total + applied.totalDelta);
  }
  return { rows, total };
}

/** The name to show: a name, else the email or phone, never an empty cell. */
/** The lead's person's one display name (the same on every page); the lead's own contact for old data. */
export const leadTitle = (
  lead: Pick<LeadSummary, 'name' | 'email' | 'phone'> & Partial<Pick<LeadSummary, 'person'>>,
) =>
  lead.person
    ? shownName(lead.person.name)
    : lead.name || lead.email || (lead.phone && shownPhone(lead.phone)) || t('anonymousVisitor');

/** A timeline entry's kind (`callback.requested`) in words. */
export function touchLabel(kind: string): string {
  const known: Record<string, Parameters<typeof t>[0]> = {
    'callback.requested': 'touchCallbackRequested',
    'callback.outcome': 'touchCallbackOutcome',
    'callback.taken': 'touchCallbackTaken',
    'feedback.submitted': 'touchFeedbackSubmitted',
    'chat.started': 'touchChatStarted',
    'chat.offline_message': 'touchOfflineMessage',
  };
  const key = known[kind];
  return key ? t(key) : kind.replace(/[._]/g, ' ').replace(/^\w/, (char) => char.toUpperCase());
}

/** What an audit row changed, in words. */
export function auditLabel(field: string): string {
  const known: Record<string, Parameters<typeof t>[0]> = {
    status: 'fieldStatus',
    assignee: 'fieldAssignee',
    outcomeNote: 'fieldOutcomeNote',
    email: 'fieldEmail',
    phone: 'fieldPhone',
    name: 'fieldName',
    duplicate: 'fieldDuplicate',
    temperature: 'fieldTemperature',
    score: 'fieldScore',
  };
  const key = known[field];
  return key ? t(key) : field;
}
