import type { Histogram } from './histogram.js';

/**
 * Prometheus text exposition format 0.0.4 (what `GET /api/metrics` answers and every scraper reads):
 * `# HELP` and `# TYPE` lines, then one `name{labels} value` line per sample.
 */
export const exposition = { contentType: 'text/plain; version=0.0.4; charset=utf-8' } as const;

export type Labels = Readonly<Record<string, string>>;

/** Sample values as Prometheus spells them (`+Inf`, `-Inf`, `NaN`). */
export const formatValue = (value: number) =>
  Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value);

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const formatLabels = (labels: Labels) => {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
};

const header = (name: string, help: string, type: 'histogram' | 'gauge' | 'counter') =>
  `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;

/** A histogram: cumulative `_bucket` lines ending with `le="+Inf"` (= `_count`), then `_sum` and `_count`. */
export function histogramText(name: string, help: string, histogram: Histogram): string {
  const cumulative = histogram.cumulative();
  let text = header(name, help, 'histogram');
  histogram.bounds.forEach((bound, i) => (text += `${name}_bucket{le="${formatValue(bound)}"} ${cumulative[i]}\n`));
  text += `${name}_bucket{le="+Inf"} ${cumulative.at(-1)}\n`;
  text += `${name}_sum ${formatValue(histogram.sum)}\n${name}_count ${histogram.count}\n`;
  return text;
}

/** A gauge (or counter) with one line per labelled sample. */
export function samplesText(
  name: string,
  help: string,
  type: 'gauge' | 'counter',
  samples: readonly { labels?: Labels; value: number }[],
): string {
  return (
    header(name, help, type) +
    samples.map(({ labels = {}, value }) => `${name}${formatLabels(labels)} ${formatValue(value)}\n`).join('')
  );
}
