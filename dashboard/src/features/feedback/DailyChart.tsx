import type { FeedbackReport } from '@beckon/sdk/protocol';
import { formatDate } from '../../lib/i18n';
import { t } from './i18n';
import { axisLabelEvery } from './report';

/**
 * Answers per day as SVG bars, with the day's NPS in each bar's tooltip. Plain SVG: a few dozen bars
 * do not need a chart library in the bundle.
 */
export function DailyChart({ daily }: { daily: FeedbackReport['daily'] }) {
  const width = 560;
  const height = 140;
  const top = 8;
  const bottom = 22;
  const max = Math.max(1, ...daily.map((day) => day.answers));
  const slot = width / Math.max(1, daily.length);
  const bar = Math.max(2, Math.min(24, slot * 0.7));
  const every = axisLabelEvery(daily.length);
  const label = (day: string) => formatDate(`${day}T00:00:00Z`, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const total = daily.reduce((sum, day) => sum + day.answers, 0);
  return (
    <figure class="fb-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('chartLabel', { count: total, days: daily.length })}
      >
        <line x1="0" x2={width} y1={height - bottom} y2={height - bottom} class="fb-axis" />
        {daily.map((day, index) => {
          const h = ((height - top - bottom) * day.answers) / max;
          const x = index * slot + (slot - bar) / 2;
          return (
            <g key={day.day}>
              {day.answers > 0 && (
                <rect x={x} y={height - bottom - h} width={bar} height={h} rx="2" class="fb-bar">
                  <title>{`${t('dayAnswers', { day: label(day.day), count: day.answers })}${day.nps === null ? '' : `, NPS ${day.nps}`}${day.csat === null ? '' : `, CSAT ${day.csat}`}`}</title>
                </rect>
              )}
              {(daily.length - 1 - index) % every === 0 && (
                <text
                  x={index === 0 ? 0 : index === daily.length - 1 ? width : index * slot + slot / 2}
                  y={height - 6}
                  class="fb-tick"
                  text-anchor={index === 0 ? 'start' : index === daily.length - 1 ? 'end' : 'middle'}
                >
                  {label(day.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
