import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentPresence, LeadSummary, Site } from '@beckon/sdk/protocol';
import { api, errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { ArrowDownIcon, SearchIcon, UsersIcon } from '../../components/Icons';
import { Link } from '../../components/Link';
import { EmptyState, PageHeader, Spinner } from '../../components/PageHeader';
import { shortTime, fullTime, shownAgent, shownPhone } from '../../lib/format';
import { useLive } from '../../live';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../session';
import { CallbackQueue } from '../callbacks';
import { personPath } from '../../lib/paths';
import {
  applyPushedLead,
  channelLabel,
  filtersFromSearch,
  filtersToQuery,
  filtersToSearch,
  leadChannels,
  leadSorts,
  leadStatuses,
  leadTemperatures,
  leadTitle,
  matchesFilters,
  pageSize,
  sortLabel,
  statusLabel,
  temperatureLabel,
  type LeadFilters,
  type LeadSort,
  withPushesDuringLoad,
} from './filters';
import { t } from './i18n';
import { touchText } from './touch';
import { rich } from '../../lib/i18n/rich';

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
    // Leads pushed while a load is in flight: its answer may have been read before they committed.
    let loading = 0;
    let pushedDuringLoad: LeadSummary[] = [];
    const loaded = () => {
      if (--loading === 0) pushedDuringLoad = [];
    };
    const load = () => {
      loading++;
      return api.listLeads(filtersToQuery(site.id, filters)).then(
        (list) => {
          const merged = withPushesDuringLoad(list, pushedDuringLoad, current.current.filters, me.agent.id);
          loaded();
          if (cancelled) return;
          setRows(merged.rows);
          setTotal(merged.total);
        },
        (caught: unknown) => {
          loaded();
          if (!cancelled) setError(errorMessage(caught));
        },
      );
    };
    // Listen before loading so a lead pushed during the request is not lost.
    const offLead = live.on('leadUpdated', (lead) => {
      const { filters: active, siteId } = current.current;
      if (lead.siteId !== siteId) return;
      if (loading > 0) pushedDuringLoad.push(lead);
      setRows((list) => {
        if (!list) return list;
        const { rows: next, totalDelta } = applyPushedLead(
          list,
          lead,
          matchesFilters(lead, active, me.agent.id),
          active.page === 0,
          active.sort,
        );
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
        title={t('title')}
        description={rich(t('description'), { site: <strong>{site.name}</strong> })}
        actions={
          <a class="btn btn-secondary" href={exportHref} download data-testid="export-csv">
            <ArrowDownIcon size={16} />
            <span>{t('exportCsv')}</span>
          </a>
        }
      />

      <CallbackQueue site={site} />

      <form
        class="lead-filters"
        role="search"
        aria-label={t('filterLeads')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label class="lead-search">
          <SearchIcon size={16} />
          <span class="sr-only">{t('searchPlaceholder')}</span>
          <input
            class="input"
            type="search"
            aria-label={t('searchPlaceholder')}
            placeholder={t('searchPlaceholder')}
            // Wide enough for the placeholder in any language: the filter row sizes each filter by its content.
            size={t('searchPlaceholder').length}
            value={search}
            maxLength={100}
            onInput={(event) => setSearch(event.currentTarget.value)}
          />
        </label>
        <FilterSelect
          label={t('status')}
          value={filters.status}
          onChange={(status) => setFilters({ status: status as LeadFilters['status'] })}
        >
          <option value="active">{t('activeStatuses')}</option>
          <option value="">{t('anyStatus')}</option>
          {leadStatuses.map((value) => (
            <option value={value}>{statusLabel(value)}</option>
          ))}
        </FilterSelect>
        <FilterSelect
          label={t('type')}
          value={filters.type}
          onChange={(type) => setFilters({ type: type as LeadFilters['type'] })}
        >
          <option value="">{t('anyChannel')}</option>
          {leadChannels.map((value) => (
            <option value={value}>{channelLabel(value)}</option>
          ))}
        </FilterSelect>
        <FilterSelect
          label={t('sort')}
          value={filters.sort}
          onChange={(sort) => setFilters({ sort: sort as LeadSort })}
        >
          {leadSorts.map((value) => (
            <option value={value}>{sortLabel(value)}</option>
          ))}
        </FilterSelect>
        <FilterSelect
          label={t('temperature')}
          value={filters.temperature}
          onChange={(temperature) => setFilters({ temperature: temperature as LeadFilters['temperature'] })}
        >
          <option value="">{t('anyTemperature')}</option>
          {leadTemperatures.map((value) => (
            <option value={value}>{temperatureLabel(value)}</option>
          ))}
          <option value="none">{t('notScored')}</option>
        </FilterSelect>
        <FilterSelect label={t('agent')} value={filters.assignee} onChange={(assignee) => setFilters({ assignee })}>
          <option value="">{t('anyAgent')}</option>
          <option value="me">{t('assignedToMe')}</option>
          <option value="none">{t('unassigned')}</option>
          {agents
            .filter((agent) => agent.agentId !== me.agent.id)
            .map((agent) => (
              <option value={agent.agentId}>{agent.name}</option>
            ))}
        </FilterSelect>
        <label class="lead-date">
          <span class="lead-filter-label">{t('from')}</span>
          <input
            class="input"
            type="date"
            aria-label={t('createdFrom')}
            value={filters.from}
            max={filters.to || undefined}
            onChange={(event) => setFilters({ from: event.currentTarget.value })}
          />
        </label>
        <label class="lead-date">
          <span class="lead-filter-label">{t('to')}</span>
          <input
            class="input"
            type="date"
            aria-label={t('createdUntil')}
            value={filters.to}
            min={filters.from || undefined}
            onChange={(event) => setFilters({ to: event.currentTarget.value })}
          />
        </label>
        {filtered && (
          <button
            type="button"
            class="btn btn-ghost btn-sm lead-reset"
            onClick={() => navigate(base, { replace: true })}
          >
            {t('reset')}
          </button>
        )}
      </form>

      {error && <Alert>{t('loadFailed', { error })}</Alert>}

      {!rows && !error ? (
        <div class="card">
          <Spinner label={t('loading')} />
        </div>
      ) : rows && rows.length === 0 ? (
        <div class="card">
          <EmptyState icon={<UsersIcon size={22} />} title={filtered ? t('noMatchTitle') : t('noLeadsTitle')}>
            {filtered ? t('noMatchText') : t('noLeadsText')}
          </EmptyState>
        </div>
      ) : (
        rows && (
          <div class="card card-flush">
            <table class="table leads-table">
              <caption class="sr-only">{t('caption', { site: site.name })}</caption>
              <thead>
                <tr>
                  <th scope="col" class="col-lead">
                    {t('colLead')}
                  </th>
                  <th scope="col" class="col-status">
                    {t('status')}
                  </th>
                  <th scope="col" class="col-channels">
                    {t('type')}
                  </th>
                  <th scope="col" class="col-temp">
                    {t('temperature')}
                  </th>
                  <th scope="col" class="col-assignee">
                    {t('agent')}
                  </th>
                  <th scope="col" class="col-touch">
                    {t('colLastTouch')}
                  </th>
                  <th scope="col" class="col-updated">
                    {t('colUpdated')}
                  </th>
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
                        <LeadContact lead={lead} />
                        {lead.person && (
                          <Link
                            class="lead-person-link"
                            to={personPath(site.key, lead.person.id)}
                            title={t('personPageTitle', { name: leadTitle(lead) })}
                          >
                            {t('personPage')}
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
                            {channelLabel(channel)}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td class="col-temp">
                      {lead.temperature ? (
                        <span class={`lead-temp lead-temp-${lead.temperature}`}>
                          {temperatureLabel(lead.temperature)}
                        </span>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td class="col-assignee">
                      {lead.assignee ? shownAgent(lead.assignee.name) : <span class="muted">{t('unassigned')}</span>}
                    </td>
                    <td class="col-touch">
                      <span class="lead-touch" title={lead.lastTouch ? touchText(lead.lastTouch) : undefined}>
                        {lead.lastTouch ? touchText(lead.lastTouch) : '—'}
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
                {t('leadCount', { count: total })}
                {pages > 1 && t('pageOf', { page: filters.page + 1, pages })}
              </span>
              {pages > 1 && (
                <span class="lead-pager-buttons">
                  <button
                    type="button"
                    class="btn btn-secondary btn-sm"
                    disabled={filters.page === 0}
                    onClick={() => setFilters({ page: filters.page - 1 })}
                  >
                    {t('previous')}
                  </button>
                  <button
                    type="button"
                    class="btn btn-secondary btn-sm"
                    disabled={filters.page + 1 >= pages}
                    onClick={() => setFilters({ page: filters.page + 1 })}
                  >
                    {t('next')}
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

/** What else reaches the lead (the title already shows one of them); it gives way to the person link beside it. */
function LeadContact({ lead }: { lead: LeadSummary }) {
  const phone = lead.phone && shownPhone(lead.phone);
  const contact = [lead.name ? lead.email : null, phone !== leadTitle(lead) ? phone : null].filter(Boolean).join(' · ');
  return contact ? (
    <span class="lead-contact-text" title={contact}>
      {contact}
    </span>
  ) : null;
}

function FilterSelect({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: preact.ComponentChildren;
}) {
  return (
    <label class="lead-select">
      <span class="lead-filter-label">{label}</span>
      <select
        class="input select"
        aria-label={label}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {children}
      </select>
    </label>
  );
}

export function StatusBadge({ status }: { status: LeadSummary['status'] }) {
  return <span class={`lead-status lead-status-${status}`}>{statusLabel(status)}</span>;
}
