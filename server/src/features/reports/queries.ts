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

/** What a report runs over: the caller's sites and the range's instants (computed by PostgreSQL in `tz`). */
export interface ReportScope {
  query: ParsedReportQuery;
  range: ReportRange;
  siteIds: string[];
  /** Start of `from` and of the day after `to` in `tz`, and the previous period's start (ISO instants). */
  start: string;
  end: string;
  previousStart: string;
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
  let bounds: { start: string; end: string; previous_start: string } | undefined;
  try {
    [bounds] = rowsOf<{ start: string; end: string; previous_start: string }>(
      await db.execute(sql`select
        (${query.from}::date::timestamp at time zone ${query.tz}::text)::text as start,
        ((${query.to}::date + 1)::timestamp at time zone ${query.tz}::text)::text as "end",
        (${previousFrom}::date::timestamp at time zone ${query.tz}::text)::text as previous_start`),
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

/** Exact nearest-rank median and 90th percentile of a millisecond column (SQL select list fragment). */
const latency = (column: SQL, filter: SQL = sql`true`) =>
  sql`count(${column}) filter (where ${filter})::int,
    percentile_disc(0.5) within group (order by ${column}) filter (where ${filter})::float8,
    percentile_disc(0.9) within group (order by ${column}) filter (where ${filter})::float8`;
const latencyColumns = (prefix: string) => [`${prefix}_n`, `${prefix}_p50`, `${prefix}_p90`];

function stats(row: Record<string, unknown>, prefix: string): LatencyStats {
  const [n, p50, p90] = latencyColumns(prefix).map((key) => row[key]);
  return {
    count: Number(n ?? 0),
    medianMs: p50 === null || p50 === undefined ? null : Number(p50),
    p90Ms: p90 === null || p90 === undefined ? null : Number(p90),
  };
}
const latencyAs = (column: SQL, prefix: string, filter: SQL = sql`true`) => {
  const [n, p50, p90] = latencyColumns(prefix);
  return sql`count(${column}) filter (where ${filter})::int as ${sql.identifier(n!)},
    percentile_disc(0.5) within group (order by ${column}) filter (where ${filter})::float8 as ${sql.identifier(p50!)},
    percentile_disc(0.9) within group (order by ${column}) filter (where ${filter})::float8 as ${sql.identifier(p90!)}`;
};
void latency;

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

export async function overviewReport(db: DbOrTx, scope: ReportScope): Promise<OverviewReport> {
  // One scan of the range and the previous period: channel totals, source totals and the current period's
  // series are three grouping sets of the same rows.
  const rows = rowsOf<{
    gp: number;
    gc: number;
    gs: number;
    period: string | null;
    channel: InquiryChannel;
    source_kind: SourceKind;
    utm_source: string;
    utm_medium: string;
    utm_campaign: string;
    referrer_domain: string;
    click_id_type: string;
    cur: number;
    prev: number;
  }>(
    await db.execute(sql`select grouping(period) as gp, grouping(channel) as gc, grouping(source_kind) as gs,
        period, channel, source_kind, utm_source, utm_medium, utm_campaign, referrer_domain, click_id_type,
        (count(*) filter (where cur))::int as cur, (count(*) filter (where not cur))::int as prev
      from (select *, at >= ${scope.start}::timestamptz as cur,
              case when at >= ${scope.start}::timestamptz then ${localPeriod(sql`at`, scope)} end as period
            from report_inquiries
            where ${sitesIn(sql`site_id`, scope)} and at >= ${scope.previousStart}::timestamptz
              and at < ${scope.end}::timestamptz) i
      group by grouping sets ((channel), (source_kind, utm_source, utm_medium, utm_campaign, referrer_domain,
        click_id_type), (period, channel))`),
  );
  const channels = rows.filter((row) => Number(row.gc) === 0 && Number(row.gp) === 1 && Number(row.gs) === 1);
  const series = rows
    .filter((row) => Number(row.gp) === 0 && row.period !== null)
    .map((row) => ({ period: row.period!, channel: row.channel, n: row.cur }));
  const key = (row: (typeof rows)[number]) =>
    [row.source_kind, row.utm_source, row.utm_medium, row.utm_campaign, row.referrer_domain].join('\n');
  const sources = rows
    .filter((row) => Number(row.gs) === 0)
    .sort(
      (a, b) =>
        Number(b.cur) - Number(a.cur) ||
        Number(b.prev) - Number(a.prev) ||
        (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
    )
    .slice(0, 200);
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
  const byChannel = inquiryChannels.map((channel) => {
    const row = channels.find((candidate) => candidate.channel === channel);
    return { channel, count: Number(row?.cur ?? 0), previous: Number(row?.prev ?? 0) };
  });
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

const onTime = sql`first_call_at is not null and first_call_at <= due_at`;
const overdue = sql`(first_call_at is not null and first_call_at > due_at) or (first_call_at is null and due_at < now())`;
const isChat = sql`kind = 'conversation' and channel <> 'offline'`;

/** Per-group speed columns over report_inquiries `i` (chats, missed, first response, callbacks, SLA). */
const speedColumns = sql`
  (count(*) filter (where ${isChat}))::int as chats,
  (count(*) filter (where ${isChat} and not answered))::int as missed,
  ${latencyAs(sql`first_response_ms`, 'fr', isChat)},
  (count(*) filter (where kind = 'callback'))::int as callbacks,
  (count(*) filter (where kind = 'callback' and ${onTime}))::int as on_time,
  (count(*) filter (where kind = 'callback' and (${overdue})))::int as overdue`;

function speedRow(key: string, label: string, row: Record<string, unknown>): SpeedRow {
  return {
    key,
    label,
    chats: Number(row.chats ?? 0),
    missed: Number(row.missed ?? 0),
    firstResponse: stats(row, 'fr'),
    callbacks: Number(row.callbacks ?? 0),
    callbacksOnTime: Number(row.on_time ?? 0),
    callbacksOverdue: Number(row.overdue ?? 0),
  };
}

/** An agent who is not an admin sees only their own row wherever rows are per agent. */
const ownRowOnly = (column: SQL, scope: ReportScope) =>
  scope.agent.role === 'admin' ? sql`true` : sql`${column} = ${scope.agent.id}::uuid`;

export async function speedReport(db: DbOrTx, scope: ReportScope): Promise<SpeedReport> {
  const where = sql`${sitesIn(sql`i.site_id`, scope)} and ${inRange(sql`i.at`, scope)}`;
  // One scan for the totals, the per-agent and the per-channel rows (grouping sets of the same rows).
  const grouped = rowsOf<
    Record<string, unknown> & {
      ga: number;
      gc: number;
      agent_id: string | null;
      name: string | null;
      channel: InquiryChannel;
    }
  >(
    await db.execute(sql`select g.*, a.name from (select grouping(i.agent_id) as ga, grouping(i.channel) as gc,
      i.agent_id, i.channel, ${speedColumns},
      (count(*) filter (where ${isChat} and answered))::int as answered,
      ${latencyAs(sql`first_response_ms`, 'frb', sql`${isChat} and in_business_hours`)},
      ${latencyAs(sql`resolution_ms`, 'res', isChat)},
      ${latencyAs(sql`resolution_ms`, 'resb', sql`${isChat} and in_business_hours`)}
      from report_inquiries i where ${where}
      group by grouping sets ((), (i.agent_id), (i.channel))) g left join agents a on a.id = g.agent_id`),
  );
  const chat = grouped.find((row) => Number(row.ga) === 1 && Number(row.gc) === 1);
  const c: Record<string, unknown> = chat ? { ...chat, requests: chat.callbacks } : {};
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
      from (select * from report_inquiries i where ${where} and i.kind = 'callback' and (${overdue})) i
      join callbacks cb on cb.id = i.ref_id left join agents a on a.id = i.agent_id
      order by i.due_at desc limit 100`),
  );
  const [firstContact] = rowsOf<Record<string, unknown>>(
    await db.execute(
      sql`select ${latencyAs(
        sql`(extract(epoch from first_contacted_at - created_at) * 1000)::bigint`,
        'fc',
        sql`first_contacted_at is not null`,
      )} from report_leads where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`created_at`, scope)}`,
    ),
  );
  const byAgent = grouped
    .filter((row) => Number(row.ga) === 0 && row.agent_id !== null && row.name !== null)
    .filter((row) => scope.agent.role === 'admin' || row.agent_id === scope.agent.id)
    .sort((x, y) => (x.name! < y.name! ? -1 : x.name! > y.name! ? 1 : x.agent_id! < y.agent_id! ? -1 : 1));
  const byTeam = rowsOf<Record<string, unknown> & { team_id: string; name: string }>(
    await db.execute(sql`select t.id as team_id, t.name, ${speedColumns}
      from report_inquiries i
      join team_members tm on tm.agent_id = i.agent_id
      join teams t on t.id = tm.team_id and t.site_id = i.site_id
      where ${where} group by t.id, t.name order by t.name, t.id`),
  );
  const byChannel = grouped.filter((row) => Number(row.gc) === 0);
  return {
    range: scope.range,
    chat: {
      chats: Number(c.chats ?? 0),
      answered: Number(c.answered ?? 0),
      missed: Number(c.chats ?? 0) - Number(c.answered ?? 0),
      firstResponse: { all: stats(c, 'fr'), businessHours: stats(c, 'frb') },
      resolution: { all: stats(c, 'res'), businessHours: stats(c, 'resb') },
    },
    callbacks: {
      requests: Number(c.requests ?? 0),
      onTime: Number(c.on_time ?? 0),
      overdue: Number(c.overdue ?? 0),
      pending: Number(c.requests ?? 0) - Number(c.on_time ?? 0) - Number(c.overdue ?? 0),
      onTimePercent: percent(Number(c.on_time ?? 0), Number(c.on_time ?? 0) + Number(c.overdue ?? 0)),
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
    firstContact: stats(firstContact ?? {}, 'fc'),
    byAgent: byAgent.map((row) => speedRow(row.agent_id!, row.name!, row)),
    byTeam: byTeam.map((row) => speedRow(row.team_id, row.name, row)),
    byChannel: inquiryChannels
      .map((channel) => byChannel.find((row) => row.channel === channel))
      .filter((row) => row !== undefined)
      .map((row) => speedRow(row.channel, row.channel, row)),
    heatmap: await heatmap(db, scope),
  };
}

/** Hour of week in `tz` (Monday 0): inquiries, and the average number of agents online in that hour. */
async function heatmap(db: DbOrTx, scope: ReportScope): Promise<HeatmapCell[]> {
  const local = (column: SQL) => sql`(${column} at time zone ${scope.query.tz}::text)`;
  const cell = (column: SQL) =>
    sql`(extract(isodow from ${local(column)})::int - 1) as day, extract(hour from ${local(column)})::int as hour`;
  const inquiries = rowsOf<{ day: number; hour: number; n: number }>(
    await db.execute(sql`select ${cell(sql`at`)}, count(*)::int as n from report_inquiries
      where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`at`, scope)} group by 1, 2`),
  );
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
      const n = inquiries.find((row) => Number(row.day) === day && Number(row.hour) === hour);
      const o = online.find((row) => Number(row.day) === day && Number(row.hour) === hour);
      cells.push({
        day,
        hour,
        inquiries: Number(n?.n ?? 0),
        agentsOnline: Math.round(Number(o?.agents ?? 0) * 100) / 100,
      });
    }
  return cells;
}

// ---- Agents -------------------------------------------------------------------------------------

export async function agentsReport(db: DbOrTx, scope: ReportScope): Promise<AgentsReport> {
  const sites = sitesIn(sql`site_id`, scope);
  const rows = rowsOf<Record<string, unknown> & { agent_id: string; name: string }>(
    await db.execute(sql`with
      people as (
        select a.id, a.name from agents a
        where (a.role = 'admin' or exists (select 1 from site_members m where m.agent_id = a.id and ${sitesIn(sql`m.site_id`, scope)})
          or exists (select 1 from report_inquiries i where i.agent_id = a.id and ${sitesIn(sql`i.site_id`, scope)}
                     and ${inRange(sql`i.at`, scope)}))
          and ${ownRowOnly(sql`a.id`, scope)}),
      work as (
        -- worker_id, not agent_id: work.* below would overwrite people.id with null for an agent without work
        select agent_id as worker_id,
          (count(*) filter (where kind = 'conversation'))::int as chats,
          (count(*) filter (where kind = 'callback'))::int as callbacks,
          ${latencyAs(sql`first_response_ms`, 'fr', isChat)},
          (count(score) filter (where score_kind = 'chat'))::int as csat_n,
          coalesce(sum(score) filter (where score_kind = 'chat'), 0)::int as csat_sum,
          (count(*) filter (where kind = 'callback' and (${overdue})))::int as overdue
        from report_inquiries where ${sites} and ${inRange(sql`at`, scope)} and agent_id is not null group by agent_id),
      owned as (
        select assignee_id as agent_id, count(*)::int as leads from report_leads
        where ${sites} and ${inRange(sql`created_at`, scope)} and assignee_id is not null group by assignee_id),
      closed as (
        select assignee_id as agent_id, (count(*) filter (where status = 'won'))::int as won,
          (count(*) filter (where status = 'lost'))::int as lost
        from report_leads where ${sites} and ${inRange(sql`closed_at`, scope)} and assignee_id is not null
        group by assignee_id)
      select people.id as agent_id, people.name, work.*, owned.leads, closed.won, closed.lost
      from people left join work on work.worker_id = people.id left join owned on owned.agent_id = people.id
        left join closed on closed.agent_id = people.id
      order by people.name, people.id`),
  );
  return {
    range: scope.range,
    agents: rows.map((row): AgentReportRow => {
      const won = Number(row.won ?? 0);
      const lost = Number(row.lost ?? 0);
      return {
        agentId: row.agent_id,
        name: row.name,
        chats: Number(row.chats ?? 0),
        callbacks: Number(row.callbacks ?? 0),
        leadsOwned: Number(row.leads ?? 0),
        firstResponse: stats(row, 'fr'),
        csat: mean1(Number(row.csat_sum ?? 0), Number(row.csat_n ?? 0)),
        csatCount: Number(row.csat_n ?? 0),
        won,
        lost,
        conversionPercent: percent(won, won + lost),
        overdue: Number(row.overdue ?? 0),
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

export async function funnelReport(db: DbOrTx, scope: ReportScope): Promise<FunnelReport> {
  const where = sql`${sitesIn(sql`site_id`, scope)} and ${inRange(sql`created_at`, scope)}`;
  const [totals] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select ${conversionColumns},
      ${latencyAs(sql`(extract(epoch from closed_at - created_at) * 1000)::bigint`, 'deal', sql`status = 'won'`)}
      from report_leads where ${where}`),
  );
  const t = conversionRow(totals ?? {});
  const temperatures = rowsOf<Record<string, unknown> & { key: FunnelTemperature }>(
    await db.execute(sql`select coalesce(first_contact_temperature, 'unknown') as key, ${conversionColumns}
      from report_leads where ${where} group by 1`),
  );
  const sources = rowsOf<
    Record<string, unknown> & { kind: SourceKind; source: string; medium: string; campaign: string; click: string }
  >(
    await db.execute(sql`select source_kind as kind, utm_source as source, utm_medium as medium,
      utm_campaign as campaign, click_id_type as click, ${conversionColumns}
      from report_leads where ${where} group by 1, 2, 3, 4, 5 order by leads desc, 1, 2, 3, 4 limit 200`),
  );
  const reasons = rowsOf<{ reason: LostReason | 'unspecified'; n: number }>(
    await db.execute(sql`select coalesce(lost_reason, 'unspecified') as reason, count(*)::int as n
      from report_leads where ${where} and status = 'lost' group by 1 order by n desc, 1`),
  );
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
    dealDuration: stats(totals ?? {}, 'deal'),
    byTemperature: funnelTemperatures.map((key) => ({
      key,
      ...conversionRow(temperatures.find((row) => row.key === key) ?? {}),
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

export async function costReport(db: DbOrTx, scope: ReportScope): Promise<CostReport> {
  const spend = rowsOf<{ source: string; campaign: string; currency: string; month: string; amount: string }>(
    await db.execute(sql`select source, campaign, currency, month, amount::text as amount from report_spend
      where ${sitesIn(sql`site_id`, scope)} and month >= ${scope.query.from.slice(0, 7)} and month <= ${scope.query.to.slice(0, 7)}`),
  );
  const inquiries = rowsOf<{ source: string; campaign: string; n: number }>(
    await db.execute(sql`select ${sourceKey} as source, utm_campaign as campaign, count(*)::int as n
      from report_inquiries where ${sitesIn(sql`site_id`, scope)} and ${inRange(sql`at`, scope)} group by 1, 2`),
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

export async function feedbackReport(db: DbOrTx, scope: ReportScope): Promise<FeedbackTrendReport> {
  const where = sql`${sitesIn(sql`site_id`, scope)} and ${inRange(sql`at`, scope)} and score is not null`;
  const columns = sql`
    (count(*) filter (where score_kind = 'nps'))::int as nps_n,
    (count(*) filter (where score_kind = 'nps' and score >= 9))::int as promoters,
    (count(*) filter (where score_kind = 'nps' and score <= 6))::int as detractors,
    (count(*) filter (where score_kind = 'csat'))::int as csat_n,
    coalesce(sum(score) filter (where score_kind = 'csat'), 0)::int as csat_sum,
    (count(*) filter (where score_kind = 'csat' and score >= 4))::int as csat_ok,
    (count(*) filter (where score_kind = 'chat'))::int as chat_n,
    coalesce(sum(score) filter (where score_kind = 'chat'), 0)::int as chat_sum,
    (count(*) filter (where score_kind = 'chat' and score >= 4))::int as chat_ok`;
  const [all] = rowsOf<Record<string, number>>(
    await db.execute(sql`select ${columns} from report_inquiries where ${where}`),
  );
  const periods = rowsOf<Record<string, number> & { period: string }>(
    await db.execute(
      sql`select ${localPeriod(sql`at`, scope)} as period, ${columns} from report_inquiries where ${where} group by 1`,
    ),
  );
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
      const row: Record<string, number> = periods.find((candidate) => candidate.period === period) ?? {};
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

export async function triggersReport(db: DbOrTx, scope: ReportScope): Promise<TriggersReport> {
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
