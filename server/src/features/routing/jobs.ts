import type { TemperatureChange } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import { onTemperatureChanges } from '../scoring/index.js';
import { startIntervalJob, type IntervalJob } from '../../lib/interval-job.js';

export type RoutingDeps = Pick<AppDeps, 'db' | 'realtime' | 'logger'>;

/**
 * One kind of routed work (chats, callbacks) as routing's jobs see it. The feature owning the rows
 * implements it and the server hands the list in at start, so routing never imports those features.
 */
export interface RoutedWork {
  name: string;
  /** Of these visitors, those with open work of this kind (one statement for any number). */
  waiting(
    db: Db,
    visitors: readonly { siteId: string; visitorId: string }[],
  ): Promise<{ siteId: string; visitorId: string }[]>;
  /** The visitor's open work takes the new temperature; when they turned hot, work nobody has is routed again. Pushes every change. */
  temperatureChanged(deps: RoutingDeps, change: TemperatureChange): Promise<void>;
  /** A periodic sweep (unanswered chats are reassigned); answers how many moved. */
  sweep?(deps: RoutingDeps, now: Date): Promise<number>;
}

/** When scoring changes a visitor's temperature: every kind of work takes it (and routes again when hot). */
export async function applyTemperatureChange(
  deps: RoutingDeps,
  work: readonly RoutedWork[],
  change: TemperatureChange,
): Promise<void> {
  for (const kind of work) await kind.temperatureChanged(deps, change);
}

/** Subscribes routing to temperature changes (server start); returns the unsubscribe function. */
export function followTemperatureForRouting(deps: RoutingDeps, work: readonly RoutedWork[]): () => void {
  return onTemperatureChanges(async (changes) => {
    // Most visitors whose temperature moves have no chat or callback: one query per kind and commit finds those who do.
    for (const kind of work) {
      const concerned = new Set(
        (await kind.waiting(deps.db, changes)).map((row) => `${row.siteId}\u0000${row.visitorId}`),
      );
      for (const change of changes) {
        if (!concerned.has(`${change.siteId}\u0000${change.visitorId}`)) continue;
        await kind.temperatureChanged(deps, change).catch((error: unknown) =>
          deps.logger.error('routing on a temperature change failed', {
            error,
            siteId: change.siteId,
            work: kind.name,
          }),
        );
      }
    }
  });
}

/** Runs every kind's sweep once; answers how many items moved. */
export async function sweepRouting(deps: RoutingDeps, work: readonly RoutedWork[], now = new Date()): Promise<number> {
  let moved = 0;
  for (const kind of work) if (kind.sweep) moved += await kind.sweep(deps, now);
  return moved;
}

export type UnansweredJob = IntervalJob;

/** Runs the sweeps (unanswered chats) every `intervalMs` on every node (claims keep nodes apart). */
export function startUnansweredJob(deps: RoutingDeps, work: readonly RoutedWork[], intervalMs = 10_000): UnansweredJob {
  return startIntervalJob('unanswered chat sweep', (now) => sweepRouting(deps, work, now), {
    intervalMs,
    logger: deps.logger,
  });
}
