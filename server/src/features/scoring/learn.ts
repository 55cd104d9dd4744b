/**
 * Logistic regression by batch gradient descent with a little L2, on a handful of rule counts per
 * visitor. No library: the data are a few thousand rows by ≤ 100 features, and the ~40 lines below
 * are easier to audit than a dependency.
 */
export interface LogisticModel {
  intercept: number;
  weights: number[];
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function fitLogistic(
  x: readonly number[][],
  y: readonly number[],
  { iterations = 3000, learningRate = 0.5, l2 = 1e-3 }: { iterations?: number; learningRate?: number; l2?: number } = {},
): LogisticModel {
  const n = x.length;
  const features = x[0]?.length ?? 0;
  // Standardise so one learning rate suits counts of very different ranges; undone at the end.
  const mean = Array.from({ length: features }, (_, j) => x.reduce((sum, row) => sum + row[j]!, 0) / Math.max(1, n));
  const std = Array.from({ length: features }, (_, j) => Math.sqrt(x.reduce((sum, row) => sum + (row[j]! - mean[j]!) ** 2, 0) / Math.max(1, n)) || 1);
  const z = x.map((row) => row.map((value, j) => (value - mean[j]!) / std[j]!));
  let b = 0;
  const w = new Array<number>(features).fill(0);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const gradW = new Array<number>(features).fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      const row = z[i]!;
      let logit = b;
      for (let j = 0; j < features; j++) logit += w[j]! * row[j]!;
      const error = sigmoid(logit) - y[i]!;
      gradB += error;
      for (let j = 0; j < features; j++) gradW[j]! += error * row[j]!;
    }
    b -= (learningRate * gradB) / n;
    for (let j = 0; j < features; j++) w[j]! -= learningRate * (gradW[j]! / n + l2 * w[j]!);
  }
  const weights = w.map((weight, j) => weight / std[j]!);
  const intercept = b - weights.reduce((sum, weight, j) => sum + weight * mean[j]!, 0);
  return { intercept, weights };
}

export const predictLogit = (model: LogisticModel, row: readonly number[]) =>
  row.reduce((sum, value, j) => sum + value * (model.weights[j] ?? 0), model.intercept);

/** Area under the ROC curve: the chance a random positive outranks a random negative (ties count half). */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const pairs = scores.map((score, i) => ({ score, label: labels[i]! })).sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j < pairs.length && pairs[j]!.score === pairs[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) if (pairs[k]!.label === 1) {
      rankSumPositive += averageRank;
      positives++;
    }
    i = j;
  }
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A seeded shuffle (mulberry32), so the held-out split is the same on every run for the same data. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Turns log-odds weights into rule points on the site's own scale: points = weight × k, with k chosen
 * so that a visitor at the hot threshold has even odds (intercept + hot / k = 0). When the base rate is
 * already above even odds, the largest weight maps to the largest current point value instead.
 */
export function weightsToPoints(model: LogisticModel, hot: number, fallbackMaxPoints: number): number[] {
  const largest = Math.max(...model.weights.map(Math.abs), 1e-9);
  const k = model.intercept < 0 ? hot / -model.intercept : fallbackMaxPoints / largest;
  // Keep within the rule range; a model that puts everything on one rule still fits the editor.
  return model.weights.map((weight) => Math.max(-100, Math.min(100, Math.round(weight * k))));
}
