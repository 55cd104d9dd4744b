import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReportName, SourceKind } from '@beckon/sdk/protocol';
import { errorMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { Spinner } from '../../components/PageHeader';
import { fetchReport, type Answers } from './api';
import type { DayRange } from './range';
import type { ReportQuery } from './query';
import { sourceKindLabel } from './labels';
import { t } from './i18n';

type Answer<Name extends ReportName> = Answers[Name];

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: T };

/** One report's answer for the toolbar's query (refetched when it changes; a stale answer never lands). */
export function useReport<Name extends ReportName>(
  name: Name,
  query: ReportQuery,
  range?: DayRange,
  reloadKey = 0,
): Loaded<Answer<Name>> {
  const [loaded, setLoaded] = useState<Loaded<Answer<Name>>>({ state: 'loading' });
  const from = (range ?? query.range).from;
  const to = (range ?? query.range).to;
  useEffect(() => {
    let cancelled = false;
    setLoaded((current) => (current.state === 'ready' ? current : { state: 'loading' }));
    fetchReport(name, query, { from, to }).then(
      (data) => !cancelled && setLoaded({ state: 'ready', data }),
      (error: unknown) => !cancelled && setLoaded({ state: 'error', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [name, query, from, to, reloadKey]);
  return loaded;
}

/** The loading and error states every report shares; children render with the data. */
export function ReportState<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <Spinner label={t('loadingReport')} />;
  if (loaded.state === 'error') return <Alert>{loaded.message}</Alert>;
  return <>{children(loaded.data)}</>;
}

/** A headline number with what it is compared with. */
export function Stat({
  label,
  value,
  note,
  change,
  tone,
  testId,
  text = false,
}: {
  label: string;
  value: string;
  note?: ComponentChildren;
  /** "+12 %" against the previous period, when there was one. */
  change?: string | null;
  tone?: 'good' | 'bad';
  testId?: string;
  /** A word rather than a number ("Feedback form"): set smaller so it fits the card. */
  text?: boolean;
}) {
  return (
    <div class={`rp-stat${tone ? ` rp-stat-${tone}` : ''}`}>
      <span class="rp-stat-label">{label}</span>
      <span class={`rp-stat-value${text ? ' rp-stat-text' : ''}`} data-testid={testId}>
        {value}
      </span>
      {(note || change) && (
        <span class="rp-stat-note">
          {change && <span class="rp-change">{change}</span>} {note}
        </span>
      )}
    </div>
  );
}

export function Stats({ children, label }: { children: ComponentChildren; label: string }) {
  return (
    <section class="rp-stats" aria-label={label}>
      {children}
    </section>
  );
}

export function ChartCard({ title, children, note }: { title: string; children: ComponentChildren; note?: string }) {
  return (
    <section class="card rp-chart-card">
      <h2 class="card-title">{title}</h2>
      {note && <p class="card-description">{note}</p>}
      {children}
    </section>
  );
}

/** A source as "google / cpc / winter" with its kind as a tag; a direct visit (no parts) is just "Direct". */
export function SourceName({ kind, path }: { kind: SourceKind; path: string }) {
  if (!path) return <span>{sourceKindLabel(kind)}</span>;
  return (
    <span class="rp-source">
      <span>{path}</span>
      <span class="rp-tag">{sourceKindLabel(kind)}</span>
    </span>
  );
}
