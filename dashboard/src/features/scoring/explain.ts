import type { ExplanationLine, ScoreExplanation, Temperature } from '@beckon/sdk/protocol';

export const temperatureLabels: Record<Temperature, string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };

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
  if (Math.round(explanation.decay) !== 0) parts.push(`decayed ${signed(explanation.decay)}`);
  return parts.length === 0 ? 'No scoring rule has matched yet' : `${Math.round(score)} points: ${parts.join(', ')}`;
}

/** "half-life 7 days" / "half-life 12 hours". */
export function halfLifeText(days: number): string {
  if (days < 1) return `half-life ${Math.round(days * 24)} hours`;
  const rounded = Math.round(days * 10) / 10;
  return `half-life ${rounded} day${rounded === 1 ? '' : 's'}`;
}
