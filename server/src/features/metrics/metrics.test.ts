import { describe, expect, it } from 'vitest';
import { histogramText, samplesText } from './exposition.js';
import { Histogram, latencyBuckets } from './histogram.js';
import { createServerMetrics, renderMetrics } from './server-metrics.js';

describe('Histogram', () => {
  it('counts each value in the first bucket whose bound is at or above it, and keeps sum and count', () => {
    const histogram = new Histogram([0.01, 0.1, 1]);
    for (const value of [0, 0.005, 0.01, 0.010001, 0.1, 0.5, 1, 7]) histogram.observe(value);
    // Cumulative per bound (le="0.01", "0.1", "1"), then +Inf.
    expect(histogram.cumulative()).toEqual([3, 5, 7, 8]);
    expect(histogram.count).toBe(8);
    expect(histogram.sum).toBeCloseTo(0 + 0.005 + 0.01 + 0.010001 + 0.1 + 0.5 + 1 + 7, 12);
  });

  it('drops values that are not durations (a clock step backwards, NaN, Infinity) instead of corrupting the sum', () => {
    const histogram = new Histogram([1]);
    for (const value of [-0.001, Number.NaN, Infinity, -Infinity]) histogram.observe(value);
    expect(histogram.count).toBe(0);
    expect(histogram.sum).toBe(0);
    histogram.observe(2);
    expect(histogram.cumulative()).toEqual([0, 1]);
  });

  it('times from a performance.now() reading in milliseconds, recorded in seconds', () => {
    const histogram = new Histogram([0.005, 0.05]);
    histogram.observeSince(1000, 1004);
    histogram.observeSince(1000, 1030);
    expect(histogram.cumulative()).toEqual([1, 2, 2]);
    expect(histogram.sum).toBeCloseTo(0.034, 12);
  });

  it('refuses bounds that are unsorted, repeated or not finite', () => {
    expect(() => new Histogram([0.1, 0.01])).toThrow(RangeError);
    expect(() => new Histogram([0.1, 0.1])).toThrow(RangeError);
    expect(() => new Histogram([0.1, Infinity])).toThrow(RangeError);
    expect(() => new Histogram([])).toThrow(RangeError);
  });

  it('has buckets fine enough below 10 ms to tell a 2 ms p99 from an 8 ms one', () => {
    expect(latencyBuckets.filter((bound) => bound <= 0.01).length).toBeGreaterThanOrEqual(8);
  });
});

describe('exposition format', () => {
  it('writes a histogram as cumulative buckets ending with le="+Inf", then _sum and _count', () => {
    const histogram = new Histogram([0.005, 0.05]);
    for (const value of [0.001, 0.004, 0.02, 3]) histogram.observe(value);
    expect(histogramText('beckon_test_seconds', 'A test.\nSecond line with a \\ backslash.', histogram)).toBe(
      [
        '# HELP beckon_test_seconds A test.\\nSecond line with a \\\\ backslash.',
        '# TYPE beckon_test_seconds histogram',
        'beckon_test_seconds_bucket{le="0.005"} 2',
        'beckon_test_seconds_bucket{le="0.05"} 3',
        'beckon_test_seconds_bucket{le="+Inf"} 4',
        'beckon_test_seconds_sum 3.025',
        'beckon_test_seconds_count 4',
        '',
      ].join('\n'),
    );
  });

  it('writes an empty histogram with zero counts, so rates start from a known value', () => {
    const text = histogramText('beckon_empty_seconds', 'Empty.', new Histogram([1]));
    expect(text).toContain(
      'beckon_empty_seconds_bucket{le="1"} 0\nbeckon_empty_seconds_bucket{le="+Inf"} 0\nbeckon_empty_seconds_sum 0\nbeckon_empty_seconds_count 0\n',
    );
  });

  it('writes labelled gauges with escaped label values and Prometheus spellings of special values', () => {
    expect(
      samplesText('beckon_test', 'Gauge.', 'gauge', [
        { labels: { kind: 'a"b\\c\nd' }, value: 1 },
        { value: Number.NaN },
        { labels: { edge: 'up' }, value: Infinity },
      ]),
    ).toBe(
      '# HELP beckon_test Gauge.\n# TYPE beckon_test gauge\nbeckon_test{kind="a\\"b\\\\c\\nd"} 1\nbeckon_test NaN\nbeckon_test{edge="up"} +Inf\n',
    );
  });

  it('renders the latency histograms, the database state and the process metrics together', async () => {
    const metrics = createServerMetrics();
    metrics.chatMessageAck.observe(0.002);
    const up = await renderMetrics(metrics, { kind: 'postgres', availability: () => ({ available: true }) });
    expect(up).toContain('beckon_chat_message_ack_seconds_bucket{le="0.002"} 1\n');
    expect(up).toContain('beckon_chat_message_ack_seconds_count 1\n');
    expect(up).toContain('beckon_chat_message_commit_seconds_count 0\n');
    expect(up).toContain('beckon_collect_batch_answer_seconds_count 0\n');
    expect(up).toContain('beckon_database_available{kind="postgres"} 1\n');
    expect(up).toContain('beckon_database_unavailable_reason{reason="unreachable"} 0\n');
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(up).toMatch(new RegExp(`^${name} [0-9.e+-]+$`, 'm'));
    }
    const down = await renderMetrics(metrics, {
      kind: 'pglite',
      availability: () => ({ available: false, reason: 'disk_full' }),
    });
    expect(down).toContain('beckon_database_available{kind="pglite"} 0\n');
    expect(down).toContain('beckon_database_unavailable_reason{reason="disk_full"} 1\n');
    expect(down).toContain('beckon_database_unavailable_reason{reason="unreachable"} 0\n');
  });
});
