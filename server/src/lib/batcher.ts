/**
 * Micro-batching, written once: callers submit items one at a time, and the items that arrive together
 * are handed to `run` as one batch (one statement, one round, one push instead of one each). Each
 * caller's promise settles with its own item's result after the batch holding it has run.
 *
 * - `wait`: how long the first item of a batch waits for company: `'turn'` is one turn of the event loop
 *   (every request already read from the sockets joins), a number is milliseconds.
 * - `maxInFlight` batches per key run at once (1: batches of a key never race each other; items that
 *   arrive meanwhile go together in the next batch, which leaves as soon as a run finishes).
 * - `maxBatch` bounds a batch by the summed `sizeOf` of its items (at least one item, however large);
 *   a queue that reaches it leaves at once.
 *
 * `run` answers one result per item, in order; an item's result may be `new BatchItemError(error)` to
 * reject that item alone. When `run` throws, every item of the batch is rejected with the error.
 */
export interface BatcherOptions<I> {
  wait?: 'turn' | number;
  maxBatch?: number;
  sizeOf?: (item: I) => number;
  maxInFlight?: number;
  /** Items with different keys are batched apart (e.g. per site, per lane); one key by default. */
  keyOf?: (item: I) => string;
}

/** A per-item failure inside a batch that otherwise ran. */
export class BatchItemError {
  constructor(readonly error: unknown) {}
}

// biome-ignore lint/suspicious/noConfusingVoidType: a run that answers nothing per item is an `async` function with no return.
export type BatchRun<I, R> = (items: I[], key: string) => Promise<readonly (R | BatchItemError)[] | void>;

export interface Batcher<I, R> {
  submit(item: I): Promise<R>;
  /** Items waiting for a batch (not yet running), over all keys. */
  readonly queued: number;
}

interface Pending<I, R> {
  item: I;
  size: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Lane<I, R> {
  queue: Pending<I, R>[];
  size: number;
  inFlight: number;
  timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
}

export function createBatcher<I, R = void>(
  run: BatchRun<I, R>,
  { wait = 'turn', maxBatch = Infinity, sizeOf = () => 1, maxInFlight = 1, keyOf = () => '' }: BatcherOptions<I> = {},
): Batcher<I, R> {
  const lanes = new Map<string, Lane<I, R>>();
  let queued = 0;

  const cancel = (lane: Lane<I, R>) => {
    if (lane.timer === undefined) return;
    if (wait === 'turn') clearImmediate(lane.timer as ReturnType<typeof setImmediate>);
    else clearTimeout(lane.timer as ReturnType<typeof setTimeout>);
    lane.timer = undefined;
  };
  const schedule = (key: string, lane: Lane<I, R>) => {
    if (lane.timer !== undefined) return;
    const fire = () => {
      lane.timer = undefined;
      flush(key, lane);
    };
    lane.timer = wait === 'turn' ? setImmediate(fire) : setTimeout(fire, wait);
  };

  const flush = (key: string, lane: Lane<I, R>) => {
    if (lane.inFlight >= maxInFlight || lane.queue.length === 0) return; // a finishing run flushes again
    cancel(lane);
    let size = 0;
    let count = 0;
    while (count < lane.queue.length && (count === 0 || size + lane.queue[count]!.size <= maxBatch))
      size += lane.queue[count++]!.size;
    const batch = lane.queue.splice(0, count);
    lane.size -= size;
    queued -= batch.length;
    lane.inFlight++;
    void settle(batch, key).finally(() => {
      lane.inFlight--;
      // What queued up meanwhile has waited at least as long as the run: it leaves now (or, with 'turn',
      // after this turn, so sends read in the same turn still join).
      if (lane.queue.length > 0) {
        if (wait === 'turn') schedule(key, lane);
        else flush(key, lane);
      } else if (lane.inFlight === 0) lanes.delete(key);
    });
  };

  const settle = async (batch: Pending<I, R>[], key: string) => {
    try {
      const results = await run(
        batch.map((pending) => pending.item),
        key,
      );
      batch.forEach((pending, index) => {
        const result = results?.[index];
        if (result instanceof BatchItemError) pending.reject(result.error);
        else pending.resolve(result as R);
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        const key = keyOf(item);
        let lane = lanes.get(key);
        if (!lane) lanes.set(key, (lane = { queue: [], size: 0, inFlight: 0, timer: undefined }));
        const size = sizeOf(item);
        lane.queue.push({ item, size, resolve, reject });
        lane.size += size;
        queued++;
        if (lane.size >= maxBatch) flush(key, lane);
        else if (lane.inFlight < maxInFlight) schedule(key, lane);
      });
    },
    get queued() {
      return queued;
    },
  };
}
