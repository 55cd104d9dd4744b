import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { AudienceRule, EnteredAudience, PixelConfig, PixelInstruction, Temperature } from '@beckon/sdk/protocol';
import { segmentsCookieMaxSegments } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { audienceMembersTable, audiencesTable, eventsTable, visitorsTable } from '../../db/schema.js';
import { globMatches, pathOf } from '../scoring/index.js';

/** What the rules look at: one visitor's stored events, oldest first (bounded: the newest ones). */
export interface VisitorEvent {
  type: string;
  url: string;
  name: string | null;
  props: Record<string, unknown> | null;
  occurredAt: Date;
}

/** Events read per evaluation; rules about older behaviour than this many events look at the newest only. */
export const evaluationWindow = 5000;

const leadSignals = new Set(['callback_requested', 'chat_started', 'form_submitted']);

const sentLead = (events: readonly VisitorEvent[]) =>
  events.some(
    (e) =>
      (e.type === 'signal' && e.name !== null && leadSignals.has(e.name)) ||
      (e.type === 'form' && e.props?.action === 'submit'),
  );

/** Did this visitor's behaviour meet the rule? Pure, so the rules are tested without a database. */
export function ruleMatches(rule: AudienceRule, temperature: Temperature, events: readonly VisitorEvent[]): boolean {
  switch (rule.kind) {
    case 'temperature':
      return rule.temperature === 'warm' ? temperature !== 'cold' : temperature === 'hot';
    case 'viewed_without_lead':
      return events.some((e) => e.type === 'pageview' && globMatches(rule.pattern, pathOf(e.url))) && !sentLead(events);
    case 'page_views':
      return events.filter((e) => e.type === 'pageview' && globMatches(rule.pattern, pathOf(e.url))).length >= rule.min;
    case 'abandoned_form': {
      const form = rule.form.toLowerCase();
      if (events.some((e) => e.type === 'track' && e.name?.toLowerCase() === form)) return true;
      // Started, then left the page (a later pageview, engagement or exit intent) with no submit after the start.
      let startedAt: number | undefined;
      let left = false;
      for (const e of events) {
        const at = e.occurredAt.getTime();
        if (e.type === 'form' && e.name?.toLowerCase() === form) {
          if (e.props?.action === 'start' && startedAt === undefined) {
            startedAt = at;
            left = false;
          } else if (e.props?.action === 'submit') startedAt = undefined;
        } else if (
          startedAt !== undefined &&
          at >= startedAt &&
          (e.type === 'pageview' || e.type === 'engagement' || e.type === 'exit_intent')
        ) {
          left = true;
        }
      }
      return startedAt !== undefined && left;
    }
  }
}

/** The image pixel's URL with its placeholders filled in (each value URL-encoded). */
export function fillImageTemplate(
  template: string,
  values: { audience: string; segment: string; visitor: string; ts: number },
): string {
  const replacements: Record<string, string> = {
    audience: values.audience,
    segment: values.segment,
    visitor: values.visitor,
    ts: String(values.ts),
    rand: randomBytes(6).toString('hex'),
  };
  return template.replace(/\{(audience|segment|visitor|ts|rand)\}/g, (_, key: string) =>
    encodeURIComponent(replacements[key]!),
  );
}

export function pixelInstructions(
  pixels: readonly PixelConfig[],
  audience: { segment: string; name: string; eventName: string },
  visitorId: string,
  now: number,
): PixelInstruction[] {
  return pixels.map((pixel): PixelInstruction => {
    switch (pixel.kind) {
      case 'meta':
        return { kind: 'meta', pixelId: pixel.pixelId, event: audience.eventName };
      case 'gtag':
        return { kind: 'gtag', event: audience.eventName, ...(pixel.sendTo ? { sendTo: pixel.sendTo } : {}) };
      case 'yandex':
        return { kind: 'yandex', counterId: pixel.counterId, goal: audience.eventName };
      case 'vk':
        return { kind: 'vk', pixelId: pixel.pixelId, event: audience.eventName };
      case 'image':
        return {
          kind: 'image',
          url: fillImageTemplate(pixel.url, {
            audience: audience.name,
            segment: audience.segment,
            visitor: visitorId,
            ts: now,
          }),
        };
    }
  });
}

export interface AudienceEntry {
  siteId: string;
  visitorId: string;
  audienceId: string;
  segment: string;
  name: string;
  eventName: string;
  enteredAt: Date;
}

export interface Evaluation {
  /** The `bk_seg` value: the visitor's temperature (warm/hot) and every audience they are in. */
  segments: string;
  entered: EnteredAudience[];
  entries: AudienceEntry[];
}

/**
 * Evaluates the site's enabled audiences the visitor is not yet in, against their stored events and
 * temperature, and records entries (the primary key makes an entry happen once, even when two nodes
 * evaluate the same visitor at once: only the insert that returns a row fires pixels).
 */
export async function evaluateAudiences(
  db: Db,
  site: { id: string; pixels: PixelConfig[] },
  visitorId: string,
  now = new Date(),
): Promise<Evaluation> {
  const [visitor] = await db
    .select({ temperature: visitorsTable.temperature })
    .from(visitorsTable)
    .where(and(eq(visitorsTable.siteId, site.id), eq(visitorsTable.visitorId, visitorId)));
  const temperature: Temperature = visitor?.temperature ?? 'cold';
  const audiences = await db
    .select()
    .from(audiencesTable)
    .where(and(eq(audiencesTable.siteId, site.id), eq(audiencesTable.enabled, true)));
  const memberOf = new Set(
    (
      await db
        .select({ audienceId: audienceMembersTable.audienceId })
        .from(audienceMembersTable)
        .where(and(eq(audienceMembersTable.siteId, site.id), eq(audienceMembersTable.visitorId, visitorId)))
    ).map((row) => row.audienceId),
  );
  const candidates = audiences.filter((audience) => !memberOf.has(audience.id));
  const entries: AudienceEntry[] = [];
  const entered: EnteredAudience[] = [];
  if (candidates.length > 0) {
    const needsEvents = candidates.some((audience) => audience.rule.kind !== 'temperature');
    const events: VisitorEvent[] = needsEvents
      ? (
          await db
            .select({
              type: eventsTable.type,
              url: eventsTable.url,
              name: eventsTable.name,
              props: eventsTable.props,
              occurredAt: eventsTable.occurredAt,
            })
            .from(eventsTable)
            .where(
              and(
                eq(eventsTable.siteId, site.id),
                eq(eventsTable.visitorId, visitorId),
                inArray(eventsTable.type, ['pageview', 'form', 'track', 'signal', 'engagement', 'exit_intent']),
              ),
            )
            .orderBy(desc(eventsTable.id))
            .limit(evaluationWindow)
        ).reverse()
      : [];
    const matching = candidates.filter((audience) => ruleMatches(audience.rule, temperature, events));
    if (matching.length > 0) {
      const inserted = await db
        .insert(audienceMembersTable)
        .values(matching.map((audience) => ({ siteId: site.id, audienceId: audience.id, visitorId, enteredAt: now })))
        .onConflictDoNothing()
        .returning({ audienceId: audienceMembersTable.audienceId });
      const fresh = new Set(inserted.map((row) => row.audienceId));
      for (const audience of matching) {
        memberOf.add(audience.id);
        if (!fresh.has(audience.id)) continue;
        entries.push({
          siteId: site.id,
          visitorId,
          audienceId: audience.id,
          segment: audience.segment,
          name: audience.name,
          eventName: audience.eventName,
          enteredAt: now,
        });
        entered.push({
          segment: audience.segment,
          name: audience.name,
          pixels: audience.pixels ? pixelInstructions(site.pixels, audience, visitorId, now.getTime()) : [],
        });
      }
    }
  }
  const segments = [
    ...(temperature === 'cold' ? [] : [temperature]),
    ...audiences.filter((audience) => memberOf.has(audience.id)).map((audience) => audience.segment),
  ];
  return { segments: [...new Set(segments)].slice(0, segmentsCookieMaxSegments).join(','), entered, entries };
}
