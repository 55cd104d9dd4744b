import { describe, expect, it } from 'vitest';
import {
  auc,
  calibration,
  fitLogistic,
  l2Grid,
  learnProposal,
  minLabelledHits,
  predictLogit,
  seededShuffle,
  topSpanOf,
  unpackLearnInput,
  weightsToPoints,
} from './learn.js';

/** Counts 0..4 per feature, labels drawn from a known logistic model with a seeded generator. */
function synthetic(n: number, trueWeights: number[], intercept: number, seed = 42) {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
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
    const learned = auc(
      test.x.map((row) => predictLogit(model, row)),
      test.y,
    );
    const ideal = auc(
      test.x.map((row) => predictLogit({ intercept: -1.5, weights: truth }, row)),
      test.y,
    );
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
    expect(weightsToPoints({ intercept: -2, weights: [0.5, -0.25, 20] }, 70)).toEqual([18, -9, 100]);
    // Most labelled visitors won (intercept > 0): the scale is held, small weights stay small.
    expect(weightsToPoints({ intercept: 0.5, weights: [0.1, -0.2] }, 70)).toEqual([5, -10]);
  });

  it('make the top of the labelled visitors hot when few of them ever reach even odds', () => {
    // A 3 % site: logit = -3.5 + 0.5·a. The top fifth has a ≥ 4 (span 2), long before even odds (a = 7).
    const model = { intercept: -3.5, weights: [0.5] };
    const rows = Array.from({ length: 100 }, (_, i) => [i < 80 ? i % 4 : 4 + (i % 3)]);
    const span = topSpanOf(model, rows);
    expect(span).toBe(2);
    expect(weightsToPoints(model, 70, span)).toEqual([18]); // 4 hits → 72 ≥ 70: hot
    expect(weightsToPoints(model, 70)).toEqual([10]); // even odds only: 7 hits to be hot, nobody is
    // Where even odds come first, they still set the scale.
    expect(weightsToPoints({ intercept: -1, weights: [0.5] }, 70, 4)).toEqual([25]);
  });

  it('shuffles the same way for the same seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(seededShuffle(items, 7)).toEqual(seededShuffle(items, 7));
    expect(seededShuffle(items, 7)).not.toEqual(items);
    expect([...seededShuffle(items, 7)].sort((a, b) => a - b)).toEqual(items);
  });
});

describe('regularised learning', () => {
  const rules = [
    { id: 'strong', label: 'Strong', points: 10 },
    { id: 'noise', label: 'Noise', points: 10 },
    { id: 'rare', label: 'Rare', points: 10 },
  ];
  /** 600 labelled visitors: `strong` drives winning, `noise` is independent of it, `rare` is hit by two (one won, one lost). */
  function labelled(seed = 9) {
    let state = seed;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const examples = Array.from({ length: 600 }, (_, _i) => {
      const strong = random() < 0.4 ? 1 : 0;
      const noise = Math.floor(random() * 3);
      const y: 0 | 1 = random() < (strong ? 0.6 : 0.1) ? 1 : 0;
      return { x: [strong, noise, 0], y };
    });
    examples[0] = { x: [0, 0, 1], y: 1 };
    examples[1] = { x: [0, 0, 1], y: 0 };
    return examples;
  }

  it('leaves a rule with two labelled hits (one won, one lost) where it was, as "not enough data"', () => {
    const result = learnProposal({ rules, hot: 70, examples: labelled(), seed: 1 });
    expect(result.proposed.find((rule) => rule.ruleId === 'rare')).toMatchObject({
      current: 10,
      proposed: 10,
      labelledHits: 2,
      wonHits: 1,
      confidence: 'not_enough_data',
    });
    expect(minLabelledHits).toBeGreaterThan(2);
  });

  it('does not push noise to the bounds: a rule unrelated to winning gets small points, the real one high confidence', () => {
    const result = learnProposal({ rules, hot: 70, examples: labelled(), seed: 1 });
    const byId = Object.fromEntries(result.proposed.map((rule) => [rule.ruleId, rule]));
    expect(byId.strong!.proposed).toBeGreaterThan(40);
    expect(byId.strong!.proposed).toBeLessThan(100);
    expect(Math.abs(byId.noise!.proposed)).toBeLessThan(15);
    expect(byId.strong!.confidence).not.toBe('not_enough_data');
    expect(byId.strong!.margin).toBeGreaterThan(0);
    for (const rule of result.proposed) expect(Math.abs(rule.proposed)).toBeLessThan(100);
  });

  it('shrinks a rare rule that separates the labels instead of sending it to infinity', () => {
    const x = Array.from({ length: 200 }, (_, i) => [i < 25 ? 1 : 0]);
    const y = x.map((row, i) => (row[0] ? 1 : i % 5 === 0 ? 1 : 0));
    const model = fitLogistic(x, y);
    expect(model.weights[0]!).toBeGreaterThan(1);
    expect(model.weights[0]!).toBeLessThan(6);
    expect(model.standardErrors![0]!).toBeGreaterThan(0);
  });

  it('cross-validates: AUC from held-out folds, calibration buckets that cover every labelled visitor', () => {
    const examples = labelled();
    const result = learnProposal({ rules, hot: 70, examples, seed: 1 });
    expect(result.folds).toBe(5);
    expect(result.learnedAuc).toBeGreaterThan(0.7);
    expect(result.learnedAuc).toBeLessThan(0.85);
    expect(result.calibration.reduce((sum, bucket) => sum + bucket.visitors, 0)).toBe(examples.length);
    // A well-specified model: predicted and observed conversion agree bucket by bucket (60 visitors each: ±0.15).
    for (const bucket of result.calibration) expect(Math.abs(bucket.predicted - bucket.observed)).toBeLessThan(0.15);
    const predictedWins = result.calibration.reduce((sum, bucket) => sum + bucket.predicted * bucket.visitors, 0);
    expect(predictedWins / examples.length).toBeCloseTo(examples.filter((e) => e.y === 1).length / examples.length, 1);
  });

  it('buckets calibration by predicted chance, in order', () => {
    const buckets = calibration([0.1, 0.1, 0.9, 0.9], [0, 0, 1, 1]);
    expect(buckets).toEqual([
      { predicted: 0.1, observed: 0, visitors: 2 },
      { predicted: 0.9, observed: 1, visitors: 2 },
    ]);
  });
});

describe('proposing new rules', () => {
  // 2,000 labelled visitors with a total time on the site; winning depends on "time ≥ 300 s" (and on a
  // rule the site has), not on the noise condition. The candidates are what the service offers.
  function timeData(seed = 7) {
    let state = seed;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const examples: { x: number[]; y: 0 | 1 }[] = [];
    const seconds: number[] = [];
    const noise: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const time = Math.floor(random() * 900);
      const pricing = random() < 0.3 ? 1 : 0;
      const logit = -2.5 + (time >= 300 ? 2 : 0) + pricing * 1;
      examples.push({ x: [pricing], y: random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0 });
      seconds.push(time);
      noise.push(random() < 0.5 ? 1 : 0);
    }
    const at = (threshold: number) => seconds.map((s) => (s >= threshold ? 1 : 0));
    return {
      examples,
      candidates: [
        { condition: 'time ≥ 60', column: at(60) },
        { condition: 'time ≥ 300', column: at(300) },
        { condition: 'time ≥ 600', column: at(600) },
        { condition: 'noise', column: noise },
        // Met by nobody: never proposed, whatever the data.
        { condition: 'never', column: seconds.map(() => 0) },
      ],
    };
  }

  it('finds the threshold the outcomes follow, with points beside the proposed ones and a confidence', () => {
    const { examples, candidates } = timeData();
    const output = learnProposal({
      rules: [{ id: 'pricing', label: 'Pricing', points: 10 }],
      hot: 70,
      examples,
      seed: 1,
      candidates,
    });
    expect(output.newRules.length).toBeGreaterThan(0);
    const [strongest] = output.newRules;
    expect(strongest!.condition).toBe('time ≥ 300');
    expect(strongest!.points).toBeGreaterThan(output.proposed[0]!.proposed);
    expect(strongest!.labelledHits).toBe(candidates[1]!.column.filter((v) => v > 0).length);
    expect(['high', 'medium', 'low']).toContain(strongest!.confidence);
    expect(output.newRules.map((rule) => rule.condition)).not.toContain('noise');
    expect(output.newRules.map((rule) => rule.condition)).not.toContain('never');
  });

  it('proposes nothing when no candidate tells winners from losers', () => {
    const { examples, candidates } = timeData();
    const unrelated = candidates.filter((c) => c.condition === 'noise' || c.condition === 'never');
    const output = learnProposal({
      rules: [{ id: 'pricing', label: 'Pricing', points: 10 }],
      hot: 70,
      examples,
      seed: 1,
      candidates: unrelated,
    });
    expect(output.newRules).toEqual([]);
  });
});

describe('choosing by cross-validation', () => {
  /** Winning climbs in two steps of total time (≥ 120 s, ≥ 600 s); the candidates cut it every 60 s. */
  function steps(seed = 11) {
    let state = seed;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const seconds = Array.from({ length: 3000 }, () => Math.floor(random() * 1200));
    const examples = seconds.map((time) => {
      const logit = -3 + (time >= 120 ? 1.5 : 0) + (time >= 600 ? 1.5 : 0);
      return { x: [] as number[], y: random() < 1 / (1 + Math.exp(-logit)) ? (1 as const) : (0 as const) };
    });
    const candidates = Array.from({ length: 19 }, (_, i) => (i + 1) * 60).map((cut) => ({
      condition: cut,
      column: seconds.map((time) => (time >= cut ? 1 : 0)),
    }));
    const truth = seconds.map((time) => (time >= 120 ? 1 : 0) + (time >= 600 ? 1 : 0));
    return { examples, candidates, truth };
  }

  it('grades a total with several thresholds where one cut would not do, each worth its place out of sample', () => {
    const { examples, candidates, truth } = steps();
    const output = learnProposal({ rules: [], hot: 70, examples, seed: 1, candidates });
    const cuts = output.newRules.map((rule) => rule.condition).sort((a, b) => a - b);
    expect(cuts).toContain(120);
    expect(cuts).toContain(600);
    // Cross-validation stops before the noise between the steps: a few rules, not all nineteen.
    expect(cuts.length).toBeLessThanOrEqual(4);
    for (const rule of output.newRules.filter((r) => r.condition === 120 || r.condition === 600))
      expect(rule.points).toBeGreaterThan(0);
    // Held out, the thresholds rank about as well as the true steps do (and far better than no rule: 0.5).
    const ideal = auc(
      truth,
      examples.map((e) => e.y),
    );
    expect(output.newRulesAuc).toBeGreaterThan(ideal - 0.02);
    expect(output.learnedAuc).toBe(0.5);
  });

  it('chooses the L2 strength by held-out fit: weak where the labels are many and telling, strong on noise', () => {
    const { examples } = steps();
    const rules = Array.from({ length: 8 }, (_, j) => ({ id: `r${j}`, label: `R${j}`, points: 10 }));
    // Each rule a step of time, 3,000 labels: the data speak, the prior barely has to.
    const { candidates } = steps();
    const telling = examples.map((e, i) => ({ x: rules.map((_, j) => candidates[2 * j + 1]!.column[i]!), y: e.y }));
    const strong = learnProposal({ rules, hot: 70, examples: telling, seed: 1 });
    // The same rules hit at random, 120 labels: any weight is noise, the strongest prior predicts best.
    let state = 5;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const noise = Array.from({ length: 120 }, () => ({
      x: rules.map(() => (random() < 0.5 ? 1 : 0)),
      y: random() < 0.3 ? (1 as const) : (0 as const),
    }));
    const weak = learnProposal({ rules, hot: 70, examples: noise, seed: 1 });
    expect(l2Grid).toContain(strong.l2);
    expect(l2Grid).toContain(weak.l2);
    expect(strong.l2).toBeLessThanOrEqual(3);
    expect(weak.l2).toBe(Math.max(...l2Grid));
  });

  it('packs the input into typed arrays for the worker and unpacks it as it was', () => {
    const input = {
      rules: [
        { id: 'a', label: 'A', points: 1 },
        { id: 'b', label: 'B', points: 2 },
      ],
      hot: 70,
      seed: 3,
      examples: [
        { x: [1, 0], y: 1 as const },
        { x: [0, 3], y: 0 as const },
        { x: [2, 2], y: 0 as const },
      ],
      candidates: [{ condition: { kind: 'total' }, column: [1, 0, 1] }],
    };
    const packed = {
      rules: input.rules,
      hot: input.hot,
      seed: input.seed,
      features: 2,
      x: Float64Array.from(input.examples.flatMap((e) => e.x)),
      y: Uint8Array.from(input.examples.map((e) => e.y)),
      conditions: input.candidates.map((c) => c.condition),
      columns: Float64Array.from(input.candidates.flatMap((c) => c.column)),
    };
    expect(unpackLearnInput(structuredClone(packed))).toEqual(input);
  });
});
