import { describe, expect, it } from 'vitest';
import { auc, fitLogistic, predictLogit, seededShuffle, weightsToPoints } from './learn.js';

/** Counts 0..4 per feature, labels drawn from a known logistic model with a seeded generator. */
function synthetic(n: number, trueWeights: number[], intercept: number, seed = 42) {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = trueWeights.map(() => Math.floor(random() * 5));
    const logit = row.reduce((sum, value, j) => sum + value * trueWeights[j]!, intercept);
    x.push(row);
    y.push(random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
  }
  return { x, y };
}

describe('logistic regression', () => {
  it('recovers known weights from synthetic data (signs, order and rough size)', () => {
    const truth = [1.2, -0.8, 0, 0.4];
    const { x, y } = synthetic(4000, truth, -1.5);
    const model = fitLogistic(x, y);
    model.weights.forEach((weight, j) => expect(weight).toBeCloseTo(truth[j]!, 0));
    expect(model.intercept).toBeCloseTo(-1.5, 0);
    expect(model.weights[0]!).toBeGreaterThan(model.weights[3]!);
    expect(Math.abs(model.weights[2]!)).toBeLessThan(0.15);
  });

  it('ranks held-out visitors better than chance, and about as well as the true model', () => {
    const truth = [1.2, -0.8, 0, 0.4];
    const train = synthetic(2000, truth, -1.5, 1);
    const test = synthetic(1000, truth, -1.5, 2);
    const model = fitLogistic(train.x, train.y);
    const learned = auc(test.x.map((row) => predictLogit(model, row)), test.y);
    const ideal = auc(test.x.map((row) => predictLogit({ intercept: -1.5, weights: truth }, row)), test.y);
    expect(learned).toBeGreaterThan(0.75);
    expect(learned).toBeGreaterThan(ideal - 0.01);
  });
});

describe('auc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for ties', () => {
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(auc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    expect(auc([1, 2, 2, 3], [0, 0, 1, 1])).toBe(0.875);
  });
});

describe('proposed points', () => {
  it('put the hot threshold at even odds and stay within the rule range', () => {
    // logit = -2 + 0.5·a: even odds at a = 4, so 4 hits must reach 70 points → 17.5 ≈ 18 each.
    expect(weightsToPoints({ intercept: -2, weights: [0.5, -0.25, 20] }, 70, 50)).toEqual([18, -9, 100]);
  });

  it('shuffles the same way for the same seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(seededShuffle(items, 7)).toEqual(seededShuffle(items, 7));
    expect(seededShuffle(items, 7)).not.toEqual(items);
    expect([...seededShuffle(items, 7)].sort((a, b) => a - b)).toEqual(items);
  });
});
