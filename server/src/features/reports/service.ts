import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  type DigestSettings,
  maxSpendImportRows,
  type SpendEntry,
  type SpendEntryInput,
  type SpendImportResult,
  spendEntryInputSchema,
} from '@beckon/sdk/protocol';
import type { AgentIdentity } from '../../app-env.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { reportDigestsTable, reportSpendTable } from '../../db/schema.js';
import { notFound } from '../../lib/errors.js';

type SpendRow = typeof reportSpendTable.$inferSelect;

const toSpend = (row: SpendRow): SpendEntry => ({
  id: row.id,
  siteId: row.siteId,
  month: row.month,
  source: row.source,
  campaign: row.campaign,
  amount: Number(row.amount),
  currency: row.currency,
  updatedAt: row.updatedAt.toISOString(),
});

export async function listSpend(db: Db, siteId: string): Promise<SpendEntry[]> {
  const rows = await db
    .select()
    .from(reportSpendTable)
    .where(eq(reportSpendTable.siteId, siteId))
    .orderBy(desc(reportSpendTable.month), reportSpendTable.source, reportSpendTable.campaign)
    .limit(5000);
  return rows.map(toSpend);
}

/** Upserts entries by (site, month, source, campaign): entering a month's figure again corrects it. */
export async function saveSpend(
  db: DbOrTx,
  agent: AgentIdentity,
  entries: ReturnType<typeof spendEntryInputSchema.parse>[],
): Promise<SpendEntry[]> {
  if (entries.length === 0) return [];
  const rows = await db
    .insert(reportSpendTable)
    .values(entries.map((entry) => ({ ...entry, updatedBy: agent.id })))
    .onConflictDoUpdate({
      target: [reportSpendTable.siteId, reportSpendTable.month, reportSpendTable.source, reportSpendTable.campaign],
      set: {
        amount: sql`excluded.amount`,
        currency: sql`excluded.currency`,
        updatedBy: sql`excluded.updated_by`,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return rows.map(toSpend);
}

export async function deleteSpend(db: Db, siteIds: string[], id: string): Promise<void> {
  const [row] = await db
    .delete(reportSpendTable)
    .where(and(eq(reportSpendTable.id, id), inArray(reportSpendTable.siteId, siteIds.length ? siteIds : [''])))
    .returning({ id: reportSpendTable.id });
  if (!row) throw notFound('Spend entry');
}

/** Splits one CSV line (RFC 4180 quotes; a doubled quote inside quotes is one quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',' || char === ';') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((value) => value.trim());
}

const importColumns = ['month', 'source', 'campaign', 'amount', 'currency'] as const;

/**
 * Parses a spend CSV (header row naming month, source, campaign, amount, currency in any order; `,` or `;`
 * separated; amounts with a `.` or `,` decimal) for one site. Every row is validated like a typed entry; the
 * valid rows are stored together, the others come back with their line numbers.
 */
export function parseSpendCsv(
  siteId: string,
  body: string,
): { entries: ReturnType<typeof spendEntryInputSchema.parse>[]; errors: SpendImportResult['errors'] } {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = csvFields(lines[0] ?? '').map((name) => name.toLowerCase());
  const missing = importColumns.filter((name) => name !== 'campaign' && !header.includes(name));
  if (missing.length)
    return { entries: [], errors: [{ line: 1, message: `missing column(s): ${missing.join(', ')}` }] };
  const entries: ReturnType<typeof spendEntryInputSchema.parse>[] = [];
  const errors: SpendImportResult['errors'] = [];
  const seen = new Map<string, number>();
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    if (entries.length + errors.length >= maxSpendImportRows) {
      errors.push({ line: index + 1, message: `at most ${maxSpendImportRows} rows per import` });
      break;
    }
    const fields = csvFields(line);
    const value = (name: (typeof importColumns)[number]) => fields[header.indexOf(name)] ?? '';
    const amountText = value('amount').replace(/\s/g, '').replace(',', '.');
    const input: SpendEntryInput = {
      siteId,
      month: value('month'),
      source: value('source'),
      campaign: header.includes('campaign') ? value('campaign') : '',
      amount: amountText === '' ? Number.NaN : Number(amountText),
      currency: value('currency'),
    };
    const parsed = spendEntryInputSchema.safeParse(input);
    if (!parsed.success) {
      errors.push({
        line: index + 1,
        message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      });
      continue;
    }
    // The same key twice in one file: the later line wins, as it would in two imports.
    const key = JSON.stringify([parsed.data.month, parsed.data.source, parsed.data.campaign]);
    const earlier = seen.get(key);
    if (earlier !== undefined) entries[earlier] = parsed.data;
    else {
      seen.set(key, entries.length);
      entries.push(parsed.data);
    }
  }
  return { entries, errors };
}

export async function digestSettingsOf(db: Db, agentId: string): Promise<DigestSettings> {
  const [row] = await db.select().from(reportDigestsTable).where(eq(reportDigestsTable.agentId, agentId));
  return { frequency: row?.frequency ?? 'off', tz: row?.tz ?? 'UTC' };
}

export async function saveDigestSettings(db: Db, agentId: string, settings: DigestSettings): Promise<DigestSettings> {
  await db
    .insert(reportDigestsTable)
    .values({ agentId, frequency: settings.frequency, tz: settings.tz })
    .onConflictDoUpdate({
      target: reportDigestsTable.agentId,
      set: { frequency: settings.frequency, tz: settings.tz, updatedAt: new Date() },
    });
  return settings;
}
