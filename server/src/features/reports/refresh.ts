import { eq, type SQL, sql } from 'drizzle-orm';
import type { BusinessHours } from '@beckon/sdk/protocol';
import { type Db, type DbOrTx, rowsOf } from '../../db/client.js';
import { sitesTable } from '../../db/schema.js';

/**
 * The rollups (report_inquiries, report_leads, report_trigger_hours / _accepts) are derived from these raw
 * tables and columns only — what a bulk loader (the benchmark) must fill before `rebuildSiteRollups`:
 *
 * - conversations (id, site_id, chat_visitor_id, channel, assignee_id, created_at, closed_at,
 *   last_message_at, csat_rating, csat_comment), messages (conversation_id, seq, author, internal,
 *   agent_id, created_at), chat_visitors (tracker_visitor_ids, person_id), chat_invitations (conversation_id)
 * - callbacks (id, site_id, assignee_id, lead_id, visitor_id, requested_at, due_at, created_at, updated_at),
 *   callback_events (callback_id, kind 'outcome' / 'overdue', created_at)
 * - feedback (id, site_id, kind, score, text, visitor_id, lead_id, created_at)
 * - leads (id, site_id, person_id, status, assignee_id, first_contacted_at, first_contact_temperature,
 *   closed_at, lost_reason, created_at, updated_at), lead_audit (status changes out of `new`, for leads
 *   written before these columns existed)
 * - visitor_sessions (site_id, visitor_id, started_at, utm, referrer_domain, click_id_type): the source
 * - events (site_id, visitor_id, type 'track', name 'trigger:*', props.trigger, occurred_at, received_at)
 * - sites.chat.businessHours (in business hours or not)
 */
export const rollupSources = [
  'conversations',
  'messages',
  'chat_visitors',
  'chat_invitations',
  'callbacks',
  'callback_events',
  'feedback',
  'leads',
  'lead_audit',
  'visitor_sessions',
  'events',
  'sites',
] as const;

/** A trigger acceptance this long before an inquiry makes the inquiry's channel `trigger`. */
export const triggerAttributionMinutes = 30;

/** Raw changes are folded in only once they are this old: every transaction that started before has ended. */
export const settleMs = 60_000;

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Business hours as SQL parameters: null zone = always open (no hours, or a zone the server does not know). */
async function hoursOf(db: DbOrTx, siteId: string): Promise<{ zone: string | null; intervals: string }> {
  const [site] = await db.select({ chat: sitesTable.chat }).from(sitesTable).where(eq(sitesTable.id, siteId));
  const hours: BusinessHours | null = site?.chat.businessHours ?? null;
  if (!hours || !validZone(hours.timezone)) return { zone: null, intervals: '[]' };
  return { zone: hours.timezone, intervals: JSON.stringify(hours.intervals) };
}

/** `true` when the instant `at` falls inside one of the site's open intervals (mirrors sdk `isWithinBusinessHours`). */
function inHours(at: SQL, hours: { zone: string | null; intervals: string }): SQL {
  if (hours.zone === null) return sql`true`;
  const local = sql`(${at} at time zone ${hours.zone}::text)`;
  return sql`exists (
    select 1 from jsonb_to_recordset(${hours.intervals}::jsonb) as bh(day int, open text, close text)
    where bh.day = extract(dow from ${local})::int
      and to_char(${local}, 'HH24:MI') >= bh.open and to_char(${local}, 'HH24:MI') < bh.close)`;
}

/** The source of a visit row `s` (null row = direct), as the columns report_inquiries keeps. */
const sourceSelect = sql`
  case when s.click_id_type is not null then 'paid'
       when coalesce(s.utm->>'source', '') <> '' or coalesce(s.utm->>'medium', '') <> ''
         or coalesce(s.utm->>'campaign', '') <> '' then 'utm'
       when coalesce(s.referrer_domain, '') <> '' then 'referral'
       else 'direct' end,
  coalesce(s.utm->>'source', ''), coalesce(s.utm->>'medium', ''), coalesce(s.utm->>'campaign', ''),
  case when s.click_id_type is null and coalesce(s.utm->>'source', '') = '' and coalesce(s.utm->>'medium', '') = ''
         and coalesce(s.utm->>'campaign', '') = '' then coalesce(s.referrer_domain, '') else '' end,
  coalesce(s.click_id_type, '')`;

const inquiryColumns = sql`(ref_id, site_id, kind, at, channel, source_kind, utm_source, utm_medium, utm_campaign,
  referrer_domain, click_id_type, agent_id, lead_id, in_business_hours, answered, first_response_ms, resolution_ms,
  due_at, first_call_at, score, score_kind, comment, refreshed_at)`;

const inquiryUpsert = sql`on conflict (ref_id) do update set
  site_id = excluded.site_id, at = excluded.at, channel = excluded.channel, source_kind = excluded.source_kind,
  utm_source = excluded.utm_source, utm_medium = excluded.utm_medium, utm_campaign = excluded.utm_campaign,
  referrer_domain = excluded.referrer_domain, click_id_type = excluded.click_id_type, agent_id = excluded.agent_id,
  lead_id = excluded.lead_id, in_business_hours = excluded.in_business_hours, answered = excluded.answered,
  first_response_ms = excluded.first_response_ms, resolution_ms = excluded.resolution_ms, due_at = excluded.due_at,
  first_call_at = excluded.first_call_at, score = excluded.score, score_kind = excluded.score_kind,
  comment = excluded.comment, refreshed_at = excluded.refreshed_at`;

/** A trigger accepted by one of `visitors` (a SQL set of visitor ids) in the half hour before `at`. */
function acceptedTriggerBefore(siteId: string, visitors: SQL, at: SQL): SQL {
  return sql`exists (select 1 from report_trigger_accepts ta
    where ta.site_id = ${siteId}::uuid and ta.visitor_id in (${visitors})
      and ta.accepted_at <= ${at} and ta.accepted_at > ${at} - make_interval(mins => ${triggerAttributionMinutes}))`;
}

/** Recomputes the facts of the site's conversations that `filter` (over `c`) selects. */
async function refreshConversations(tx: DbOrTx, siteId: string, filter: SQL) {
  const hours = await hoursOf(tx, siteId);
  const visitorIds = sql`select jsonb_array_elements_text(cv.tracker_visitor_ids)`;
  await tx.execute(sql`
    insert into report_inquiries ${inquiryColumns}
    select c.id, c.site_id, 'conversation', c.created_at,
      case when c.channel = 'offline' then 'offline'
           when inv.conversation_id is not null then 'invitation'
           when ${acceptedTriggerBefore(siteId, visitorIds, sql`c.created_at`)} then 'trigger'
           else 'chat' end,
      ${sourceSelect},
      coalesce(c.assignee_id, fr.agent_id),
      -- The person's leads through their own index: the site check is a filter (IS TRUE is no index condition),
      -- or on a young table the planner read all of the site's leads for every conversation (1,200 x 1,200 rows).
      (select l.id from leads l where l.person_id = cv.person_id and (l.site_id = c.site_id) is true
        order by l.created_at limit 1),
      ${inHours(sql`c.created_at`, hours)},
      fr.created_at is not null,
      case when fr.created_at is not null
        then greatest(0, (extract(epoch from fr.created_at - coalesce(fv.created_at, c.created_at)) * 1000)::bigint) end,
      case when c.closed_at is not null
        then greatest(0, (extract(epoch from c.closed_at - c.created_at) * 1000)::bigint) end,
      null, null, c.csat_rating, case when c.csat_rating is not null then 'chat' end, c.csat_comment, now()
    from conversations c
    join chat_visitors cv on cv.id = c.chat_visitor_id
    left join (select distinct conversation_id from chat_invitations
               where site_id = ${siteId}::uuid and conversation_id is not null) inv on inv.conversation_id = c.id
    left join lateral (select m.seq, m.created_at from messages m
                       where m.conversation_id = c.id and m.author = 'visitor' order by m.seq limit 1) fv on true
    left join lateral (select m.created_at, m.agent_id from messages m
                       where m.conversation_id = c.id and m.author = 'agent' and not m.internal
                         and m.seq > coalesce(fv.seq, 0) order by m.seq limit 1) fr on true
    left join lateral (select * from visitor_sessions vs
                       where vs.site_id = c.site_id and vs.visitor_id in (${visitorIds}) and vs.started_at <= c.created_at
                       order by vs.started_at desc limit 1) s on true
    where c.site_id = ${siteId}::uuid and (${filter})
    ${inquiryUpsert}`);
}

/** Recomputes the facts of the site's callbacks that `filter` (over `cb`) selects. */
async function refreshCallbacks(tx: DbOrTx, siteId: string, filter: SQL) {
  const hours = await hoursOf(tx, siteId);
  await tx.execute(sql`
    insert into report_inquiries ${inquiryColumns}
    select cb.id, cb.site_id, 'callback', cb.created_at,
      case when cb.visitor_id is not null and ${acceptedTriggerBefore(siteId, sql`cb.visitor_id`, sql`cb.created_at`)}
        then 'trigger' else 'callback' end,
      ${sourceSelect},
      cb.assignee_id, cb.lead_id,
      ${inHours(sql`cb.created_at`, hours)},
      fo.created_at is not null,
      case when fo.created_at is not null
        then greatest(0, (extract(epoch from fo.created_at - cb.requested_at) * 1000)::bigint) end,
      null,
      -- A deadline the SLA job flagged before the first call stays missed even after a retry moved due_at.
      case when od.created_at is not null and (fo.created_at is null or od.created_at < fo.created_at)
        then least(cb.due_at, od.created_at) else cb.due_at end,
      fo.created_at, null, null, null, now()
    from callbacks cb
    left join lateral (select e.created_at from callback_events e
                       where e.callback_id = cb.id and e.kind = 'outcome' order by e.id limit 1) fo on true
    left join lateral (select e.created_at from callback_events e
                       where e.callback_id = cb.id and e.kind = 'overdue' order by e.id limit 1) od on true
    left join lateral (select * from visitor_sessions vs
                       where vs.site_id = cb.site_id and vs.visitor_id = cb.visitor_id and vs.started_at <= cb.created_at
                       order by vs.started_at desc limit 1) s on true
    where cb.site_id = ${siteId}::uuid and (${filter})
    ${inquiryUpsert}`);
}

/** Recomputes the facts of the site's feedback answers that `filter` (over `f`) selects. */
async function refreshFeedback(tx: DbOrTx, siteId: string, filter: SQL) {
  const hours = await hoursOf(tx, siteId);
  await tx.execute(sql`
    insert into report_inquiries ${inquiryColumns}
    select f.id, f.site_id, 'feedback', f.created_at,
      case when f.visitor_id is not null and ${acceptedTriggerBefore(siteId, sql`f.visitor_id`, sql`f.created_at`)}
        then 'trigger' else 'form' end,
      ${sourceSelect},
      null, f.lead_id, ${inHours(sql`f.created_at`, hours)}, false, null, null, null, null,
      f.score, f.kind, nullif(f.text, ''), now()
    from feedback f
    left join lateral (select * from visitor_sessions vs
                       where vs.site_id = f.site_id and vs.visitor_id = f.visitor_id and vs.started_at <= f.created_at
                       order by vs.started_at desc limit 1) s on true
    where f.site_id = ${siteId}::uuid and (${filter})
    ${inquiryUpsert}`);
}

/** Recomputes the funnel facts of the site's leads that `filter` (over `l`) selects; after the inquiries. */
async function refreshLeads(tx: DbOrTx, siteId: string, filter: SQL) {
  await tx.execute(sql`
    insert into report_leads (lead_id, site_id, created_at, status, assignee_id, first_contacted_at,
      first_contact_temperature, closed_at, lost_reason, source_kind, utm_source, utm_medium, utm_campaign,
      referrer_domain, click_id_type, refreshed_at)
    select l.id, l.site_id, l.created_at, l.status, l.assignee_id,
      coalesce(l.first_contacted_at, (select min(a.created_at) from lead_audit a
        where a.lead_id = l.id and a.field = 'status' and a.from_value = 'new'
          and a.to_value in ('open', 'contacted', 'won', 'lost'))),
      l.first_contact_temperature,
      case when l.status in ('won', 'lost') then coalesce(l.closed_at, l.updated_at) end,
      case when l.status = 'lost' then l.lost_reason end,
      coalesce(i.source_kind, 'direct'), coalesce(i.utm_source, ''), coalesce(i.utm_medium, ''),
      coalesce(i.utm_campaign, ''), coalesce(i.referrer_domain, ''), coalesce(i.click_id_type, ''), now()
    from leads l
    left join lateral (select * from report_inquiries ri where ri.lead_id = l.id order by ri.at limit 1) i on true
    where l.site_id = ${siteId}::uuid and (${filter})
    on conflict (lead_id) do update set
      status = excluded.status, assignee_id = excluded.assignee_id, first_contacted_at = excluded.first_contacted_at,
      first_contact_temperature = excluded.first_contact_temperature, closed_at = excluded.closed_at,
      lost_reason = excluded.lost_reason, source_kind = excluded.source_kind, utm_source = excluded.utm_source,
      utm_medium = excluded.utm_medium, utm_campaign = excluded.utm_campaign,
      referrer_domain = excluded.referrer_domain, click_id_type = excluded.click_id_type,
      refreshed_at = excluded.refreshed_at`);
}

/**
 * Folds `trigger:*` events received in [from, to) into the hourly trigger counts and the acceptances. Counts are
 * added, so each event must be folded once: the catch-up moves its watermark in the same transaction, and a
 * rebuild first removes the hours it recounts.
 */
async function foldTriggerEvents(tx: DbOrTx, siteId: string, window: SQL) {
  const triggerEvents = sql`select e.visitor_id, e.name, e.props->>'trigger' as trigger_id, e.occurred_at
    from events e
    where e.site_id = ${siteId}::uuid and (${window}) and e.type = 'track'
      and e.name in ('trigger:shown', 'trigger:accepted', 'trigger:dismissed')
      and coalesce(e.props->>'trigger', '') <> ''`;
  await tx.execute(sql`
    insert into report_trigger_hours (site_id, hour, trigger_id, shown, accepted, dismissed)
    select ${siteId}::uuid, date_trunc('hour', t.occurred_at, 'UTC'), t.trigger_id,
      count(*) filter (where t.name = 'trigger:shown'), count(*) filter (where t.name = 'trigger:accepted'),
      count(*) filter (where t.name = 'trigger:dismissed')
    from (${triggerEvents}) t
    group by 2, 3
    on conflict (site_id, hour, trigger_id) do update set shown = report_trigger_hours.shown + excluded.shown,
      accepted = report_trigger_hours.accepted + excluded.accepted,
      dismissed = report_trigger_hours.dismissed + excluded.dismissed`);
  await tx.execute(sql`
    insert into report_trigger_accepts (site_id, trigger_id, visitor_id, accepted_at)
    select ${siteId}::uuid, t.trigger_id, t.visitor_id, t.occurred_at from (${triggerEvents}) t
    where t.name = 'trigger:accepted'
    on conflict do nothing`);
}

/** An instant range [from, to) of the raw rows' own times; null = unbounded. */
export interface RollupRange {
  from: Date | null;
  to: Date | null;
}

const within = (column: SQL, range: RollupRange) =>
  sql`(${range.from?.toISOString() ?? null}::timestamptz is null or ${column} >= ${range.from?.toISOString() ?? null}::timestamptz)
    and (${range.to?.toISOString() ?? null}::timestamptz is null or ${column} < ${range.to?.toISOString() ?? null}::timestamptz)`;

/**
 * Recomputes every rollup of one site for the inquiries, leads and trigger events whose time falls in `range`
 * (all of them when unbounded), inside the caller's transaction: facts in the range are deleted and written
 * again from the raw tables, so the result equals what the incremental catch-up produced (tested). Used by
 * backfills (after a bulk COPY), tests, and whenever the raw data changed in a way the catch-up cannot see.
 * Trigger events are recounted up to the site's watermark (locked meanwhile, so the catch-up skips the site):
 * the ones received after it are the catch-up's to fold, so nothing is counted twice.
 */
export async function rebuildRollups(tx: DbOrTx, siteId: string, range: RollupRange = { from: null, to: null }) {
  const watermark = await lockWatermark(tx, siteId);
  // Hours are whole: a range that starts or ends inside an hour recounts that whole hour.
  const hourRange: RollupRange = {
    from: range.from && new Date(Math.floor(range.from.getTime() / 3_600_000) * 3_600_000),
    to: range.to && new Date(Math.ceil(range.to.getTime() / 3_600_000) * 3_600_000),
  };
  await tx.execute(sql`delete from report_inquiries where site_id = ${siteId}::uuid and ${within(sql`at`, range)}`);
  await tx.execute(
    sql`delete from report_trigger_hours where site_id = ${siteId}::uuid and ${within(sql`hour`, hourRange)}`,
  );
  await tx.execute(
    sql`delete from report_trigger_accepts where site_id = ${siteId}::uuid and ${within(sql`accepted_at`, hourRange)}`,
  );
  await foldTriggerEvents(
    tx,
    siteId,
    sql`${within(sql`e.occurred_at`, hourRange)} and e.received_at < ${watermark}::timestamptz`,
  );
  await refreshConversations(tx, siteId, within(sql`c.created_at`, range));
  await refreshCallbacks(tx, siteId, within(sql`cb.created_at`, range));
  await refreshFeedback(tx, siteId, within(sql`f.created_at`, range));
  await refreshLeads(tx, siteId, within(sql`l.created_at`, range));
  if (range.from && range.to)
    await recomputeMonths(tx, siteId, monthsTouching(range.from.getTime(), range.to.getTime()));
  else await recomputeAllMonths(tx, siteId);
}

/** The site's watermark row, created at "now minus the settle time" when missing, locked until the transaction ends. */
async function lockWatermark(tx: DbOrTx, siteId: string): Promise<string> {
  await tx.execute(sql`insert into report_watermarks (site_id, refreshed_to)
    values (${siteId}::uuid, now() - make_interval(secs => ${settleMs / 1000})) on conflict do nothing`);
  const [row] = rowsOf<{ refreshed_to: string }>(
    await tx.execute(sql`select refreshed_to::text as refreshed_to from report_watermarks
      where site_id = ${siteId}::uuid for update`),
  );
  return row!.refreshed_to;
}

/** Whole-site rebuilds and long catch-ups work in slices of this many days, so no statement outlives its timeout. */
export const rebuildSliceDays = 31;

/**
 * Rebuilds one whole site in one transaction with its watermark set to "now minus the settle time", so the
 * catch-up carries on from there. The benchmark's seeding calls this after COPYing the raw rows. Each statement
 * covers one slice of `rebuildSliceDays` (a year of a busy site is a dozen short statements per table, each
 * within the 15 s statement timeout); trigger events are read by the time they were received, which the
 * `(site_id, received_at)` index serves.
 */
export async function rebuildSiteRollups(db: Db, siteId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await noJit(tx);
    await rebuildSiteIn(tx, siteId);
  });
}

/**
 * The fold's statements are estimated expensive (lateral look-ups per row) but touch few rows: PostgreSQL's JIT
 * compiled them for seconds per statement (measured: 4.3 s of a 5.5 s catch-up on the benchmark's year) — off for
 * this transaction. PGlite has no JIT; the setting exists there too.
 */
async function noJit(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`set local jit = off`);
}

async function rebuildSiteIn(tx: DbOrTx, siteId: string): Promise<void> {
  await tx.execute(sql`insert into report_watermarks (site_id, refreshed_to)
    values (${siteId}::uuid, now() - make_interval(secs => ${settleMs / 1000}))
    on conflict (site_id) do update set refreshed_to = excluded.refreshed_to, updated_at = now()`);
  const watermark = await lockWatermark(tx, siteId);
  for (const table of ['report_inquiries', 'report_leads', 'report_trigger_hours', 'report_trigger_accepts'])
    await tx.execute(sql`delete from ${sql.identifier(table)} where site_id = ${siteId}::uuid`);
  const [bounds] = rowsOf<{ first: number | null; watermark: number }>(
    await tx.execute(sql`select (extract(epoch from least(
      (select min(created_at) from conversations where site_id = ${siteId}::uuid),
      (select min(created_at) from callbacks where site_id = ${siteId}::uuid),
      (select min(created_at) from feedback where site_id = ${siteId}::uuid),
      (select min(created_at) from leads where site_id = ${siteId}::uuid),
      (select min(received_at) from events where site_id = ${siteId}::uuid))) * 1000)::float8 as first,
      (extract(epoch from ${watermark}::timestamptz) * 1000)::float8 as watermark`),
  );
  if (bounds?.first === null || bounds?.first === undefined) return;
  const end = Number(bounds.watermark);
  const sliceMs = rebuildSliceDays * 86_400_000;
  const slices: RollupRange[] = [];
  // The last slice is open-ended: rows stamped after the watermark (and, for items, up to now) are included.
  for (let start = Number(bounds.first); start <= end || slices.length === 0; start += sliceMs)
    slices.push({ from: new Date(start), to: start + sliceMs > end ? null : new Date(start + sliceMs) });
  slices[0] = { ...slices[0]!, from: null };
  // Trigger acceptances first: an inquiry's channel is `trigger` when one came just before it.
  for (const slice of slices)
    await foldTriggerEvents(
      tx,
      siteId,
      sql`${within(sql`e.received_at`, slice)} and e.received_at < ${watermark}::timestamptz`,
    );
  for (const slice of slices) {
    await refreshConversations(tx, siteId, within(sql`c.created_at`, slice));
    await refreshCallbacks(tx, siteId, within(sql`cb.created_at`, slice));
    await refreshFeedback(tx, siteId, within(sql`f.created_at`, slice));
  }
  // Leads take the source of their first inquiry, so they come after every inquiry.
  for (const slice of slices) await refreshLeads(tx, siteId, within(sql`l.created_at`, slice));
  await recomputeAllMonths(tx, siteId);
}

/**
 * The incremental catch-up for one site: folds what changed in [watermark, now − settle) into the rollups and
 * moves the watermark, in one transaction (a gap longer than `rebuildAfterDays`, default one slice, is rebuilt). The site's watermark row is claimed with `for update skip locked`,
 * so nodes running the job at once work on different sites and never fold a window twice. Returns false when
 * another node holds the site.
 */
export async function catchUpSite(
  db: Db,
  siteId: string,
  options: { rebuildAfterDays?: number } = {},
): Promise<boolean> {
  const rebuildAfterMs = (options.rebuildAfterDays ?? rebuildSliceDays) * 86_400_000;
  return db.transaction(async (tx) => {
    await noJit(tx);
    await tx.execute(sql`insert into report_watermarks (site_id, refreshed_to)
      select id, created_at - interval '1 day' from sites where id = ${siteId}::uuid
      on conflict do nothing`);
    const [claimed] = rowsOf<{ from: string; to: string; gap_ms: number }>(
      await tx.execute(sql`select refreshed_to::text as "from", (now() - make_interval(secs => ${settleMs / 1000}))::text as "to",
        (extract(epoch from now() - make_interval(secs => ${settleMs / 1000}) - refreshed_to) * 1000)::float8 as gap_ms
        from report_watermarks where site_id = ${siteId}::uuid for update skip locked`),
    );
    if (!claimed) return false;
    // Facts folded before the month rollups existed (an installation upgrading past migration 0022): built once.
    const [unrolled] = rowsOf<{ missing: boolean }>(
      await tx.execute(sql`select (exists (select 1 from report_inquiries where site_id = ${siteId}::uuid)
        and not exists (select 1 from report_inquiry_months where site_id = ${siteId}::uuid)) as missing`),
    );
    if (unrolled?.missing) await recomputeAllMonths(tx, siteId);
    if (Number(claimed.gap_ms) <= 0) return true;
    // A long gap (a first run on an existing installation, a site restored from a backup) is a rebuild in
    // slices rather than one statement per table over all of it.
    if (Number(claimed.gap_ms) > rebuildAfterMs) {
      await rebuildSiteIn(tx, siteId);
      return true;
    }
    const since = sql`${claimed.from}::timestamptz`;
    const until = sql`${claimed.to}::timestamptz`;
    // Received in the window: every transaction that stamped `received_at` before `until` has ended by now.
    await foldTriggerEvents(tx, siteId, sql`e.received_at >= ${since} and e.received_at < ${until}`);
    // An acceptance can arrive after the inquiry it led to was folded (the collect batch trails the callback
    // request): the inquiries of visitors who accepted in this window are recomputed so they become `trigger`.
    const acceptedNow = sql`select e.visitor_id from events e where e.site_id = ${siteId}::uuid
      and e.received_at >= ${since} and e.received_at < ${until} and e.type = 'track' and e.name = 'trigger:accepted'`;
    // Items are recomputed whole, so selecting one twice (or one that did not change) is harmless.
    await refreshConversations(
      tx,
      siteId,
      sql`c.created_at >= ${since} or c.last_message_at >= ${since} or c.closed_at >= ${since}
        or cv.tracker_visitor_ids ?| array(${acceptedNow})
        or (c.csat_rating is not null and c.closed_at >= ${since} - interval '30 days' and not exists (
          select 1 from report_inquiries ri where ri.ref_id = c.id and ri.score is not null))`,
    );
    await refreshCallbacks(
      tx,
      siteId,
      sql`cb.created_at >= ${since} or cb.updated_at >= ${since} or cb.visitor_id in (${acceptedNow})`,
    );
    await refreshFeedback(tx, siteId, sql`f.created_at >= ${since} or f.visitor_id in (${acceptedNow})`);
    await refreshLeads(
      tx,
      siteId,
      sql`l.updated_at >= ${since} or l.created_at >= ${since} or l.id in (
        select ri.lead_id from report_inquiries ri
        where ri.site_id = ${siteId}::uuid and ri.refreshed_at >= now() and ri.lead_id is not null)`,
    );
    // The month and hour rollups of every fact rewritten above (refreshed_at = this transaction's now()).
    const touched = rowsOf<{ hour: number }>(
      await tx.execute(sql`select distinct (extract(epoch from date_trunc('hour', at, 'UTC')) * 1000)::float8 as hour
        from report_inquiries where site_id = ${siteId}::uuid and refreshed_at >= now()`),
    );
    await recomputeHoursAndMonths(
      tx,
      siteId,
      touched.map((row) => Number(row.hour)),
    );
    await tx.execute(sql`update report_watermarks set refreshed_to = ${until}, updated_at = now()
      where site_id = ${siteId}::uuid`);
    return true;
  });
}

// ---- Second-level rollups: months and hours, from the facts ---------------------------------------

/**
 * The histogram bucket of a non-negative millisecond value (in float8: numeric `ln` is ~100× slower): 20 buckets per e-fold of (1 + seconds), i.e. ~50 ms
 * wide under a second and ~5 % wide from a minute on (bucket 82 ≈ 1 min, 163 ≈ 1 h, 295 ≈ 30 days).
 */
export const latencyBucket = (ms: SQL) => sql`floor(ln(1 + greatest(${ms}, 0)::float8 / 1000) * 20)::smallint`;
/** `latencyBucket` in TypeScript (the tests check the two agree). */
export const latencyBucketOf = (ms: number) => Math.floor(Math.log(1 + Math.max(ms, 0) / 1000) * 20);

const utcMonthStart = (ms: number) => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};
const nextUtcMonth = (ms: number) => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

/** The UTC months (first instants, ms) that [from, to) touches. */
export function monthsTouching(from: number, to: number): number[] {
  const months: number[] = [];
  for (let month = utcMonthStart(from); month < to; month = nextUtcMonth(month)) months.push(month);
  return months;
}

/** `[start, end)` pairs as a `jsonb_to_recordset` source `m(start, "end")`. */
const spansOf = (spans: [number, number][]) =>
  sql`jsonb_to_recordset(${JSON.stringify(
    spans.map(([start, end]) => ({ start: new Date(start).toISOString(), end: new Date(end).toISOString() })),
  )}::jsonb) as m(start timestamptz, "end" timestamptz)`;

/**
 * Recomputes the month rollups (`report_inquiry_months`, `report_latency_months`, `report_source_months`) of the
 * given UTC months and the hour rollup (`report_inquiry_hours`) of every hour in them, from the site's facts:
 * each is deleted and written again, so running it twice, or for a month that did not change, changes nothing.
 */
export async function recomputeMonths(tx: DbOrTx, siteId: string, months: number[]): Promise<void> {
  if (months.length === 0) return;
  const spans = [...new Set(months)].map((month): [number, number] => [month, nextUtcMonth(month)]);
  await recomputeMonthTables(tx, siteId, spans);
  await recomputeHours(tx, siteId, spans);
}

async function recomputeMonthTables(tx: DbOrTx, siteId: string, spans: [number, number][]): Promise<void> {
  const facts = sql`report_inquiries i join ${spansOf(spans)} on i.at >= m.start and i.at < m."end"
    where i.site_id = ${siteId}::uuid`;
  const dropped = sql`(select m.start from ${spansOf(spans)})`;
  for (const table of ['report_inquiry_months', 'report_latency_months', 'report_source_months'])
    await tx.execute(sql`delete from ${sql.identifier(table)} where site_id = ${siteId}::uuid and month in ${dropped}`);
  await tx.execute(sql`
    insert into report_inquiry_months (site_id, month, kind, channel, agent_id, in_business_hours, n, answered,
      on_time, late, ratings, rating_sum)
    select ${siteId}::uuid, m.start, i.kind, i.channel, i.agent_id, i.in_business_hours, count(*)::int,
      (count(*) filter (where i.answered))::int,
      (count(*) filter (where i.kind = 'callback' and i.first_call_at <= i.due_at))::int,
      (count(*) filter (where i.kind = 'callback' and i.first_call_at > i.due_at))::int,
      (count(i.score) filter (where i.score_kind = 'chat'))::int,
      coalesce(sum(i.score) filter (where i.score_kind = 'chat'), 0)::int
    from ${facts}
    group by m.start, i.kind, i.channel, i.agent_id, i.in_business_hours`);
  await tx.execute(sql`
    insert into report_latency_months (site_id, month, metric, dim, key, bucket, n, sum_ms)
    select ${siteId}::uuid, x.month, x.metric, x.dim, x.key, x.bucket, count(*)::int, sum(x.ms)::bigint
    from (select m.start as month, v.metric, d.dim, d.key, ${latencyBucket(sql`v.ms`)} as bucket, v.ms
          from report_inquiries i join ${spansOf(spans)} on i.at >= m.start and i.at < m."end"
          cross join lateral (values ('fr', i.first_response_ms), ('res', i.resolution_ms)) v(metric, ms)
          cross join lateral (values ('bh', i.in_business_hours::text), ('agent', i.agent_id::text),
                                     ('channel', i.channel)) d(dim, key)
          where i.site_id = ${siteId}::uuid and i.kind = 'conversation' and i.channel <> 'offline'
            and v.ms is not null and d.key is not null and (v.metric = 'fr' or d.dim = 'bh')) x
    group by x.month, x.metric, x.dim, x.key, x.bucket`);
  await tx.execute(sql`
    insert into report_source_months (site_id, month, source_kind, utm_source, utm_medium, utm_campaign,
      referrer_domain, click_id_type, n)
    select ${siteId}::uuid, m.start, i.source_kind, i.utm_source, i.utm_medium, i.utm_campaign, i.referrer_domain,
      i.click_id_type, count(*)::int
    from ${facts}
    group by m.start, i.source_kind, i.utm_source, i.utm_medium, i.utm_campaign, i.referrer_domain, i.click_id_type`);
}

/** Recomputes `report_inquiry_hours` for the whole UTC hours inside `spans`. */
async function recomputeHours(tx: DbOrTx, siteId: string, spans: [number, number][]): Promise<void> {
  if (spans.length === 0) return;
  await tx.execute(sql`delete from report_inquiry_hours h using ${spansOf(spans)}
    where h.site_id = ${siteId}::uuid and h.hour >= m.start and h.hour < m."end"`);
  const scored = (kind: string, extra: SQL = sql`true`) =>
    sql`(count(*) filter (where i.score is not null and i.score_kind = ${kind} and ${extra}))::int`;
  const sumOf = (kind: string) => sql`coalesce(sum(i.score) filter (where i.score_kind = ${kind}), 0)::int`;
  await tx.execute(sql`
    insert into report_inquiry_hours (site_id, hour, channel, n, nps_n, promoters, detractors, csat_n, csat_sum,
      csat_ok, chat_n, chat_sum, chat_ok)
    select ${siteId}::uuid, date_trunc('hour', i.at, 'UTC'), i.channel, count(*)::int,
      ${scored('nps')}, ${scored('nps', sql`i.score >= 9`)}, ${scored('nps', sql`i.score <= 6`)},
      ${scored('csat')}, ${sumOf('csat')}, ${scored('csat', sql`i.score >= 4`)},
      ${scored('chat')}, ${sumOf('chat')}, ${scored('chat', sql`i.score >= 4`)}
    from report_inquiries i join ${spansOf(spans)} on i.at >= m.start and i.at < m."end"
    where i.site_id = ${siteId}::uuid
    group by 2, 3`);
}

/**
 * After facts changed at the instants `hours` (UTC hour starts, ms): recomputes those hours and their months.
 * The catch-up passes the hours of the facts it rewrote; erasure the hours of the facts it deleted.
 */
export async function recomputeHoursAndMonths(tx: DbOrTx, siteId: string, hours: number[]): Promise<void> {
  if (hours.length === 0) return;
  const months = [...new Set(hours.map(utcMonthStart))];
  await recomputeMonthTables(
    tx,
    siteId,
    months.map((month): [number, number] => [month, nextUtcMonth(month)]),
  );
  await recomputeHours(
    tx,
    siteId,
    [...new Set(hours)].map((hour): [number, number] => [hour, hour + 3_600_000]),
  );
}

/** Recomputes every month (and hour) rollup of the site from its facts (one statement per month and table). */
async function recomputeAllMonths(tx: DbOrTx, siteId: string): Promise<void> {
  for (const table of [
    'report_inquiry_months',
    'report_latency_months',
    'report_source_months',
    'report_inquiry_hours',
  ])
    await tx.execute(sql`delete from ${sql.identifier(table)} where site_id = ${siteId}::uuid`);
  const months = rowsOf<{ month: number }>(
    await tx.execute(sql`select distinct (extract(epoch from date_trunc('month', at, 'UTC')) * 1000)::float8 as month
      from report_inquiries where site_id = ${siteId}::uuid`),
  );
  for (const { month } of months) await recomputeMonths(tx, siteId, [Number(month)]);
}
