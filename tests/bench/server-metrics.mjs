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

/** The labels of one exposition line (`name{a="x",b="y"} value`) as an object, and its value. */
function parseSeries(line) {
  const open = line.indexOf('{');
  const close = line.lastIndexOf('}');
  const labels = {};
  for (const [, key, value] of line.slice(open + 1, close).matchAll(/(\w+)="([^"]*)"/g)) labels[key] = value;
  return { labels, value: Number(line.slice(close + 1).trim()) };
}

/** Pause count and seconds per GC kind (prom-client's `nodejs_gc_duration_seconds`, labelled by `kind`). */
function gcPauses(text) {
  const byKind = new Map();
  for (const line of text.split('\n')) {
    const part = /^nodejs_gc_duration_seconds_(sum|count)\{/.exec(line)?.[1];
    if (!part) continue;
    const { labels, value } = parseSeries(line);
    const kind = byKind.get(labels.kind) ?? { count: 0, seconds: 0 };
    if (part === 'sum') kind.seconds = value;
    else kind.count = value;
    byKind.set(labels.kind, kind);
  }
  return byKind;
}

/** prom-client's event-loop monitor resolution (`eventLoopMonitoringPrecision`, left at its default). */
const monitorTickMs = 10;

const gauge = (text, name) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.slice(name.length + 1));
};

/**
 * What the server's runtime did between two readings `seconds` apart, from its own process metrics:
 * garbage-collection pauses per kind (count and milliseconds, and the share of the time the main thread
 * stood still for them) and the event loop's delay. prom-client resets its event-loop monitor at every
 * reading, so the second reading's p99 and max cover exactly this span. That monitor records the time
 * between ticks of a 10-ms timer, so the tick itself is taken off: what is left is how late it came.
 * Rows for a bench's table: a slow server that spent its time in GC or behind a blocked loop shows it here.
 */
export function runtimeRows(before, after, seconds) {
  const start = gcPauses(before);
  const pauses = [...gcPauses(after)].map(([kind, { count, seconds: spent }]) => ({
    kind,
    count: count - (start.get(kind)?.count ?? 0),
    ms: (spent - (start.get(kind)?.seconds ?? 0)) * 1000,
  }));
  const totalMs = pauses.reduce((sum, { ms }) => sum + ms, 0);
  const loopMs = (name) => Math.max(0, gauge(after, name) * 1000 - monitorTickMs).toFixed(1);
  return [
    [
      'server GC pauses: count / ms per kind (between the two metric readings)',
      pauses
        .filter(({ count }) => count > 0)
        .map(({ kind, count, ms }) => `${kind} ${count} / ${ms.toFixed(0)}`)
        .join(', ') || 'none',
    ],
    ['server GC pauses: share of the time', `${((totalMs / (seconds * 1000)) * 100).toFixed(1)} %`],
    [
      'server event-loop delay p99 / max (ms a 10-ms timer came late)',
      `${loopMs('nodejs_eventloop_lag_p99_seconds')} / ${loopMs('nodejs_eventloop_lag_max_seconds')}`,
    ],
  ];
}
