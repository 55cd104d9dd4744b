import { totalMetrics, type RuleCondition, type ScoringRule } from '@beckon/sdk/protocol';
import type { ScoreState } from '../../db/schema.js';

/** The quantiles of the labelled visitors' totals that candidate thresholds are cut at (every 5 %). */
const candidateQuantiles = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);

/** A threshold as a person would write it: two significant figures (137 s → 140 s, 1,234 → 1,200). */
export function roundThreshold(value: number): number {
  if (value < 10) return Math.round(value);
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/**
 * Thresholds the learner may propose new rules at, chosen by the site's own data: each total's values
 * over the labelled visitors cut at every 5 % quantile, rounded to two significant figures, for every cut
 * that some visitor falls below and no rule of the site already compares (either way). Seconds for time
 * on site, counts for pages and visits. Nothing is tuned to one data set: a site whose visitors stay
 * minutes gets minute thresholds, one whose visitors stay hours gets hours; cross-validation then decides
 * which are worth a rule (`learn.ts`).
 */
export function candidateConditions(
  rules: readonly ScoringRule[],
  totals: readonly (ScoreState['totals'] | undefined)[],
): RuleCondition[] {
  const taken = new Set(
    rules.flatMap((rule) =>
      rule.condition.kind === 'total' ? [`${rule.condition.metric}:${rule.condition.value}`] : [],
    ),
  );
  return totalMetrics.flatMap((metric) => {
    const values = totals
      .map((t) => (!t ? 0 : metric === 'time_on_site' ? t.engagedMs / 1000 : metric === 'pages' ? t.pages : t.visits))
      .sort((a, b) => a - b);
    const cuts = new Set(
      values.length
        ? candidateQuantiles.map((q) =>
            roundThreshold(values[Math.min(values.length - 1, Math.floor(q * values.length))]!),
          )
        : [],
    );
    return [...cuts]
      .filter((value) => value > (values[0] ?? 0) && !taken.has(`${metric}:${value}`))
      .sort((a, b) => a - b)
      .map((value): RuleCondition => ({ kind: 'total', metric, op: 'gte', value }));
  });
}
