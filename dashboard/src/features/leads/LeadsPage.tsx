import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentPresence, LeadSummary, Site } from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { ArrowDownIcon, SearchIcon, UsersIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { shortTime, fullTime, withLocalTimes } from '../../lib/format';
import { useLive } from '../../live';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../session';
import { CallbackQueue } from '../callbacks';
import { personPath } from '../../lib/paths';
import {
  applyPushedLead,
  channelLabels,
  filtersFromSearch,
  filtersToQuery,
  filtersToSearch,
  leadTitle,
  matchesFilters,
  pageSize,
  sortLabels,
  statusLabels,
  temperatureLabels,
  type LeadFilters,
  type LeadSort,
} from './filters';

/** How long a pushed row stays highlighted. */
const HIGHLIGHT_MS = 2_500;

export function LeadsPage({ site }: { site: Site }) {
  const live = useLive();
  const { me } = useSession();
  const location = useLocation();
  const filters = filtersFromSearch(location.search);
  const filterKey = filtersToSearch(filters).toString();
  const [rows, setRows] = useState<LeadSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [agents, setAgents] = useState<AgentPresence[]>([]);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [now, setNow] = useState(Date.now());
  const [search, setSearch] = useState(filters.q);
  const current = useRef({ filters, siteId: site.id });
  current.current = { filters, siteId: site.id };

  const base = `/sites/${encodeURIComponent(site.key)}/leads`;
  const setFilters = (change: Partial<LeadFilters>) => {
    const next = { ...filters, page: 0, ...change };
    const query = filtersToSearch(next).toString();
    navigate(query ? `${base}?${query}` : base, { replace: true });
  };

  useEffect(() => {
    api.sitePresence(site.id).then(setAgents, () => setAgents([]));
  }, [site.id]);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    const load = () =>
      api.listLeads(filtersToQuery(site.id, filters)).then(
        (list) => {
          if (cancelled) return;
          setRows(list.leads);
          setTotal(list.total);
        },
        (caught: unknown) => !cancelled && setError(errorMessage(caught)),
      );
    // Listen before loading so a lead pushed during the request is not lost.
    const offLead = live.on('leadUpdated', (lead) => {
      const { filters: active, siteId } = current.current;
      if (lead.siteId !== siteId) return;
      setRows((list) => {
        if (!list) return list;
        const { rows: next, totalDelta } = applyPushedLead(list, lead, matchesFilters(lead, active, me.agent.id), active.page === 0, active.sort);
        if (totalDelta) setTotal((count) => Math.max(0, count + totalDelta));
        return next;
      });
      setFresh((set) => new Set(set).add(lead.id));
      setTimeout(() => setFresh((set) => new Set([...set].filter((id) => id !== lead.id))), HIGHLIGHT_MS);
    });
    const offConnect = live.on('connect', () => void load());
    void load();
    return () => {
      cancelled = true;
      offLead();
      offConnect();
    };
  }, [site.id, filterKey, live.on]);

  useEffect(() => setSearch(filters.q), [filters.q]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  // Debounced search: typing does not fire a request per key.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => setFilters({ q: search }), 350);
    return () => clearTimeout(timer);
  }, [search]);

  const exportHref = `/api/leads/export.csv?${filtersToQuery(site.id, filters, { paged: false })}`;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filtered = filterKey !== '';

  return (
    <div class="page page-wide">
      <PageHeader
        title="Leads"
        description={<>Everyone who reached <strong>{site.name}</strong> by chat, callback or feedback: one row per person.</>}
        actions={
          <a class="btn btn-secondary" href={exportHref} download data-testid="export-csv">
            <ArrowDownIcon size={16} />
            <span>Export CSV</span>
          </a>
        }
      />

      <CallbackQueue site={site} />

      <form class="lead-filters" role="search" aria-label="Filter leads" onSubmit={(event) => event.preventDefault()}>
        <label class="lead-search">
          <SearchIcon size={16} />
          <span class="sr-only">Search name, email or phone</span>
          <input class="input" type="search" aria-label="Search name, email or phone" placeholder="Search name, email or phone" value={search} maxLength={100} onInput={(event) => setSearch(event.currentTarget.value)} />
        </label>
        <FilterSelect label="Status" value={filters.status} onChange={(status) => setFilters({ status: status as LeadFilters['status'] })}>
          <option value="active">Active (new, open, contacted)</option>
          <option value="">Any status</option>
          {Object.entries(statusLabels).map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </FilterSelect>
        <FilterSelect label="Type" value={filters.type} onChange={(type) => setFilters({ type: type as LeadFilters['type'] })}>
          <option value="">Any channel</option>
          {Object.entries(channelLabels).map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </FilterSelect>
        <FilterSelect label="Sort" value={filters.sort} onChange={(sort) => setFilters({ sort: sort as LeadSort })}>
          {Object.entries(sortLabels).map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </FilterSelect>
        <FilterSelect label="Temperature" value={filters.temperature} onChange={(temperature) => setFilters({ temperature: temperature as LeadFilters['temperature'] })}>
          <option value="">Any temperature</option>
          {Object.entries(temperatureLabels).map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
          <option value="none">Not scored</option>
        </FilterSelect>
        <FilterSelect label="Agent" value={filters.assignee} onChange={(assignee) => setFilters({ assignee })}>
          <option value="">Any agent</option>
          <option value="me">Assigned to me</option>
          <option value="none">Unassigned</option>
          {agents
            .filter((agent) => agent.agentId !== me.agent.id)
            .map((agent) => (
              <option value={agent.agentId}>{agent.name}</option>
            ))}
        </FilterSelect>
        <label class="lead-date">
          <span class="lead-filter-label">From</span>
          <input class="input" type="date" aria-label="Created from" value={filters.from} max={filters.to || undefined} onChange={(event) => setFilters({ from: event.currentTarget.value })} />
        </label>
        <label class="lead-date">
          <span class="lead-filter-label">To</span>
          <input class="input" type="date" aria-label="Created until" value={filters.to} min={filters.from || undefined} onChange={(event) => setFilters({ to: event.currentTarget.value })} />
        </label>
        {filtered && (
          <button type="button" class="btn btn-ghost btn-sm lead-reset" onClick={() => navigate(base, { replace: true })}>
            Reset
          </button>
        )}
      </form>

      {error && <Alert>Could not load leads: {error}</Alert>}

      {!rows && !error ? (
        <div class="card">
          <Spinner label="Loading leads" />
        </div>
      ) : rows && rows.length === 0 ? (
        <div class="card">
          <EmptyState icon={<UsersIcon size={22} />} title={filtered ? 'No leads match these filters' : 'No leads yet'}>
            {filtered
              ? 'Try another status or date range, or reset the filters.'
              : 'A visitor becomes a lead when they leave a phone number or email: a callback request, feedback with an email, or a chat. They appear here as it happens.'}
          </EmptyState>
        </div>
      ) : (
        rows && (
          <div class="card card-flush">
            <table class="table leads-table">
              <caption class="sr-only">Leads of {site.name}</caption>
              <thead>
                <tr>
                  <th scope="col" class="col-lead">Lead</th>
                  <th scope="col" class="col-status">Status</th>
                  <th scope="col" class="col-channels">Type</th>
                  <th scope="col" class="col-temp">Temperature</th>
                  <th scope="col" class="col-assignee">Agent</th>
                  <th scope="col" class="col-touch">Last touch</th>
                  <th scope="col" class="col-updated">Updated</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((lead) => (
                  <tr key={lead.id} class={fresh.has(lead.id) ? 'row-fresh' : undefined} data-lead-id={lead.id}>
                    <td class="col-lead">
                      <Link to={`${base}/${lead.id}`} class="lead-link">
                        {leadTitle(lead)}
                      </Link>
                      <span class="lead-contact">
                        {[lead.name ? lead.email : null, lead.phone !== leadTitle(lead) ? lead.phone : null].filter(Boolean).join(' · ')}
                        {lead.person && (
                          <Link class="lead-person-link" to={personPath(site.key, lead.person.id)} title={`${leadTitle(lead)}: every browser, chat, callback and visit`}>
                            Person page
                          </Link>
                        )}
                      </span>
                    </td>
                    <td class="col-status">
                      <StatusBadge status={lead.status} />
                    </td>
                    <td class="col-channels">
                      <span class="chips">
                        {lead.channels.map((channel) => (
                          <span class="chip" key={channel}>
                            {channelLabels[channel]}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td class="col-temp">{lead.temperature ? <span class={`lead-temp lead-temp-${lead.temperature}`}>{temperatureLabels[lead.temperature]}</span> : <span class="muted">—</span>}</td>
                    <td class="col-assignee">{lead.assignee ? lead.assignee.name : <span class="muted">Unassigned</span>}</td>
                    <td class="col-touch">
                      <span class="lead-touch" title={lead.lastTouch ? withLocalTimes(lead.lastTouch.summary) : undefined}>
                        {lead.lastTouch ? withLocalTimes(lead.lastTouch.summary) : '—'}
                      </span>
                    </td>
                    <td class="col-updated">
                      <span title={fullTime(lead.updatedAt)}>{shortTime(lead.updatedAt, now)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <footer class="lead-pager">
              <span class="muted" role="status">
                {total === 1 ? '1 lead' : `${total} leads`}
                {pages > 1 && ` · page ${filters.page + 1} of ${pages}`}
              </span>
              {pages > 1 && (
                <span class="lead-pager-buttons">
                  <button type="button" class="btn btn-secondary btn-sm" disabled={filters.page === 0} onClick={() => setFilters({ page: filters.page - 1 })}>
                    Previous
                  </button>
                  <button type="button" class="btn btn-secondary btn-sm" disabled={filters.page + 1 >= pages} onClick={() => setFilters({ page: filters.page + 1 })}>
                    Next
                  </button>
                </span>
              )}
            </footer>
          </div>
        )
      )}
    </div>
  );
}

function FilterSelect({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: preact.ComponentChildren }) {
  return (
    <label class="lead-select">
      <span class="lead-filter-label">{label}</span>
      <select class="input select" aria-label={label} value={value} onChange={(event) => onChange(event.currentTarget.value)}>
        {children}
      </select>
    </label>
  );
}

export function StatusBadge({ status }: { status: LeadSummary['status'] }) {
  return <span class={`lead-status lead-status-${status}`}>{statusLabels[status]}</span>;
}
