import { and, asc, count, eq } from 'drizzle-orm';
import type { Audience, AudienceInput, PixelConfig } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { audienceMembersTable, audiencesTable, sitesTable } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { forgetCachedSites } from '../sites/index.js';

type AudienceRow = typeof audiencesTable.$inferSelect;

export const toAudience = (row: AudienceRow): Audience => ({
  id: row.id,
  segment: row.segment,
  name: row.name,
  rule: row.rule,
  eventName: row.eventName,
  pixels: row.pixels,
  enabled: row.enabled,
  createdAt: row.createdAt.toISOString(),
});

export async function listAudiences(db: Db, siteId: string): Promise<(Audience & { members: number })[]> {
  const rows = await db
    .select()
    .from(audiencesTable)
    .where(eq(audiencesTable.siteId, siteId))
    .orderBy(asc(audiencesTable.createdAt));
  const counts = await db
    .select({ audienceId: audienceMembersTable.audienceId, members: count() })
    .from(audienceMembersTable)
    .where(eq(audienceMembersTable.siteId, siteId))
    .groupBy(audienceMembersTable.audienceId);
  const byId = new Map(counts.map((row) => [row.audienceId, Number(row.members)]));
  return rows.map((row) => ({ ...toAudience(row), members: byId.get(row.id) ?? 0 }));
}

const segmentTaken = (segment: string) =>
  new AppError('conflict', `The segment "${segment}" is taken on this site`, { field: 'segment' });
const isUniqueViolation = (error: unknown) => {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  )
    if (e.code === '23505') return true;
  return false;
};

export async function createAudience(db: Db, siteId: string, input: AudienceInput): Promise<Audience> {
  try {
    const [row] = await db
      .insert(audiencesTable)
      .values({ siteId, ...input })
      .returning();
    return toAudience(row!);
  } catch (error) {
    if (isUniqueViolation(error)) throw segmentTaken(input.segment);
    throw error;
  }
}

export async function updateAudience(
  db: Db,
  siteId: string,
  audienceId: string,
  input: AudienceInput,
): Promise<Audience> {
  try {
    const [row] = await db
      .update(audiencesTable)
      .set(input)
      .where(and(eq(audiencesTable.siteId, siteId), eq(audiencesTable.id, audienceId)))
      .returning();
    if (!row) throw notFound('Audience');
    return toAudience(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw segmentTaken(input.segment);
    throw error;
  }
}

export async function deleteAudience(db: Db, siteId: string, audienceId: string): Promise<void> {
  const rows = await db
    .delete(audiencesTable)
    .where(and(eq(audiencesTable.siteId, siteId), eq(audiencesTable.id, audienceId)))
    .returning({ id: audiencesTable.id });
  if (rows.length === 0) throw notFound('Audience');
}

export async function setPixels(db: Db, siteId: string, pixels: PixelConfig[]): Promise<PixelConfig[]> {
  const [row] = await db
    .update(sitesTable)
    .set({ pixels })
    .where(eq(sitesTable.id, siteId))
    .returning({ pixels: sitesTable.pixels });
  forgetCachedSites(db);
  return row!.pixels;
}
