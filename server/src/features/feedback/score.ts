import type { CsatSummary, NpsSummary } from '@beckon/sdk/protocol';

/** NPS: % promoters (9–10) − % detractors (0–6), rounded to a whole number; null without answers. */
export function npsOf(scores: readonly number[]): NpsSummary {
  const promoters = scores.filter((score) => score >= 9).length;
  const detractors = scores.filter((score) => score <= 6).length;
  const count = scores.length;
  return {
    score: count ? Math.round(((promoters - detractors) / count) * 100) : null,
    promoters,
    passives: count - promoters - detractors,
    detractors,
    count,
  };
}

/** CSAT: mean of the 1–5 answers (one decimal) and the share of 4s and 5s in percent. */
export function csatOf(scores: readonly number[]): CsatSummary {
  const count = scores.length;
  if (!count) return { average: null, satisfiedPercent: null, count };
  const sum = scores.reduce((total, score) => total + score, 0);
  return {
    average: Math.round((sum / count) * 10) / 10,
    satisfiedPercent: Math.round((scores.filter((score) => score >= 4).length / count) * 100),
    count,
  };
}
