/**
 * Latency buckets in seconds (Prometheus' base unit): fine below 50 ms, where chat acks and collect
 * answers live and where the targets are (server-side p99 ≤ 10 ms), coarse above it for outages.
 */
export const latencyBuckets = [
  0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1,
  0.15, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * A Prometheus histogram for the hot path: `observe` is a few comparisons and two additions on typed
 * arrays — no allocation, O(log buckets) — so recording every chat message at 1,000 a second costs
 * nothing measurable. (prom-client's `observe` builds a closure, a label object and a hash string per
 * call: see the commit that added this file for the measurement.)
 */
export class Histogram {
  /** Upper bounds, ascending; `+Inf` is implied. */
  readonly bounds: Float64Array;
  /** Observations per bucket, not cumulative; the last slot is above every bound (`+Inf` only). */
  private readonly counts: Float64Array;
  private total = 0;
  private observations = 0;

  constructor(bounds: readonly number[] = latencyBuckets) {
    if (
      bounds.length === 0 ||
      bounds.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= bounds[i - 1]!))
    ) {
      throw new RangeError('Histogram bounds must be finite and strictly ascending');
    }
    this.bounds = Float64Array.from(bounds);
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records one value (seconds). Non-finite or negative values (a clock step) are dropped, never thrown. */
  observe(value: number): void {
    if (!(value >= 0) || value === Infinity) return;
    // Binary search for the first bound ≥ value (Prometheus buckets are `le`, inclusive).
    let low = 0;
    let high = this.bounds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.bounds[middle]! < value) low = middle + 1;
      else high = middle;
    }
    this.counts[low]! += 1;
    this.total += value;
    this.observations += 1;
  }

  /** Records the time since `startedAt` (a `performance.now()` reading, in milliseconds). */
  observeSince(startedAt: number, now = performance.now()): void {
    this.observe((now - startedAt) / 1000);
  }

  get count(): number {
    return this.observations;
  }

  get sum(): number {
    return this.total;
  }

  /** Cumulative counts per bound, then the `+Inf` count (= `count`), as the exposition format wants them. */
  cumulative(): number[] {
    const result: number[] = [];
    let running = 0;
    for (const count of this.counts) result.push((running += count));
    return result;
  }
}
