import {
  importTimestampWindow,
  type ImportEventsResponse,
  type IdentifiedCollectBatch,
  type importEventsSchema,
} from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import { identifyFromEvents } from '../persons/index.js';
import { screenBatch, writeGroup, type IngestItem } from './ingest.js';
import { BatchItemError } from '../../lib/batcher.js';
import { ensureEventPartitions } from './partitions.js';

/**
 * Stores history for a backfill (`POST /api/sites/:id/events/import`, admins): the same events as
 * `/v1/collect` and the same idempotency (an event id already stored is a duplicate), but timestamps may lie
 * up to five years back (`importTimestampWindow`); beyond it, or ahead of the server's clock, an event is
 * rejected and counted, never re-stamped. Each visitor's events are stored in time order, so visits and the
 * score build up as they happened. One transaction for the whole call; no live pushes (it is the past).
 */
export async function importEvents(
  db: Db,
  siteId: string,
  input: z.output<typeof importEventsSchema>,
  logger: Logger,
  receivedAt = new Date(),
): Promise<ImportEventsResponse> {
  const items: IngestItem[] = input.batches.map((batch) => ({
    siteId,
    receivedAt,
    window: importTimestampWindow,
    batch: {
      site: 'import',
      visitorId: batch.visitorId,
      sessionId: batch.sessionId,
      events: [...batch.events].sort((a, b) => a.ts - b.ts),
      ...(batch.context ? { context: batch.context } : {}),
      // An import may run again (it is idempotent by event id): every event is checked against those stored.
      retry: 1,
    } satisfies IdentifiedCollectBatch,
  }));
  for (const item of items) {
    const refused = screenBatch(item);
    if (refused) throw refused;
  }
  const { responses } = await writeGroup(db, items);
  // Months older than the partitions made ahead landed in the default partition: they get a month of their own.
  await ensureEventPartitions(db, receivedAt).catch((error: unknown) =>
    logger.error('creating event partitions after an import failed', { error, siteId }),
  );
  const answer: ImportEventsResponse = { stored: 0, duplicates: 0, rejected: { too_old: 0, in_future: 0 } };
  for (const response of responses) {
    // Derived in the same transaction: a refusal fails the whole import, never one of its batches.
    if (response instanceof BatchItemError) throw response.error;
    answer.stored += response.stored;
    answer.duplicates += response.duplicates;
    answer.rejected.too_old += response.rejected?.too_old ?? 0;
    answer.rejected.in_future += response.rejected?.in_future ?? 0;
  }
  // An imported identify names the person, as a live one does (committed already: a failure is only logged).
  for (const item of items) {
    if (!item.batch.events.some((event) => event.type === 'identify')) continue;
    await identifyFromEvents(db, siteId, item.batch.visitorId, item.batch.events).catch((error: unknown) =>
      logger.error('identifying an imported person failed', { error, siteId }),
    );
  }
  return answer;
}
