import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../session';
import type { ReportsPageProps } from './LazyReportsPage';
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
export function ReportsPage({ site, report }: ReportsPageProps) {
  const { sites } = useSession();
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
      <PageHeader title={t('title')} description={t('description')} />
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
          <ToolbarField label={t('sites')}>
            <select
              class="input select"
              value={allSites ? 'all' : 'one'}
              onChange={(event) => setParam('scope', event.currentTarget.value === 'all' ? 'all' : null)}
            >
              <option value="one">{site.name}</option>
              <option value="all">{t('allSites', { count: sites.length })}</option>
            </select>
          </ToolbarField>
        )}
        <ToolbarField label={t('period')}>
          <select
            class="input select"
            value={range.preset}
            onChange={(event) => {
              const preset = event.currentTarget.value as RangePreset;
              setRange(preset === 'custom' ? { ...range, preset } : { preset, ...readRangeOf(preset, today) });
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
            <ToolbarField label={t('from')}>
              <input
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
            <ToolbarField label={t('to')}>
              <input
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
        <ReportBody report={current} query={query} />
      </div>
    </div>
  );
}

const readRangeOf = (preset: RangePreset, today: string) =>
  readRange(new URLSearchParams({ range: preset }), today);

function ToolbarField({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="rp-field">
      <span class="rp-field-label">{label}</span>
      {children}
    </label>
  );
}

function ReportBody({ report, query }: { report: ReportId; query: ReportQuery }) {
  switch (report) {
    default:
      return <p>{`${report} ${query.range.from}`}</p>;
  }
}
