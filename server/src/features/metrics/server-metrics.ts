import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Database } from '../../db/client.js';
import { Histogram } from './histogram.js';
import { histogramText, samplesText } from './exposition.js';

/**
 * What this node measures on its hot paths. One per server (so two nodes in one test process keep
 * their own counts); recorded with `Histogram.observe`, which allocates nothing.
 */
export interface ServerMetrics {
  /** Visitor chat messages: from `message:send` read off the socket to the commit of the write holding it. */
  chatMessageCommit: Histogram;
  /** … to the ack sent back to the visitor (the latency the visitor sees, less the network). */
  chatMessageAck: Histogram;
  /** `/v1/collect` batches: from the request reaching the route to the commit of the group holding it. */
  collectBatchCommit: Histogram;
  /** … to the answer. */
  collectBatchAnswer: Histogram;
}

export const createServerMetrics = (): ServerMetrics => ({
  chatMessageCommit: new Histogram(),
  chatMessageAck: new Histogram(),
  collectBatchCommit: new Histogram(),
  collectBatchAnswer: new Histogram(),
});

let processRegistry: Registry | undefined;
/**
 * prom-client's default process metrics (CPU, resident memory, heap spaces, event-loop delay, GC
 * pauses, handles), under the names Node.js dashboards expect. Process-wide, so registered once: they
 * are computed when scraped, and the event-loop monitor and GC observer cost nothing per request.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const unavailableReasons = ['unreachable', 'disk_full'] as const;

/** The whole exposition: this node's latencies, the database's availability, then the process. */
export async function renderMetrics(
  metrics: ServerMetrics,
  database: Pick<Database, 'kind' | 'availability'>,
): Promise<string> {
  const status = database.availability();
  return [
    histogramText(
      'beckon_chat_message_commit_seconds',
      'Visitor chat messages stored: seconds from receiving message:send to the commit of its write.',
      metrics.chatMessageCommit,
    ),
    histogramText(
      'beckon_chat_message_ack_seconds',
      'Visitor chat messages stored: seconds from receiving message:send to sending its ack.',
      metrics.chatMessageAck,
    ),
    histogramText(
      'beckon_collect_batch_commit_seconds',
      'Collect batches stored: seconds from receiving POST /v1/collect to the commit of its group.',
      metrics.collectBatchCommit,
    ),
    histogramText(
      'beckon_collect_batch_answer_seconds',
      'Collect batches stored: seconds from receiving POST /v1/collect to its answer.',
      metrics.collectBatchAnswer,
    ),
    samplesText(
      'beckon_database_available',
      'Whether this node sends work to the database (0 while it refuses work with 503 unavailable).',
      'gauge',
      [{ labels: { kind: database.kind }, value: status.available ? 1 : 0 }],
    ),
    samplesText(
      'beckon_database_unavailable_reason',
      'Why the database is unavailable (1 for the current reason, 0 for the others).',
      'gauge',
      unavailableReasons.map((reason) => ({
        labels: { reason },
        value: !status.available && status.reason === reason ? 1 : 0,
      })),
    ),
    await processMetrics().metrics(),
  ].join('\n');
}
