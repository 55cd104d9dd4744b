// The server's own latencies for the benchmarks, from its Prometheus endpoint (GET /api/metrics with
// BECKON_METRICS_TOKEN): a histogram read before and after the timed run, subtracted, so warm-up is excluded.

/** Fetches the exposition text. */
export async function scrapeMetrics(origin, token) {
  const response = await fetch(`${origin}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /api/metrics answered ${response.status}: ${await response.text()}`);
  return response.text();
}

/** One histogram of an exposition: `{ buckets: [[le, cumulative count]…] (ascending, +Inf last), sum, count }`. */
export function readHistogram(text, name) {
  const buckets = [];
  let sum = NaN;
  let count = NaN;
  for (const line of text.split('\n')) {
    const bucket = line.startsWith(`${name}_bucket{`) && /le="([^"]+)"\} (\S+)$/.exec(line);
    if (bucket) buckets.push([bucket[1] === '+Inf' ? Infinity : Number(bucket[1]), Number(bucket[2])]);
    else if (line.startsWith(`${name}_sum `)) sum = Number(line.slice(name.length + 5));
    else if (line.startsWith(`${name}_count `)) count = Number(line.slice(name.length + 7));
  }
  if (!buckets.length) throw new Error(`no histogram ${name} in the metrics`);
  return { buckets: buckets.sort((a, b) => a[0] - b[0]), sum, count };
}

/** What was observed between two readings of one histogram (same buckets). */
export const histogramDelta = (before, after) => ({
  buckets: after.buckets.map(([le, count], i) => [le, count - (before.buckets[i]?.[1] ?? 0)]),
  sum: after.sum - before.sum,
  count: after.count - before.count,
});

/**
 * The q-quantile (0..1) in the histogram's unit, interpolated linearly inside its bucket as Prometheus'
 * `histogram_quantile` does: exact only to the bucket's width. In the `+Inf` bucket it is the highest bound.
 */
export function histogramQuantile(q, { buckets, count }) {
  if (!count) return NaN;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const [le, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, cumulative - below);
    }
    lower = le;
    below = cumulative;
  }
  return lower;
}
