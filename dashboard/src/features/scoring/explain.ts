import type { ExplanationLine, ScoreExplanation, Temperature } from '@beckon/sdk/protocol';
import { t } from './i18n';

const temperatureKeys = { hot: 'hot', warm: 'warm', cold: 'cold' } as const;
/** Hot / warm / cold in the dashboard's language. */
export const temperatureLabel = (temperature: Temperature) => t(temperatureKeys[temperature]);

/** Signed points with a real minus sign: "+45", "−8", "0". */
export function signed(points: number): string {
  const rounded = Math.round(points);
  if (rounded === 0) return '0';
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

/** "Pricing page ×3 +45" (the count only when above one). */
export function lineText(line: ExplanationLine): string {
  return `${line.label}${line.count > 1 ? ` ×${line.count}` : ''} ${signed(line.total)}`;
}

/** The whole explanation in one sentence, for titles and screen readers. */
export function explanationText(score: number, explanation: ScoreExplanation): string {
  const parts = explanation.lines.map(lineText);
  if (Math.round(explanation.decay) !== 0) parts.push(t('decayedPart', { points: signed(explanation.decay) }));
  return parts.length === 0
    ? t('noRuleMatched')
    : t('explanation', { points: Math.round(score), parts: parts.join(', ') });
}

/** "half-life 7 days" / "half-life 12 hours". */
export function halfLifeText(days: number): string {
  if (days < 1) return t('halfLifeHours', { count: Math.round(days * 24) });
  return t('halfLifeDays', { count: Math.round(days * 10) / 10 });
}
