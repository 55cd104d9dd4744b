import type { Feedback, FeedbackKind } from '@beckon/sdk/protocol';
import { t } from './i18n';

export const periods = [7, 30, 90] as const;

/** Catalogue keys of each kind's name (`t(kindLabels[kind])`). */
export const kindLabels = { nps: 'kindNps', csat: 'kindCsat', message: 'kindMessage' } as const satisfies Record<
  FeedbackKind,
  string
>;

/** Colour of an NPS: above 30 is good, below 0 needs attention. */
export function npsTone(score: number | null): 'good' | 'mid' | 'bad' | 'none' {
  if (score === null) return 'none';
  return score >= 30 ? 'good' : score >= 0 ? 'mid' : 'bad';
}

/** "9/10", "4/5", or "Message". */
export function scoreLabel(answer: Pick<Feedback, 'kind' | 'score'>): string {
  if (answer.kind === 'message' || answer.score === null) return t('kindMessage');

  return `${answer.score}/${answer.kind === 'nps' ? 10 : 5}`;
}

/** Short axis labels: every 1st, 7th or 15th day by period length, so 90 days stay readable. */
export function axisLabelEvery(days: number): number {
  return days <= 7 ? 1 : days <= 30 ? 7 : 15;
}
