import { useState } from 'preact/hooks';
import type { HeatmapCell } from '@beckon/sdk/protocol';
import { formatDate, formatNumber } from '../../lib/i18n';
import { heatGrid, heatLevel } from './shape';
import { t } from './i18n';

type Metric = 'inquiries' | 'agentsOnline';

// 1 January 2024 was a Monday: its week gives the weekday names in the dashboard's language.
const weekdayName = (day: number) => formatDate(Date.UTC(2024, 0, 1 + day), { weekday: 'short', timeZone: 'UTC' });

/**
 * The hour-of-week heatmap: when inquiries come in, and how many agents were online then. Hours with
 * inquiries and, on average, under one agent online are marked: that is where visitors wait.
 */
export function Heatmap({ cells }: { cells: readonly HeatmapCell[] }) {
  const [metric, setMetric] = useState<Metric>('inquiries');
  const volume = heatGrid(cells.map((cell) => ({ weekday: cell.day, hour: cell.hour, value: cell.inquiries })));
  const online = heatGrid(cells.map((cell) => ({ weekday: cell.day, hour: cell.hour, value: cell.agentsOnline })));
  const shown = metric === 'inquiries' ? volume : online;
  const uncovered = (day: number, hour: number) =>
    (volume.grid[day]?.[hour] ?? 0) > 0 && (online.grid[day]?.[hour] ?? 0) < 1;
  let uncoveredInquiries = 0;
  for (let day = 0; day < 7; day++)
    for (let hour = 0; hour < 24; hour++) if (uncovered(day, hour)) uncoveredInquiries += volume.grid[day]?.[hour] ?? 0;
  const value = (n: number) =>
    metric === 'inquiries' ? formatNumber(n) : formatNumber(n, { maximumFractionDigits: 1 });

  return (
    <section class="card rp-heat-card">
      <div class="rp-heat-head">
        <h2 class="card-title">{t('heatmapTitle')}</h2>
        <div class="segmented segmented-sm" role="group" aria-label={t('heatmapShow')}>
          {(['inquiries', 'agentsOnline'] as const).map((option) => (
            <button
              key={option}
              type="button"
              class={`segment${metric === option ? ' selected' : ''}`}
              aria-pressed={metric === option}
              onClick={() => setMetric(option)}
            >
              {option === 'inquiries' ? t('inquiries') : t('agentsOnline')}
            </button>
          ))}
        </div>
      </div>
      <p class="card-description" data-testid="heatmap-uncovered">
        {t('heatmapUncovered', { count: uncoveredInquiries })}
      </p>
      <div class="rp-heat-scroll" tabIndex={0} role="region" aria-label={t('heatmapTitle')}>
        <table class={`rp-heat rp-heat-${metric}`}>
          <thead>
            <tr>
              <td />
              {Array.from({ length: 24 }, (_, hour) => (
                <th key={hour} scope="col">
                  {hour}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.grid.map((row, day) => (
              <tr key={weekdayName(day)}>
                <th scope="row">{weekdayName(day)}</th>
                {row.map((n, hour) => (
                  <td
                    key={hour}
                    class={`rp-heat-${heatLevel(n, shown.max)}${uncovered(day, hour) ? ' rp-heat-gap' : ''}`}
                    title={t('heatCell', {
                      day: weekdayName(day),
                      hour: `${hour}:00`,
                      inquiries: formatNumber(volume.grid[day]?.[hour] ?? 0),
                      online: formatNumber(online.grid[day]?.[hour] ?? 0, { maximumFractionDigits: 1 }),
                    })}
                  >
                    {n > 0 ? value(n) : ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="rp-heat-legend">
        <span class="rp-heat-key rp-heat-gap" aria-hidden="true" /> {t('heatmapGapLegend')}
      </p>
    </section>
  );
}
