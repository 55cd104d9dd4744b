import { type SQL, sql } from 'drizzle-orm';
import {
  type AgentReportRow,
  type AgentsReport,
  type ChannelSeriesPoint,
  type CostReport,
  type CostRow,
  type FeedbackComment,
  type FeedbackTrendReport,
  type FunnelReport,
  type FunnelTemperature,
  type HeatmapCell,
  type InquiryChannel,
  inquiryChannels,
  type LatencyStats,
  type LostReason,
  type OverviewReport,
  type ParsedReportQuery,
  type ReportRange,
  type SourceKind,
  type SpeedReport,
  type SpeedRow,
  type TriggersReport,
  funnelTemperatures,
} from '@beckon/sdk/protocol';
import type { AgentIdentity } from '../../app-env.js';
import { type DbOrTx, rowsOf } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { latencyBucket } from './refresh.js';

/** What a report runs over: the caller's sites and the range's instants (computed by PostgreSQL in `tz`). */
export interface ReportScope {
  query: ParsedReportQuery;
  range: ReportRange;
  siteIds: string[];
  /** Start of `from` and of the day after `to` in `tz`, and the previous period's start (ISO instants). */
  start: string;
  end: string;
  previousStart: string;
  /** The same instants as epoch milliseconds. */
  startMs: number;
  endMs: number;
  previousStartMs: number;
  agent: AgentIdentity;
}

const dayMs = 86_400_000;

/** PostgreSQL's "time zone … not recognized" (SQLSTATE 22023), possibly wrapped by drizzle. */
function isUnknownZone(error: unknown): boolean {
  for (
    let current = error as { code?: string; cause?: unknown } | undefined;
    current;
    current = current.cause as typeof current
  )
    if (current.code === '22023') return true;
  return false;
}
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Turns the query's local days into instants (DST-exact: PostgreSQL applies the zone's rules of each day). */
export async function scopeOf(
  db: DbOrTx,
  query: ParsedReportQuery,
  siteIds: string[],
  agent: AgentIdentity,
): Promise<ReportScope> {
  const fromMs = Date.parse(query.from);
  const days = Math.round((Date.parse(query.to) - fromMs) / dayMs) + 1;
  const previousFrom = isoDay(fromMs - days * dayMs);
  type Bounds = { start: string; end: string; previous_start: string; s: number; e: number; p: number };
  let bounds: Bounds | undefined;
  try {
    [bounds] = rowsOf<Bounds>(
      await db.execute(sql`select start::text as start, "end"::text as "end", previous_start::text as previous_start,
          (extract(epoch from start) * 1000)::float8 as s, (extract(epoch from "end") * 1000)::float8 as e,
          (extract(epoch from previous_start) * 1000)::float8 as p
        from (select (${query.from}::date::timestamp at time zone ${query.tz}::text) as start,
          ((${query.to}::date + 1)::timestamp at time zone ${query.tz}::text) as "end",
          (${previousFrom}::date::timestamp at time zone ${query.tz}::text) as previous_start) b`),
    );
  } catch (error) {
    // A zone this Node knows but the database's time zone data does not (a very new one): the caller's input.
    if (isUnknownZone(error))
      throw new AppError('validation_failed', `The database does not know the time zone ${query.tz}`, [
        { path: ['tz'], message: 'unknown to the database' },
      ]);
    throw error;
  }
  return {
    query,
    siteIds,
    agent,
    start: bounds!.start,
    end: bounds!.end,
    previousStart: bounds!.previous_start,
    startMs: Number(bounds!.s),
    endMs: Number(bounds!.e),
    previousStartMs: Number(bounds!.p),
    range: {
      from: query.from,
      to: query.to,
      tz: query.tz,
      granularity: query.granularity,
      previousFrom,
      previousTo: isoDay(fromMs - dayMs),
      siteIds,
    },
  };
}

const sitesIn = (column: SQL, scope: ReportScope) =>
  scope.siteIds.length
    ? sql`${column} in (${sql.join(
        scope.siteIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql`false`;
const inRange = (column: SQL, scope: ReportScope) =>
  sql`${column} >= ${scope.start}::timestamptz and ${column} < ${scope.end}::timestamptz`;
const localPeriod = (column: SQL, scope: ReportScope) =>
  sql`to_char(date_trunc(${scope.query.granularity}::text, ${column} at time zone ${scope.query.tz}::text), 'YYYY-MM-DD')`;

// ---- Reading the rollups ------------------------------------------------------------------------

const utcMonth = (ms: number, add: number) => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + add, 1);
};
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Where the inquiries of [from, to) are read: whole UTC months inside it from the month rollups (`months`, a
 * condition on `month`), the partial months at its ends from the facts (`facts`, a condition on `column`). Any
 * range of any time zone is exact; a year is ~11 months of rollup rows plus up to two partial months of facts.
 */
function spans(fromMs: number, toMs: number) {
  const first = utcMonth(fromMs, fromMs === utcMonth(fromMs, 0) ? 0 : 1);
  const last = utcMonth(toMs, 0);
  const whole = first < last;
  return {
    whole,
    months: (column: SQL) =>
      whole ? sql`${column} >= ${iso(first)}::timestamptz and ${column} < ${iso(last)}::timestamptz` : sql`false`,
    facts: (column: SQL) =>
      whole
        ? sql`((${column} >= ${iso(fromMs)}::timestamptz and ${column} < ${iso(first)}::timestamptz)
            or (${column} >= ${iso(last)}::timestamptz and ${column} < ${iso(toMs)}::timestamptz))`
        : sql`${column} >= ${iso(fromMs)}::timestamptz and ${column} < ${iso(toMs)}::timestamptz`,
  };
}

/** A latency histogram: bucket → [count, sum of milliseconds]. */
type Histogram = Map<number, [number, number]>;

function addTo(histograms: Map<string, Histogram>, key: string, bucket: number, n: number, sumMs: number) {
  let histogram = histograms.get(key);
  if (!histogram) histograms.set(key, (histogram = new Map()));
  const cell = histogram.get(bucket) ?? [0, 0];
  cell[0] += n;
  cell[1] += sumMs;
  histogram.set(bucket, cell);
}

/**
 * Nearest-rank median and 90th percentile from summed buckets: the bucket holding the rank, reported as the mean
 * of the values in it (exact when they are equal; otherwise within the bucket, ~5 % wide from a minute on).
 */
export function statsOfHistograms(...histograms: (Histogram | undefined)[]): LatencyStats {
  const merged: Histogram = new Map();
  for (const histogram of histograms)
    for (const [bucket, [n, sumMs]] of histogram ?? []) {
      const cell = merged.get(bucket) ?? [0, 0];
      cell[0] += n;
      cell[1] += sumMs;
      merged.set(bucket, cell);
    }
  const ordered = [...merged.entries()].sort((a, b) => a[0] - b[0]);
  const count = ordered.reduce((sum, [, [n]]) => sum + n, 0);
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil(p * count - 1e-9));
    let seen = 0;
    for (const [, [n, sumMs]] of ordered) {
      seen += n;
      if (seen >= rank) return Math.round(sumMs / n);
    }
    return null;
  };
  return { count, medianMs: count ? at(0.5) : null, p90Ms: count ? at(0.9) : null };
}

/**
 * Chat latency histograms of [from, to) per site: `${site}|${metric}|${dim}|${key}` → histogram. Whole months come
 * from `report_latency_months`; the facts of the partial months are grouped once by (business hours, agent,
 * channel, bucket) and spread over the three dimensions here.
 */
async function latencyHistograms(db: DbOrTx, scope: ReportScope): Promise<Map<string, Histogram>> {
  const span = spans(scope.startMs, scope.endMs);
  const histograms = new Map<string, Histogram>();
  type MonthRow = { site_id: string; metric: string; dim: string; key: string; bucket: number; n: number; s: number };
  const months = span.whole
    ? rowsOf<MonthRow>(
        await db.execute(sql`select site_id, metric, dim, key, bucket, sum(n)::int as n, sum(sum_ms)::float8 as s
          from report_latency_months where ${sitesIn(sql`site_id`, scope)} and ${span.months(sql`month`)}
          group by 1, 2, 3, 4, 5`),
      )
    : [];
  for (const row of months)
    addTo(
      histograms,
      `${row.site_id}|${row.metric}|${row.dim}|${row.key}`,
      Number(row.bucket),
      Number(row.n),
      Number(row.s),
    );
  const chats = sql`from report_inquiries i where ${sitesIn(sql`i.site_id`, scope)} and ${span.facts(sql`i.at`)}
    and ${isChatOf(sql`i`)}`;
  const facts = rowsOf<{
    site_id: string;
    metric: string;
    bh: boolean;
    agent_id: string | null;
    channel: string;
    bucket: number;
    n: number;
    s: number;
  }>(
    await db.execute(sql`select site_id, 'fr' as metric, in_business_hours as bh, agent_id, channel,
        ${latencyBucket(sql`first_response_ms`)} as bucket, count(*)::int as n, sum(first_response_ms)::float8 as s
        ${chats} and first_response_ms is not null group by 1, 3, 4, 5, 6
      union all
      select site_id, 'res', in_business_hours, null, '', ${latencyBucket(sql`resolution_ms`)}, count(*)::int,
        sum(resolution_ms)::float8
        ${chats} and resolution_ms is not null group by 1, 3, 6`),
  );
  for (const row of facts) {
    const [bucket, n, sumMs] = [Number(row.bucket), Number(row.n), Number(row.s)];
    addTo(histograms, `${row.site_id}|${row.metric}|bh|${row.bh}`, bucket, n, sumMs);
    if (row.metric !== 'fr') continue;
    if (row.agent_id) addTo(histograms, `${row.site_id}|fr|agent|${row.agent_id}`, bucket, n, sumMs);
    addTo(histograms, `${row.site_id}|fr|channel|${row.channel}`, bucket, n, sumMs);
  }
  return histograms;
}

/** The histograms of `metric`/`dim`/`key` on every site of the scope (an agent's work on all of them). */
const histogramsOf = (
  histograms: Map<string, Histogram>,
  scope: ReportScope,
  metric: string,
  dim: string,
  key: string,
) => scope.siteIds.map((site) => histograms.get(`${site}|${metric}|${dim}|${key}`));

/** Inquiry counts of [from, to) per site, kind, channel, agent and business hours (month rollups + facts). */
interface CountRow {
  site_id: string;
  kind: string;
  channel: InquiryChannel;
  agent_id: string | null;
  bh: boolean;
  n: number;
  answered: number;
  on_time: number;
  late: number;
  ratings: number;
  rating_sum: number;
  /** Callbacks not called yet whose deadline has passed (from the facts: they change with the clock). */
  uncalled_overdue: number;
}

async function inquiryCounts(db: DbOrTx, scope: ReportScope): Promise<CountRow[]> {
  const span = spans(scope.startMs, scope.endMs);
  const rows = rowsOf<CountRow>(
    await db.execute(sql`select site_id, kind, channel, agent_id, bh, sum(n)::int as n, sum(answered)::int as answered,
        sum(on_time)::int as on_time, sum(late)::int as late, sum(ratings)::int as ratings,
        sum(rating_sum)::int as rating_sum, sum(uncalled_overdue)::int as uncalled_overdue from (
        select site_id, kind, channel, agent_id, in_business_hours as bh, n, answered, on_time, late, ratings, rating_sum,
          0 as uncalled_overdue
        from report_inquiry_months where ${sitesIn(sql`site_id`, scope)} and ${span.months(sql`month`)}
        union all
        select site_id, kind, channel, agent_id, in_business_hours, 1, answered::int,
          (kind = 'callback' and first_call_at <= due_at)::int, (kind = 'callback' and first_call_at > due_at)::int,
          (score is not null and score_kind = 'chat')::int, case when score_kind = 'chat' then coalesce(score, 0) else 0 end,
          0
        from report_inquiries where ${sitesIn(sql`site_id`, scope)} and ${span.facts(sql`at`)}
        union all
        select site_id, kind, channel, agent_id, in_business_hours, 0, 0, 0, 0, 0, 0, 1
        from report_inquiries where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`at`, scope)}
          and kind = 'callback' and first_call_at is null and due_at < now()) x
      group by 1, 2, 3, 4, 5`),
  );
  return rows.map((row) => ({
    ...row,
    n: Number(row.n),
    answered: Number(row.answered),
    on_time: Number(row.on_time),
    late: Number(row.late),
    ratings: Number(row.ratings),
    rating_sum: Number(row.rating_sum),
    uncalled_overdue: Number(row.uncalled_overdue),
  }));
}

/** Speed counts of a set of count rows (as the per-group columns of the speed report). */
function speedCounts(rows: CountRow[]) {
  const chats = rows.filter((row) => row.kind === 'conversation' && row.channel !== 'offline');
  const callbacks = rows.filter((row) => row.kind === 'callback');
  const sum = (list: CountRow[], key: keyof CountRow) => list.reduce((total, row) => total + Number(row[key]), 0);
  return {
    chats: sum(chats, 'n'),
    answered: sum(chats, 'answered'),
    callbacks: sum(callbacks, 'n'),
    on_time: sum(callbacks, 'on_time'),
    overdue: sum(callbacks, 'late') + sum(callbacks, 'uncalled_overdue'),
  };
}

/**
 * Sums of the hour rollup (inquiries and scores per channel) per local `label` over [from, to): hours inside one
 * label come from `report_inquiry_hours`, hours a label boundary or the range's ends cut (zones with :30 / :45
 * offsets) from the facts, so every label is exact.
 */
interface HourSums {
  label: string;
  channel: InquiryChannel;
  n: number;
  nps_n: number;
  promoters: number;
  detractors: number;
  csat_n: number;
  csat_sum: number;
  csat_ok: number;
  chat_n: number;
  chat_sum: number;
  chat_ok: number;
}
async function hourSums(
  db: DbOrTx,
  scope: ReportScope,
  fromMs: number,
  toMs: number,
  label: (column: SQL) => SQL,
): Promise<HourSums[]> {
  const from = sql`${iso(fromMs)}::timestamptz`;
  const to = sql`${iso(toMs)}::timestamptz`;
  const scored = (kind: string, extra: SQL = sql`true`) =>
    sql`(score is not null and score_kind = ${kind} and ${extra})::int`;
  const rows = rowsOf<HourSums>(
    await db.execute(sql`with hours as (
        select h, ${label(sql`h`)} as label, (h < ${from} or h + interval '1 hour' > ${to}
          or ${label(sql`h`)} <> ${label(sql`(h + interval '1 hour' - interval '1 microsecond')`)}) as cut
        from generate_series(date_trunc('hour', ${from}, 'UTC'), ${to} - interval '1 microsecond', interval '1 hour') h)
      select label, channel, sum(n)::int as n, sum(nps_n)::int as nps_n, sum(promoters)::int as promoters,
        sum(detractors)::int as detractors, sum(csat_n)::int as csat_n, sum(csat_sum)::int as csat_sum,
        sum(csat_ok)::int as csat_ok, sum(chat_n)::int as chat_n, sum(chat_sum)::int as chat_sum,
        sum(chat_ok)::int as chat_ok from (
        select hours.label, r.channel, r.n, r.nps_n, r.promoters, r.detractors, r.csat_n, r.csat_sum, r.csat_ok,
          r.chat_n, r.chat_sum, r.chat_ok
        from report_inquiry_hours r join hours on hours.h = r.hour and not hours.cut
        where ${sitesIn(sql`r.site_id`, scope)} and r.hour >= ${from} and r.hour < ${to}
        union all
        select ${label(sql`i.at`)}, i.channel, 1, ${scored('nps')}, ${scored('nps', sql`score >= 9`)},
          ${scored('nps', sql`score <= 6`)}, ${scored('csat')},
          case when score_kind = 'csat' then coalesce(score, 0) else 0 end, ${scored('csat', sql`score >= 4`)},
          ${scored('chat')}, case when score_kind = 'chat' then coalesce(score, 0) else 0 end,
          ${scored('chat', sql`score >= 4`)}
        from hours join report_inquiries i on hours.cut and i.at >= hours.h and i.at < hours.h + interval '1 hour'
        where ${sitesIn(sql`i.site_id`, scope)} and i.at >= ${from} and i.at < ${to}) x
      group by 1, 2`),
  );
  return rows.map((row) => {
    const out = { ...row } as Record<string, unknown>;
    for (const [key, value] of Object.entries(row)) if (key !== 'label' && key !== 'channel') out[key] = Number(value);
    return out as unknown as HourSums;
  });
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
const mean1 = (sum: number, count: number) => (count > 0 ? Math.round((sum / count) * 10) / 10 : null);

/** The first local day of every period the range touches, in order. */
export function periodsOf(query: ParsedReportQuery): string[] {
  const periods: string[] = [];
  const start = new Date(`${query.from}T00:00:00Z`);
  if (query.granularity === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (query.granularity === 'month') start.setUTCDate(1);
  const last = Date.parse(query.to);
  for (const cursor = start; cursor.getTime() <= last; ) {
    periods.push(cursor.toISOString().slice(0, 10));
    if (query.granularity === 'day') cursor.setUTCDate(cursor.getUTCDate() + 1);
    else if (query.granularity === 'week') cursor.setUTCDate(cursor.getUTCDate() + 7);
    else cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return periods;
}

// ---- Overview -----------------------------------------------------------------------------------

async function overviewReportIn(db: DbOrTx, scope: ReportScope): Promise<OverviewReport> {
  // Channels per local period from the hour rollup; the previous period's channel totals likewise; sources of both
  // periods from the month rollup and the facts at the ends.
  const current = await hourSums(db, scope, scope.startMs, scope.endMs, (column) => localPeriod(column, scope));
  const previous = await hourSums(db, scope, scope.previousStartMs, scope.startMs, () => sql`'all'`);
  const cur = spans(scope.startMs, scope.endMs);
  const prev = spans(scope.previousStartMs, scope.startMs);
  const columns = sql`source_kind, utm_source, utm_medium, utm_campaign, referrer_domain, click_id_type`;
  const rows = rowsOf<{
    source_kind: SourceKind;
    utm_source: string;
    utm_medium: string;
    utm_campaign: string;
    referrer_domain: string;
    click_id_type: string;
    cur: number;
    prev: number;
  }>(
    await db.execute(sql`select ${columns}, coalesce(sum(n) filter (where cur), 0)::int as cur,
        coalesce(sum(n) filter (where not cur), 0)::int as prev from (
        select ${columns}, n, true as cur from report_source_months
        where ${sitesIn(sql`site_id`, scope)} and ${cur.months(sql`month`)}
        union all
        select ${columns}, n, false from report_source_months
        where ${sitesIn(sql`site_id`, scope)} and ${prev.months(sql`month`)}
        union all
        select ${columns}, 1, true from report_inquiries where ${sitesIn(sql`site_id`, scope)} and ${cur.facts(sql`at`)}
        union all
        select ${columns}, 1, false from report_inquiries where ${sitesIn(sql`site_id`, scope)} and ${prev.facts(sql`at`)}
      ) x group by ${columns}`),
  );
  const key = (row: (typeof rows)[number]) =>
    [row.source_kind, row.utm_source, row.utm_medium, row.utm_campaign, row.referrer_domain].join('\n');
  const sources = rows
    .sort(
      (a, b) =>
        Number(b.cur) - Number(a.cur) ||
        Number(b.prev) - Number(a.prev) ||
        (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
    )
    .slice(0, 200);
  const series = current.map((row) => ({ period: row.label, channel: row.channel, n: row.n }));
  const points = new Map<string, ChannelSeriesPoint>(
    periodsOf(scope.query).map((period) => [
      period,
      {
        period,
        total: 0,
        byChannel: Object.fromEntries(inquiryChannels.map((c) => [c, 0])) as Record<InquiryChannel, number>,
      },
    ]),
  );
  for (const row of series) {
    const point = points.get(row.period);
    if (!point) continue;
    point.byChannel[row.channel] += Number(row.n);
    point.total += Number(row.n);
  }
  const total = (list: HourSums[], channel: InquiryChannel) =>
    list.reduce((sum, row) => sum + (row.channel === channel ? row.n : 0), 0);
  const byChannel = inquiryChannels.map((channel) => ({
    channel,
    count: total(current, channel),
    previous: total(previous, channel),
  }));
  return {
    range: scope.range,
    total: byChannel.reduce((sum, row) => sum + row.count, 0),
    previousTotal: byChannel.reduce((sum, row) => sum + row.previous, 0),
    byChannel,
    bySource: sources
      .filter((row) => Number(row.cur) > 0 || Number(row.prev) > 0)
      .map((row) => ({
        kind: row.source_kind,
        source: row.utm_source || (row.source_kind === 'paid' ? row.click_id_type : ''),
        medium: row.utm_medium,
        campaign: row.utm_campaign,
        referrerDomain: row.referrer_domain,
        clickIdType: row.click_id_type,
        count: Number(row.cur),
        previous: Number(row.prev),
      })),
    series: [...points.values()],
  };
}

// ---- Speed and SLA ------------------------------------------------------------------------------

const overdue = sql`(first_call_at is not null and first_call_at > due_at) or (first_call_at is null and due_at < now())`;
/** A chat: a conversation that is not an offline message (fact alias `i`). */
function isChatOf(alias: SQL): SQL {
  return sql`${alias}.kind = 'conversation' and ${alias}.channel <> 'offline'`;
}

function speedRow(
  key: string,
  label: string,
  counts: ReturnType<typeof speedCounts>,
  firstResponse: LatencyStats,
): SpeedRow {
  return {
    key,
    label,
    chats: counts.chats,
    missed: counts.chats - counts.answered,
    firstResponse,
    callbacks: counts.callbacks,
    callbacksOnTime: counts.on_time,
    callbacksOverdue: counts.overdue,
  };
}

/** An agent who is not an admin sees only their own row wherever rows are per agent. */
const ownRowOnly = (column: SQL, scope: ReportScope) =>
  scope.agent.role === 'admin' ? sql`true` : sql`${column} = ${scope.agent.id}::uuid`;

/** Names of the agents (that still exist) among `ids`. */
async function agentNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; name: string }>(
    await db.execute(
      sql`select id, name from agents where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    ),
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}

async function speedReportIn(db: DbOrTx, scope: ReportScope): Promise<SpeedReport> {
  const counts = await inquiryCounts(db, scope);
  const histograms = await latencyHistograms(db, scope);
  const hist = (metric: string, dim: string, key: string) => histogramsOf(histograms, scope, metric, dim, key);
  const c = speedCounts(counts);
  // The latest deadlines first: read backwards along the overdue partial index (site, due_at) and stop at 100.
  // (`at + 0 s` keeps the planner off the (site, at) index, whose range it would otherwise read whole and sort.)
  const overdueList = rowsOf<{
    id: string;
    site_id: string;
    name: string | null;
    phone: string;
    requested_at: string;
    due_at: string;
    first_call_at: string | null;
    agent_id: string | null;
    agent_name: string | null;
  }>(
    await db.execute(sql`select i.ref_id as id, i.site_id, cb.name, cb.phone, cb.requested_at::text as requested_at,
      i.due_at::text as due_at, i.first_call_at::text as first_call_at, a.id as agent_id, a.name as agent_name
      from (select * from report_inquiries i
            where ${sitesIn(sql`i.site_id`, scope)} and ${inRange(sql`(i.at + interval '0 seconds')`, scope)}
              and i.kind = 'callback' and (i.first_call_at is null or i.first_call_at > i.due_at) and (${overdue})
            order by i.due_at desc limit 100) i
      join callbacks cb on cb.id = i.ref_id left join agents a on a.id = i.agent_id
      order by i.due_at desc`),
  );
  // Time to first contact per lead: a histogram of the range's leads (one grouped scan, no sort).
  const firstContactMs = sql`(extract(epoch from first_contacted_at - created_at)::float8 * 1000)::bigint`;
  const firstContact: Histogram = new Map();
  for (const row of rowsOf<{ bucket: number; n: number; s: number }>(
    await db.execute(sql`select ${latencyBucket(firstContactMs)} as bucket, count(*)::int as n, sum(${firstContactMs})::float8 as s
      from report_leads where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`created_at`, scope)}
        and first_contacted_at is not null group by 1`),
  ))
    firstContact.set(Number(row.bucket), [Number(row.n), Number(row.s)]);
  const agentIds = [...new Set(counts.flatMap((row) => (row.agent_id ? [row.agent_id] : [])))];
  const names = await agentNames(db, agentIds);
  const byAgent = agentIds
    .filter((id) => names.has(id) && (scope.agent.role === 'admin' || id === scope.agent.id))
    .map((id) => ({ id, name: names.get(id)! }))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.id < y.id ? -1 : 1));
  const members = rowsOf<{ team_id: string; name: string; site_id: string; agent_id: string }>(
    await db.execute(sql`select t.id as team_id, t.name, t.site_id, tm.agent_id from teams t
      join team_members tm on tm.team_id = t.id where ${sitesIn(sql`t.site_id`, scope)}
      order by t.name, t.id`),
  );
  const teams = new Map<string, { name: string; site: string; agents: Set<string> }>();
  for (const row of members) {
    const team = teams.get(row.team_id) ?? { name: row.name, site: row.site_id, agents: new Set<string>() };
    team.agents.add(row.agent_id);
    teams.set(row.team_id, team);
  }
  const byTeam = [...teams.entries()].flatMap(([id, team]) => {
    const rows = counts.filter((row) => row.site_id === team.site && row.agent_id && team.agents.has(row.agent_id));
    if (rows.reduce((sum, row) => sum + row.n, 0) === 0) return [];
    const firstResponse = statsOfHistograms(
      ...[...team.agents].map((agent) => histograms.get(`${team.site}|fr|agent|${agent}`)),
    );
    return [speedRow(id, team.name, speedCounts(rows), firstResponse)];
  });
  const bh = (metric: string, value: 'true' | 'false') => hist(metric, 'bh', value);
  return {
    range: scope.range,
    chat: {
      chats: c.chats,
      answered: c.answered,
      missed: c.chats - c.answered,
      firstResponse: {
        all: statsOfHistograms(...bh('fr', 'true'), ...bh('fr', 'false')),
        businessHours: statsOfHistograms(...bh('fr', 'true')),
      },
      resolution: {
        all: statsOfHistograms(...bh('res', 'true'), ...bh('res', 'false')),
        businessHours: statsOfHistograms(...bh('res', 'true')),
      },
    },
    callbacks: {
      requests: c.callbacks,
      onTime: c.on_time,
      overdue: c.overdue,
      pending: c.callbacks - c.on_time - c.overdue,
      onTimePercent: percent(c.on_time, c.on_time + c.overdue),
      overdueList: overdueList.map((row) => ({
        id: row.id,
        siteId: row.site_id,
        name: row.name,
        phone: row.phone,
        requestedAt: new Date(row.requested_at).toISOString(),
        dueAt: new Date(row.due_at).toISOString(),
        firstCallAt: row.first_call_at ? new Date(row.first_call_at).toISOString() : null,
        assignee: row.agent_id ? { id: row.agent_id, name: row.agent_name ?? '' } : null,
      })),
    },
    firstContact: statsOfHistograms(firstContact),
    byAgent: byAgent.map(({ id, name }) =>
      speedRow(
        id,
        name,
        speedCounts(counts.filter((row) => row.agent_id === id)),
        statsOfHistograms(...hist('fr', 'agent', id)),
      ),
    ),
    byTeam,
    byChannel: inquiryChannels
      .filter((channel) => counts.some((row) => row.channel === channel && row.n > 0))
      .map((channel) =>
        speedRow(
          channel,
          channel,
          speedCounts(counts.filter((row) => row.channel === channel)),
          statsOfHistograms(...hist('fr', 'channel', channel)),
        ),
      ),
    heatmap: await heatmap(db, scope),
  };
}

/** Hour of week in `tz` (Monday 0): inquiries, and the average number of agents online in that hour. */
async function heatmap(db: DbOrTx, scope: ReportScope): Promise<HeatmapCell[]> {
  const local = (column: SQL) => sql`(${column} at time zone ${scope.query.tz}::text)`;
  const cell = (column: SQL) =>
    sql`(extract(isodow from ${local(column)})::int - 1) as day, extract(hour from ${local(column)})::int as hour`;
  const sums = await hourSums(
    db,
    scope,
    scope.startMs,
    scope.endMs,
    (column) => sql`to_char(${local(column)}, 'ID HH24')`,
  );
  const inquiries = new Map<string, number>();
  for (const row of sums) {
    const [isoDay, hour] = row.label.split(' ').map(Number) as [number, number];
    const key = `${isoDay - 1}:${hour}`;
    inquiries.set(key, (inquiries.get(key) ?? 0) + row.n);
  }
  // Agent-minutes per UTC hour (an agent online on two of the sites counts once), then per local hour of week,
  // divided by how often that hour of week occurs in the range. A zone with a :30 offset files each UTC hour
  // under the local hour it starts in.
  const online = rowsOf<{ day: number; hour: number; agents: number }>(
    await db.execute(sql`with per_hour as (
        select hour, sum(length(replace(minutes::bit(64)::text, '0', '')))::float8 / 60 as agents from (
          select hour, agent_id, bit_or(minutes) as minutes from report_agent_online
          where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`hour`, scope)} group by hour, agent_id) a
        group by hour),
      hours as (select h, ${cell(sql`h`)} from generate_series(${scope.start}::timestamptz,
        ${scope.end}::timestamptz - interval '1 hour', interval '1 hour') as h)
      select hours.day, hours.hour, (coalesce(sum(per_hour.agents), 0) / count(*))::float8 as agents
      from hours left join per_hour on per_hour.hour = hours.h group by 1, 2`),
  );
  const cells: HeatmapCell[] = [];
  for (let day = 0; day < 7; day++)
    for (let hour = 0; hour < 24; hour++) {
      const o = online.find((row) => Number(row.day) === day && Number(row.hour) === hour);
      cells.push({
        day,
        hour,
        inquiries: inquiries.get(`${day}:${hour}`) ?? 0,
        agentsOnline: Math.round(Number(o?.agents ?? 0) * 100) / 100,
      });
    }
  return cells;
}

// ---- Agents -------------------------------------------------------------------------------------

async function agentsReportIn(db: DbOrTx, scope: ReportScope): Promise<AgentsReport> {
  const sites = sitesIn(sql`site_id`, scope);
  const counts = await inquiryCounts(db, scope);
  const histograms = await latencyHistograms(db, scope);
  const working = [...new Set(counts.flatMap((row) => (row.agent_id ? [row.agent_id] : [])))];
  const rows = rowsOf<{
    agent_id: string;
    name: string;
    leads: number | null;
    won: number | null;
    lost: number | null;
  }>(
    await db.execute(sql`with
      people as (
        select a.id, a.name from agents a
        where (a.role = 'admin' or exists (select 1 from site_members m where m.agent_id = a.id and ${sitesIn(sql`m.site_id`, scope)})
          or a.id in (${sql.join([sql`null::uuid`, ...working.map((id) => sql`${id}::uuid`)], sql`, `)}))
          and ${ownRowOnly(sql`a.id`, scope)}),
      owned as (
        select assignee_id as agent_id, count(*)::int as leads from report_leads
        where ${sites} and ${inRange(sql`created_at`, scope)} and assignee_id is not null group by assignee_id),
      closed as (
        select assignee_id as agent_id, (count(*) filter (where status = 'won'))::int as won,
          (count(*) filter (where status = 'lost'))::int as lost
        from report_leads where ${sites} and ${inRange(sql`closed_at`, scope)} and assignee_id is not null
        group by assignee_id)
      select people.id as agent_id, people.name, owned.leads, closed.won, closed.lost
      from people left join owned on owned.agent_id = people.id left join closed on closed.agent_id = people.id
      order by people.name, people.id`),
  );
  return {
    range: scope.range,
    agents: rows.map((row): AgentReportRow => {
      const won = Number(row.won ?? 0);
      const lost = Number(row.lost ?? 0);
      const mine = counts.filter((count) => count.agent_id === row.agent_id);
      const sum = (list: CountRow[], key: keyof CountRow) => list.reduce((total, r) => total + Number(r[key]), 0);
      const callbacks = mine.filter((count) => count.kind === 'callback');
      return {
        agentId: row.agent_id,
        name: row.name,
        chats: sum(
          mine.filter((count) => count.kind === 'conversation'),
          'n',
        ),
        callbacks: sum(callbacks, 'n'),
        leadsOwned: Number(row.leads ?? 0),
        firstResponse: statsOfHistograms(...histogramsOf(histograms, scope, 'fr', 'agent', row.agent_id)),
        csat: mean1(sum(mine, 'rating_sum'), sum(mine, 'ratings')),
        csatCount: sum(mine, 'ratings'),
        won,
        lost,
        conversionPercent: percent(won, won + lost),
        overdue: sum(callbacks, 'late') + sum(callbacks, 'uncalled_overdue'),
      };
    }),
  };
}

// ---- Leads and funnel ---------------------------------------------------------------------------

const contacted = sql`first_contacted_at is not null`;
const qualified = sql`first_contacted_at is not null and status <> 'spam'
  and not (status = 'lost' and coalesce(lost_reason, '') in ('not_a_lead', 'spam'))`;
const conversionColumns = sql`count(*)::int as leads, (count(*) filter (where ${contacted}))::int as contacted,
  (count(*) filter (where ${qualified}))::int as qualified, (count(*) filter (where status = 'won'))::int as won,
  (count(*) filter (where status = 'lost'))::int as lost`;

function conversionRow(row: Record<string, unknown>) {
  const leads = Number(row.leads ?? 0);
  const won = Number(row.won ?? 0);
  return {
    leads,
    contacted: Number(row.contacted ?? 0),
    qualified: Number(row.qualified ?? 0),
    won,
    lost: Number(row.lost ?? 0),
    conversionPercent: percent(won, leads),
  };
}

async function funnelReportIn(db: DbOrTx, scope: ReportScope): Promise<FunnelReport> {
  const where = sql`${sitesIn(sql`site_id`, scope)} and ${inRange(sql`created_at`, scope)}`;
  // One scan: totals, temperature, source and lost-reason rows and the deal-duration histogram are grouping sets.
  const dealMs = sql`(extract(epoch from closed_at - created_at)::float8 * 1000)::bigint`;
  const grouped = rowsOf<
    Record<string, unknown> & {
      g: number;
      temperature: FunnelTemperature;
      kind: SourceKind;
      source: string;
      medium: string;
      campaign: string;
      click: string;
      reason: LostReason | 'unspecified';
      bucket: number | null;
      deal_sum: number | null;
    }
  >(
    await db.execute(sql`select grouping(temperature, source_kind, utm_source, utm_medium, utm_campaign, click_id_type,
        reason, bucket) as g, temperature, source_kind as kind, utm_source as source, utm_medium as medium,
        utm_campaign as campaign, click_id_type as click, reason, bucket, ${conversionColumns},
        sum(deal_ms)::float8 as deal_sum
      from (select *, coalesce(first_contact_temperature, 'unknown') as temperature,
              case when status = 'lost' then coalesce(lost_reason, 'unspecified') end as reason,
              case when status = 'won' then ${dealMs} end as deal_ms,
              case when status = 'won' then ${latencyBucket(dealMs)} end as bucket
            from report_leads where ${where}) l
      group by grouping sets ((), (temperature), (source_kind, utm_source, utm_medium, utm_campaign, click_id_type),
        (reason), (bucket))`),
  );
  // grouping() bits, from the last argument: bucket 1, reason 2, click…temperature 4…128.
  const all = 255;
  const totals = grouped.find((row) => Number(row.g) === all);
  const t = conversionRow(totals ?? {});
  const temperatures = grouped.filter((row) => Number(row.g) === all - 128);
  const sources = grouped
    .filter((row) => Number(row.g) === 128 + 2 + 1)
    .sort((x, y) => {
      if (Number(y.leads) !== Number(x.leads)) return Number(y.leads) - Number(x.leads);
      for (const key of ['kind', 'source', 'medium', 'campaign'] as const)
        if (x[key] !== y[key]) return x[key] < y[key] ? -1 : 1;
      return 0;
    })
    .slice(0, 200);
  const reasons = grouped
    .filter((row) => Number(row.g) === all - 2 && row.reason !== null)
    .map((row) => ({ reason: row.reason, n: Number(row.leads) }))
    .sort((x, y) => y.n - x.n || (x.reason < y.reason ? -1 : x.reason > y.reason ? 1 : 0));
  const deals: Histogram = new Map();
  for (const row of grouped)
    if (Number(row.g) === all - 1 && row.bucket !== null)
      deals.set(Number(row.bucket), [Number(row.leads), Number(row.deal_sum)]);
  const other = rowsOf<{ text: string; at: string }>(
    await db.execute(sql`select l.lost_reason_text as text, coalesce(l.closed_at, l.updated_at)::text as at
      from report_leads r join leads l on l.id = r.lead_id
      where ${sitesIn(sql`r.site_id`, scope)} and ${inRange(sql`r.created_at`, scope)} and r.status = 'lost'
        and r.lost_reason = 'other' and l.lost_reason_text is not null
      order by at desc limit 50`),
  );
  const stage = (count: number, base: number | null) => ({
    count,
    conversionPercent: base === null ? null : percent(count, base),
  });
  return {
    range: scope.range,
    stages: [
      { stage: 'new', ...stage(t.leads, null) },
      { stage: 'contacted', ...stage(t.contacted, t.leads) },
      { stage: 'qualified', ...stage(t.qualified, t.contacted) },
      { stage: 'won', ...stage(t.won, t.qualified) },
      { stage: 'lost', ...stage(t.lost, t.contacted) },
    ],
    dealDuration: statsOfHistograms(deals),
    byTemperature: funnelTemperatures.map((key) => ({
      key,
      ...conversionRow(temperatures.find((row) => row.temperature === key) ?? {}),
    })),
    bySource: sources.map((row) => ({
      key: [row.source || (row.kind === 'paid' ? row.click : ''), row.medium, row.campaign].join(' / '),
      kind: row.kind,
      source: row.source || (row.kind === 'paid' ? row.click : ''),
      medium: row.medium,
      campaign: row.campaign,
      ...conversionRow(row),
    })),
    lostReasons: reasons.map((row) => ({ reason: row.reason, count: Number(row.n) })),
    lostOther: other.map((row) => ({ text: row.text, at: new Date(row.at).toISOString() })),
  };
}

// ---- Cost per inquiry ---------------------------------------------------------------------------

/** The days of `month` (YYYY-MM) inside [from, to] (local dates), and the month's length. */
function monthShare(month: string, from: string, to: string): number {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const first = Date.UTC(year, m - 1, 1);
  const next = Date.UTC(year, m, 1);
  const start = Math.max(first, Date.parse(from));
  const end = Math.min(next - dayMs, Date.parse(to));
  if (end < start) return 0;
  return ((end - start) / dayMs + 1) / ((next - first) / dayMs);
}

/** The spend key of an inquiry or lead: its UTM source, or the click id type of an untagged paid click. */
const sourceKey = sql`case when utm_source <> '' then utm_source when click_id_type <> '' then click_id_type else '' end`;

async function costReportIn(db: DbOrTx, scope: ReportScope): Promise<CostReport> {
  const span = spans(scope.startMs, scope.endMs);
  const spend = rowsOf<{ source: string; campaign: string; currency: string; month: string; amount: string }>(
    await db.execute(sql`select source, campaign, currency, month, amount::text as amount from report_spend
      where ${sitesIn(sql`site_id`, scope)} and month >= ${scope.query.from.slice(0, 7)} and month <= ${scope.query.to.slice(0, 7)}`),
  );
  const inquiries = rowsOf<{ source: string; campaign: string; n: number }>(
    await db.execute(sql`select ${sourceKey} as source, utm_campaign as campaign, sum(n)::int as n from (
        select utm_source, click_id_type, utm_campaign, n from report_source_months
        where ${sitesIn(sql`site_id`, scope)} and ${span.months(sql`month`)}
        union all
        select utm_source, click_id_type, utm_campaign, 1 from report_inquiries
        where ${sitesIn(sql`site_id`, scope)} and ${span.facts(sql`at`)}) x
      group by 1, 2`),
  );
  const leads = rowsOf<{ source: string; campaign: string; qualified: number; won: number }>(
    await db.execute(sql`select ${sourceKey} as source, utm_campaign as campaign,
      (count(*) filter (where ${qualified}))::int as qualified, (count(*) filter (where status = 'won'))::int as won
      from report_leads where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`created_at`, scope)} group by 1, 2`),
  );
  // Spend rows keyed by (source, campaign, currency); a whole-source row ('' campaign) takes the source's
  // inquiries except those of campaigns that have their own spend.
  const rows = new Map<string, CostRow>();
  for (const entry of spend) {
    const key = JSON.stringify([entry.source, entry.campaign, entry.currency]);
    const row =
      rows.get(key) ??
      ({
        source: entry.source,
        campaign: entry.campaign,
        currency: entry.currency,
        spend: 0,
        inquiries: 0,
        qualified: 0,
        won: 0,
        costPerInquiry: null,
        costPerQualified: null,
        costPerWon: null,
      } satisfies CostRow);
    row.spend += Number(entry.amount) * monthShare(entry.month, scope.query.from, scope.query.to);
    rows.set(key, row);
  }
  const campaignsWithSpend = new Set(
    [...rows.values()].filter((row) => row.campaign).map((row) => `${row.source}\n${row.campaign}`),
  );
  for (const row of rows.values()) {
    const matches = <T extends { source: string; campaign: string }>(item: T) =>
      item.source === row.source &&
      (row.campaign ? item.campaign === row.campaign : !campaignsWithSpend.has(`${item.source}\n${item.campaign}`));
    row.inquiries = inquiries.filter(matches).reduce((sum, item) => sum + Number(item.n), 0);
    row.qualified = leads.filter(matches).reduce((sum, item) => sum + Number(item.qualified), 0);
    row.won = leads.filter(matches).reduce((sum, item) => sum + Number(item.won), 0);
  }
  const finish = (row: CostRow): CostRow => {
    const spendRounded = Math.round(row.spend * 100) / 100;
    const per = (count: number) => (count > 0 ? Math.round((row.spend / count) * 100) / 100 : null);
    return {
      ...row,
      spend: spendRounded,
      costPerInquiry: per(row.inquiries),
      costPerQualified: per(row.qualified),
      costPerWon: per(row.won),
    };
  };
  const totals = new Map<string, CostRow>();
  for (const row of rows.values()) {
    const total =
      totals.get(row.currency) ??
      ({ ...row, source: '', campaign: '', spend: 0, inquiries: 0, qualified: 0, won: 0 } satisfies CostRow);
    total.spend += row.spend;
    total.inquiries += row.inquiries;
    total.qualified += row.qualified;
    total.won += row.won;
    totals.set(row.currency, total);
  }
  return {
    range: scope.range,
    rows: [...rows.values()]
      .map(finish)
      .sort((a, b) => b.spend - a.spend || a.source.localeCompare(b.source) || a.campaign.localeCompare(b.campaign)),
    totals: [...totals.values()].map(finish).sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

// ---- Feedback -----------------------------------------------------------------------------------

async function feedbackReportIn(db: DbOrTx, scope: ReportScope): Promise<FeedbackTrendReport> {
  const sums = await hourSums(db, scope, scope.startMs, scope.endMs, (column) => localPeriod(column, scope));
  const keys = ['nps_n', 'promoters', 'detractors', 'csat_n', 'csat_sum', 'csat_ok', 'chat_n', 'chat_sum', 'chat_ok'];
  const add = (into: Record<string, number>, row: HourSums) => {
    for (const key of keys) into[key] = (into[key] ?? 0) + Number(row[key as keyof HourSums]);
    return into;
  };
  const all = sums.reduce(add, {} as Record<string, number>);
  const byPeriod = new Map<string, Record<string, number>>();
  for (const row of sums) byPeriod.set(row.label, add(byPeriod.get(row.label) ?? {}, row));
  const comments = rowsOf<{
    score_kind: FeedbackComment['source'];
    score: number | null;
    comment: string;
    at: string;
    site_id: string;
  }>(
    await db.execute(sql`select score_kind, score, comment, at::text as at, site_id from report_inquiries
      where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`at`, scope)} and comment is not null
      order by report_inquiries.at desc limit 100`),
  );
  const npsOf = (row: Record<string, number>) => {
    const n = Number(row.nps_n ?? 0);
    return n ? Math.round(((Number(row.promoters) - Number(row.detractors)) / n) * 100) : null;
  };
  const a = all ?? {};
  return {
    range: scope.range,
    nps: {
      score: npsOf(a),
      promoters: Number(a.promoters ?? 0),
      passives: Number(a.nps_n ?? 0) - Number(a.promoters ?? 0) - Number(a.detractors ?? 0),
      detractors: Number(a.detractors ?? 0),
      count: Number(a.nps_n ?? 0),
    },
    csat: {
      average: mean1(Number(a.csat_sum ?? 0), Number(a.csat_n ?? 0)),
      satisfiedPercent: Number(a.csat_n) ? Math.round((Number(a.csat_ok) / Number(a.csat_n)) * 100) : null,
      count: Number(a.csat_n ?? 0),
    },
    chatRating: {
      average: mean1(Number(a.chat_sum ?? 0), Number(a.chat_n ?? 0)),
      satisfiedPercent: Number(a.chat_n) ? Math.round((Number(a.chat_ok) / Number(a.chat_n)) * 100) : null,
      count: Number(a.chat_n ?? 0),
    },
    series: periodsOf(scope.query).map((period) => {
      const row: Record<string, number> = byPeriod.get(period) ?? {};
      return {
        period,
        nps: npsOf(row),
        npsAnswers: Number(row.nps_n ?? 0),
        csat: mean1(Number(row.csat_sum ?? 0), Number(row.csat_n ?? 0)),
        csatAnswers: Number(row.csat_n ?? 0),
        chatRating: mean1(Number(row.chat_sum ?? 0), Number(row.chat_n ?? 0)),
        chatRatings: Number(row.chat_n ?? 0),
      };
    }),
    comments: comments.map((row) => ({
      source: row.score_kind ?? 'message',
      score: row.score === null ? null : Number(row.score),
      text: row.comment,
      at: new Date(row.at).toISOString(),
      siteId: row.site_id,
    })),
  };
}

// ---- Triggers and invitations -------------------------------------------------------------------

async function triggersReportIn(db: DbOrTx, scope: ReportScope): Promise<TriggersReport> {
  const triggers = rowsOf<{
    site_id: string;
    trigger_id: string;
    name: string | null;
    shown: number;
    accepted: number;
    dismissed: number;
    leads: number;
    won: number;
  }>(
    await db.execute(sql`with counts as (
        select site_id, trigger_id, sum(shown)::int as shown, sum(accepted)::int as accepted,
          sum(dismissed)::int as dismissed
        from report_trigger_hours where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`hour`, scope)}
        group by 1, 2),
      outcomes as (
        select ta.site_id, ta.trigger_id, count(distinct l.id)::int as leads,
          (count(distinct l.id) filter (where l.status = 'won'))::int as won
        from report_trigger_accepts ta
        join lead_visitors lv on lv.site_id = ta.site_id and lv.visitor_id = ta.visitor_id
        join leads l on l.id = lv.lead_id
        where ${sitesIn(sql`ta.site_id`, scope)} and ${inRange(sql`ta.accepted_at`, scope)}
        group by 1, 2)
      select counts.*, r.name, coalesce(outcomes.leads, 0) as leads, coalesce(outcomes.won, 0) as won
      from counts left join outcomes using (site_id, trigger_id)
        left join trigger_rules r on r.id::text = counts.trigger_id and r.site_id = counts.site_id
      order by counts.shown desc, counts.trigger_id`),
  );
  const invitations = rowsOf<{
    site_id: string;
    agent_id: string | null;
    name: string | null;
    shown: number;
    accepted: number;
    dismissed: number;
    leads: number;
    won: number;
  }>(
    await db.execute(sql`select ci.site_id, ci.agent_id, a.name,
        (count(*) filter (where ci.state in ('seen', 'accepted', 'declined')))::int as shown,
        (count(*) filter (where ci.state = 'accepted'))::int as accepted,
        (count(*) filter (where ci.state = 'declined'))::int as dismissed,
        (count(distinct ri.lead_id))::int as leads,
        (count(distinct ri.lead_id) filter (where rl.status = 'won'))::int as won
      from chat_invitations ci
      left join agents a on a.id = ci.agent_id
      left join report_inquiries ri on ri.ref_id = ci.conversation_id
      left join report_leads rl on rl.lead_id = ri.lead_id
      where ${sitesIn(sql`ci.site_id`, scope)} and ${inRange(sql`ci.created_at`, scope)}
      group by 1, 2, 3 order by shown desc, 2`),
  );
  return {
    range: scope.range,
    rows: [
      ...triggers.map((row) => ({
        kind: 'trigger' as const,
        id: row.trigger_id,
        name: row.name,
        siteId: row.site_id,
        shown: Number(row.shown),
        accepted: Number(row.accepted),
        dismissed: Number(row.dismissed),
        leads: Number(row.leads),
        won: Number(row.won),
        acceptPercent: percent(Number(row.accepted), Number(row.shown)),
      })),
      ...invitations.map((row) => ({
        kind: 'invitation' as const,
        id: row.agent_id ?? '',
        name: row.name,
        siteId: row.site_id,
        shown: Number(row.shown),
        accepted: Number(row.accepted),
        dismissed: Number(row.dismissed),
        leads: Number(row.leads),
        won: Number(row.won),
        acceptPercent: percent(Number(row.accepted), Number(row.shown)),
      })),
    ],
  };
}

// ---- Entry points -------------------------------------------------------------------------------

/**
 * Each report runs in one read transaction with PostgreSQL's JIT off: its statements are estimated expensive
 * (generate_series, unions, lateral values) but read few rows, and compiling them cost more than running them —
 * up to 2 s per statement on a loaded machine (measured on the benchmark's year). PGlite has no JIT.
 */
function withoutJit<T>(run: (db: DbOrTx, scope: ReportScope) => Promise<T>) {
  return (db: DbOrTx, scope: ReportScope): Promise<T> =>
    db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      return run(tx, scope);
    });
}

export const overviewReport = withoutJit(overviewReportIn);
export const speedReport = withoutJit(speedReportIn);
export const agentsReport = withoutJit(agentsReportIn);
export const funnelReport = withoutJit(funnelReportIn);
export const costReport = withoutJit(costReportIn);
export const feedbackReport = withoutJit(feedbackReportIn);
export const triggersReport = withoutJit(triggersReportIn);
