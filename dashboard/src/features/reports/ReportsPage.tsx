import type { ComponentChildren } from 'preact';
import type { Site } from '@beckon/sdk/protocol';
import { useMemo } from 'preact/hooks';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../session';
import { rangeLabel } from './numbers';
import {
  agentTimeZone,
  bucketSizes,
  defaultBucket,
  isDay,
  previousRange,
  rangePresets,
  readRange,
  todayIn,
  writeRange,
  type Bucket,
  type RangeChoice,
  type RangePreset,
} from './range';
import { reportIds, type ReportId, type ReportQuery } from './query';
import { AgentsReport } from './AgentsReport';
import { CostReport } from './CostReport';
import { DigestControl } from './DigestControl';
import { FeedbackReport } from './FeedbackReport';
import { FunnelReport } from './FunnelReport';
import { OverviewReport } from './OverviewReport';
import { SpeedReport } from './SpeedReport';
import { TriggersReport } from './TriggersReport';
import { t } from './i18n';
import './reports.css';

const reportTitles = {
  overview: 'tabOverview',
  speed: 'tabSpeed',
  agents: 'tabAgents',
  leads: 'tabLeads',
  cost: 'tabCost',
  feedback: 'tabFeedback',
  triggers: 'tabTriggers',
} as const satisfies Record<ReportId, string>;

const presetLabels = {
  '7d': 'preset7d',
  '30d': 'preset30d',
  '90d': 'preset90d',
  'this-month': 'presetThisMonth',
  'last-month': 'presetLastMonth',
  '12m': 'preset12m',
  custom: 'presetCustom',
} as const satisfies Record<RangePreset, string>;

const bucketLabels = { day: 'byDay', week: 'byWeek', month: 'byMonth' } as const satisfies Record<Bucket, string>;

/**
 * The Reports section: one toolbar (sites, date range in the agent's zone, bucket) that every report reads
 * from the URL, so a report is a link a manager can send, and tabs for the reports.
 */
export interface ReportsPageProps {
  site: Site;
  /** The report in the URL (`/reports/speed`); null: the overview. */
  report: string | null;
}

export function ReportsPage({ site, report }: ReportsPageProps) {
  const { sites, isAdmin } = useSession();
  const location = useLocation();
  const search = location.search;
  const current: ReportId = (reportIds as readonly string[]).includes(report ?? '') ? (report as ReportId) : 'overview';
  const timeZone = agentTimeZone();
  const today = todayIn(timeZone);
  const range = readRange(search, today);
  const allSites = search.get('scope') === 'all' && sites.length > 1;
  const askedBucket = search.get('by');
  const bucket: Bucket = (bucketSizes as readonly string[]).includes(askedBucket ?? '')
    ? (askedBucket as Bucket)
    : defaultBucket(range);
  const base = `/sites/${encodeURIComponent(site.key)}/reports`;

  const query = useMemo<ReportQuery>(
    () => ({
      siteIds: allSites ? sites.map((one) => one.id) : [site.id],
      allSites,
      range: { from: range.from, to: range.to },
      previous: previousRange(range),
      timeZone,
      bucket,
    }),
    [allSites, sites, site.id, range.from, range.to, timeZone, bucket],
  );

  const go = (next: URLSearchParams) => {
    const text = next.toString();
    navigate(`${base}/${current}${text ? `?${text}` : ''}`, { replace: true });
  };
  const setRange = (choice: RangeChoice) => {
    const next = writeRange(search, choice);
    // A new range gets the bucket that suits it unless the agent picks one again.
    next.delete('by');
    go(next);
  };
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value === null) next.delete(name);
    else next.set(name, value);
    go(next);
  };
  const queryText = search.toString();

  return (
    <div class="page page-wide rp-page">
      <PageHeader title={t('title')} description={t('description')} actions={isAdmin ? <DigestControl /> : undefined} />
      <nav class="rp-tabs" aria-label={t('reportsNav')}>
        <ul>
          {reportIds.map((id) => (
            <li key={id}>
              <Link
                to={`${base}/${id}${queryText ? `?${queryText}` : ''}`}
                class={`rp-tab${id === current ? ' active' : ''}`}
                aria-current={id === current ? 'page' : undefined}
              >
                {t(reportTitles[id])}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div class="rp-toolbar" role="group" aria-label={t('filters')}>
        {sites.length > 1 && (
          <ToolbarField id="rp-sites" label={t('sites')}>
            <select
              id="rp-sites"
              class="input select"
              value={allSites ? 'all' : 'one'}
              onChange={(event) => setParam('scope', event.currentTarget.value === 'all' ? 'all' : null)}
            >
              <option value="one">{site.name}</option>
              <option value="all">{t('allSites', { count: sites.length })}</option>
            </select>
          </ToolbarField>
        )}
        <ToolbarField id="rp-period" label={t('period')}>
          <select
            id="rp-period"
            class="input select"
            value={range.preset}
            onChange={(event) => {
              const preset = event.currentTarget.value as RangePreset;
              setRange(preset === 'custom' ? { ...range, preset } : readRangeOf(preset, today));
            }}
          >
            {rangePresets.map((preset) => (
              <option key={preset} value={preset}>
                {t(presetLabels[preset])}
              </option>
            ))}
          </select>
        </ToolbarField>
        {range.preset === 'custom' && (
          <>
            <ToolbarField id="rp-from" label={t('from')}>
              <input
                id="rp-from"
                type="date"
                class="input"
                value={range.from}
                max={range.to}
                onChange={(event) => {
                  const from = event.currentTarget.value;
                  if (isDay(from)) setRange({ ...range, from });
                }}
              />
            </ToolbarField>
            <ToolbarField id="rp-to" label={t('to')}>
              <input
                id="rp-to"
                type="date"
                class="input"
                value={range.to}
                min={range.from}
                max={today}
                onChange={(event) => {
                  const to = event.currentTarget.value;
                  if (isDay(to)) setRange({ ...range, to });
                }}
              />
            </ToolbarField>
          </>
        )}
        {(current === 'overview' || current === 'feedback') && (
          <div class="rp-field">
            <span class="rp-field-label" id="rp-bucket-label">
              {t('groupBy')}
            </span>
            <div class="segmented segmented-sm" role="group" aria-labelledby="rp-bucket-label">
              {bucketSizes.map((size) => (
                <button
                  key={size}
                  type="button"
                  class={`segment${bucket === size ? ' selected' : ''}`}
                  aria-pressed={bucket === size}
                  onClick={() => setParam('by', size)}
                >
                  {t(bucketLabels[size])}
                </button>
              ))}
            </div>
          </div>
        )}
      </div>
      <p class="rp-range-note">
        {t('rangeNote', {
          range: rangeLabel(range.from, range.to),
          previous: rangeLabel(query.previous.from, query.previous.to),
          zone: timeZone.replaceAll('_', ' '),
        })}
      </p>
      <div class="rp-body">
        <ReportBody report={current} query={query} site={site} />
      </div>
    </div>
  );
}

const readRangeOf = (preset: RangePreset, today: string) => readRange(new URLSearchParams({ range: preset }), today);

/** A toolbar control under its label; `id` ties them (the control carries the same id). */
function ToolbarField({ id, label, children }: { id: string; label: string; children: ComponentChildren }) {
  return (
    <div class="rp-field">
      <label class="rp-field-label" for={id}>
        {label}
      </label>
      {children}
    </div>
  );
}

function ReportBody({ report, query, site }: { report: ReportId; query: ReportQuery; site: Site }) {
  switch (report) {
    case 'speed':
      return <SpeedReport query={query} />;
    case 'agents':
      return <AgentsReport query={query} />;
    case 'leads':
      return <FunnelReport query={query} />;
    case 'cost':
      return <CostReport query={query} site={site} />;
    case 'feedback':
      return <FeedbackReport query={query} />;
    case 'triggers':
      return <TriggersReport query={query} />;
    default:
      return <OverviewReport query={query} />;
  }
}
