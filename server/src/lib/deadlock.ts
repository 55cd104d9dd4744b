/** PostgreSQL's code (drizzle wraps driver errors and keeps the original as `cause`). */
export const pgCode = (error: unknown): string | undefined => {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
};

/**
 * Runs a group write again when PostgreSQL aborted it as a deadlock victim (40P01). Group writes on
 * several nodes (behaviour events with the same retried ids, chat batches touching the same
 * conversations) can lock rows in different orders; the victim's transaction rolled back whole, so
 * running it again stores nothing twice.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || pgCode(error) !== '40P01') throw error;
    }
  }
}
