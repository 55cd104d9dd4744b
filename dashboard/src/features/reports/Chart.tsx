import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { t } from './i18n';

export type ChartTone = 'accent' | 'previous' | 'success' | 'danger' | 'warn' | 'info';

export interface ChartSeries {
  label: string;
  values: ReadonlyArray<number | null>;
  tone: ChartTone;
  /** The previous period: a dashed line under the current one. */
  dashed?: boolean;
}

export interface ChartProps {
  /** One label per point on the x axis (already formatted: "5 Dec", "Week of 1 Dec"). */
  labels: readonly string[];
  series: readonly ChartSeries[];
  /** What the chart shows, in one sentence, for screen readers (the numbers are in the table beside it). */
  summary: string;
  /** How a y value reads ("12", "3.5 min", "40 %"). */
  format: (value: number) => string;
  bars?: boolean;
  height?: number;
  /** A fixed y range (NPS −100…100, ratings 1…5); otherwise from zero to the data's top. */
  yRange?: [number, number];
  /** Steps between the y axis's marks (`countSteps` for counts); uPlot's own, fractions included, otherwise. */
  yIncrements?: readonly number[];
}

// The dashboard's palette (styles.css tokens): canvas cannot read CSS variables at draw time cheaply.
const tones: Record<ChartTone, string> = {
  accent: '#4f46e5',
  previous: '#94a3b8',
  success: '#16a34a',
  danger: '#dc2626',
  warn: '#d97706',
  info: '#0284c7',
};

/** uPlot's module, fetched once when the first chart mounts: the rest of the dashboard never loads it. */
let uPlotModule: Promise<typeof uPlot> | null = null;
const loadUPlot = () => {
  uPlotModule ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([module]) => module.default);
  return uPlotModule;
};

const axisFont = '12px system-ui, sans-serif';

/**
 * The x axis's least room per label: its widest label as drawn, and a gap. uPlot's default (50 px) let dates
 * touch wherever they are longer than "10 Nov" (Russian's "10 нояб.", Amharic's), and it then skips labels
 * evenly, so they stay whole points.
 */
function labelSpace(labels: readonly string[]): number {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return 60;
  context.font = axisFont;
  let widest = 0;
  for (const label of labels) widest = Math.max(widest, context.measureText(label).width);
  return Math.ceil(widest) + 16;
}

/**
 * A line or bar chart drawn by uPlot (a 50 KB canvas library, loaded lazily with the first chart). Points
 * are placed by index, with the labels we format, so calendar days in the agent's zone are never re-read
 * as instants in the browser's. A legend (ours, translated) and a readout of the hovered point sit above.
 */
export function Chart({
  labels,
  series,
  summary,
  format,
  bars = false,
  height = 220,
  yRange,
  yIncrements,
}: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  // Redraw when the data changes, not when a parent re-renders with equal arrays (hovering re-renders us).
  const dataKey = JSON.stringify([labels, series, bars, height, yRange]);
  const formatRef = useRef(format);
  formatRef.current = format;

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    let chart: uPlot | null = null;
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    loadUPlot().then(
      (UPlot) => {
        if (cancelled) return;
        const x = labels.map((_, index) => index);
        const data = [x, ...series.map((one) => one.values.map((value) => value ?? null))] as uPlot.AlignedData;
        const barPaths = bars
          ? UPlot.paths.bars?.({ size: [0.7 / Math.max(1, series.length), 48], gap: 2 })
          : undefined;
        const options: uPlot.Options = {
          width: Math.max(240, target.clientWidth),
          height,
          legend: { show: false },
          cursor: { points: { size: 7 }, drag: { x: false, y: false } },
          scales: {
            x: { time: false, range: (_u, min, max) => [min - (bars ? 0.6 : 0), max + (bars ? 0.6 : 0)] },
            // Counts start at zero, so a flat week does not look like a cliff.
            y: { range: (_u, _min, max) => yRange ?? [0, Math.max(1, max) * 1.1] },
          },
          axes: [
            {
              stroke: '#64748b',
              grid: { show: false },
              ticks: { show: false },
              font: axisFont,
              // Whole points only; uPlot picks how many fit, each label with room to spare.
              incrs: [1, 2, 3, 4, 5, 7, 10, 14, 15, 30, 60, 90],
              space: labelSpace(labels),
              // Clear of the zero line and its "0".
              gap: 9,
              values: (_u, splits) => splits.map((split) => (Number.isInteger(split) ? (labels[split] ?? '') : '')),
            },
            {
              stroke: '#64748b',
              grid: { stroke: '#e2e8f0', width: 1 },
              ticks: { show: false },
              font: axisFont,
              size: 56,
              ...(yIncrements ? { incrs: [...yIncrements] } : {}),
              values: (_u, splits) => splits.map((split) => formatRef.current(split)),
            },
          ],
          series: [
            {},
            ...series.map((one) => ({
              label: one.label,
              stroke: tones[one.tone],
              width: one.dashed ? 1.5 : 2,
              dash: one.dashed ? [5, 4] : undefined,
              fill: bars ? `${tones[one.tone]}cc` : undefined,
              paths: barPaths,
              points: { show: labels.length <= 31 && !bars },
            })),
          ],
          hooks: {
            setCursor: [(u) => setHovered(u.cursor.idx ?? null)],
          },
        };
        target.replaceChildren();
        chart = new UPlot(options, data, target);
        observer = new ResizeObserver(() => {
          if (chart && target.clientWidth > 0) chart.setSize({ width: Math.max(240, target.clientWidth), height });
        });
        observer.observe(target);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart?.destroy();
    };
    // dataKey stands for labels, series, bars, height and yRange; yIncrements are constants (countSteps).
  }, [dataKey]);

  return (
    <figure class="rp-chart">
      <div class="rp-chart-top">
        <ul class="rp-legend">
          {series.map((one) => (
            <li key={one.label}>
              <span
                class={`rp-swatch${one.dashed ? ' rp-swatch-dashed' : ''}`}
                style={{ '--swatch': tones[one.tone] }}
                aria-hidden="true"
              />
              {one.label}
              {hovered !== null && one.values[hovered] !== null && one.values[hovered] !== undefined && (
                <strong class="rp-legend-value">{format(one.values[hovered] as number)}</strong>
              )}
            </li>
          ))}
        </ul>
        {hovered !== null && <span class="rp-hovered">{labels[hovered]}</span>}
      </div>
      {failed ? (
        <p class="rp-chart-failed">{t('chartFailed')}</p>
      ) : (
        <div ref={box} class="rp-chart-canvas" role="img" aria-label={summary} style={{ minHeight: `${height}px` }} />
      )}
    </figure>
  );
}
