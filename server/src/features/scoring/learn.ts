/**
 * The learner: L2-regularised logistic regression of won/lost on each labelled visitor's rule hit
 * counts, fitted by Newton's method, cross-validated, and turned into proposed rule points. Pure and
 * import-free, so it runs as it is inside the worker thread (`learn-worker.ts`). No library: the data are
 * a few thousand rows by ≤ 100 mostly-zero features, and the code below is easier to audit than one.
 */
export interface LogisticModel {
  intercept: number;
  weights: number[];
  /** Standard error of each weight (Laplace approximation: the inverse Hessian's diagonal at the fit). */
  standardErrors?: number[];
}

/**
 * The L2 strength when there is no choosing: a Gaussian prior of standard deviation 1 on each rule's
 * log-odds per hit. One hit then needs real evidence to move odds by more than ×2.7, while a few hundred
 * labelled hits are barely held back. Two labelled visitors (one won, one lost) leave a rule where it was.
 */
export const defaultL2 = 1;

/**
 * The strengths cross-validation chooses among (the one whose held-out folds predict best, by
 * log-likelihood). Never weaker than `defaultL2`: the weakest prior lets a strong rule's points run up
 * with wide margins, and a site with few labels would otherwise choose a fit only the folds' noise
 * favours. Stronger where the rules overlap or the labels are noisy (the benchmark's shop chose 3).
 */
export const l2Grid = [1, 3, 10, 30] as const;

/** A rule's points move only once this many labelled visitors hit it; below, "not enough data". */
export const minLabelledHits = 20;

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** Rows as (index, value) pairs of their non-zero counts: most visitors hit few rules. */
type SparseRow = { index: number[]; value: number[] };
const sparse = (x: readonly (readonly number[])[]): SparseRow[] =>
  x.map((row) => {
    const index: number[] = [];
    const value: number[] = [];
    row.forEach((v, j) => {
      if (v !== 0) {
        index.push(j);
        value.push(v);
      }
    });
    return { index, value };
  });

/** Cholesky factor of a symmetric positive-definite matrix (lower triangle), or null when it is not. */
function cholesky(a: number[][]): number[][] | null {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (sum <= 0) return null;
        l[i]![i] = Math.sqrt(sum);
      } else l[i]![j] = sum / l[j]![j]!;
    }
  }
  return l;
}

function solveCholesky(l: number[][], b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

/**
 * Maximises Σ log-likelihood − l2/2 · Σ w² (the intercept is not penalised) by Newton's method with
 * step halving. The penalty keeps the problem strictly convex, so it converges in a handful of steps
 * even when a rare rule separates the labels perfectly.
 */
export function fitLogistic(
  x: readonly (readonly number[])[],
  y: readonly number[],
  {
    l2 = defaultL2,
    maxIterations = 50,
    withErrors = true,
  }: { l2?: number; maxIterations?: number; withErrors?: boolean } = {},
): LogisticModel {
  const features = x[0]?.length ?? 0;
  const size = features + 1; // index 0 is the intercept
  const rows = sparse(x);
  const beta = new Array<number>(size).fill(0);
  const logitOf = (b: readonly number[], row: SparseRow) =>
    row.index.reduce((sum, j, k) => sum + b[j + 1]! * row.value[k]!, b[0]!);
  const loss = (b: readonly number[]) =>
    rows.reduce((sum, row, i) => {
      const z = logitOf(b, row);
      return sum + softplus(z) - y[i]! * z;
    }, 0) +
    (l2 / 2) * b.reduce((sum, w, j) => (j === 0 ? sum : sum + w * w), 0);
  const hessianAt = (b: readonly number[]) => {
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    rows.forEach((row, i) => {
      const p = sigmoid(logitOf(b, row));
      const error = p - y[i]!;
      const weight = p * (1 - p);
      gradient[0]! += error;
      hessian[0]![0]! += weight;
      row.index.forEach((j, a) => {
        const va = row.value[a]!;
        gradient[j + 1]! += error * va;
        hessian[j + 1]![0]! += weight * va;
        for (let c = 0; c <= a; c++) hessian[j + 1]![row.index[c]! + 1]! += weight * va * row.value[c]!;
      });
    });
    for (let j = 1; j < size; j++) {
      gradient[j]! += l2 * b[j]!;
      hessian[j]![j]! += l2;
    }
    hessian[0]![0]! += 1e-9; // all labels one way: the intercept alone would have no curvature
    for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) hessian[i]![j] = hessian[j]![i]!;
    return { gradient, hessian };
  };

  let current = loss(beta);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const { gradient, hessian } = hessianAt(beta);
    const factor = cholesky(hessian);
    if (!factor) break;
    const step = solveCholesky(factor, gradient);
    let scale = 1;
    let next = beta.map((b, j) => b - step[j]!);
    let nextLoss = loss(next);
    while (nextLoss > current && scale > 1e-4) {
      scale /= 2;
      next = beta.map((b, j) => b - scale * step[j]!);
      nextLoss = loss(next);
    }
    if (nextLoss > current) break;
    const moved = Math.max(...next.map((b, j) => Math.abs(b - beta[j]!)));
    beta.splice(0, size, ...next);
    current = nextLoss;
    if (moved < 1e-7) break;
  }
  // Cross-validation folds only predict: their standard errors (a solve per weight) are not worked out.
  if (!withErrors) return { intercept: beta[0]!, weights: beta.slice(1) };
  const factor = cholesky(hessianAt(beta).hessian);
  const standardErrors = Array.from({ length: features }, (_, j) => {
    if (!factor) return Number.POSITIVE_INFINITY;
    const unit = new Array<number>(size).fill(0);
    unit[j + 1] = 1;
    return Math.sqrt(Math.max(0, solveCholesky(factor, unit)[j + 1]!));
  });
  return { intercept: beta[0]!, weights: beta.slice(1), standardErrors };
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
    for (let k = i; k < j; k++)
      if (pairs[k]!.label === 1) {
        rankSumPositive += averageRank;
        positives++;
      }
    i = j;
  }
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A seeded shuffle (mulberry32), so the folds are the same on every run for the same data. */
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
 * Log-odds → points: points = weight × k, with k chosen so that a visitor at the hot threshold has even
 * odds of winning (intercept + hot / k = 0) — or, when `topSpan` is given, so that the hot threshold sits
 * where the top of the labelled visitors begins (`topSpan`: the model's log-odds above the intercept at
 * that quantile), whichever comes first. On a site where few visitors ever reach even odds (a shop
 * converting 3 %), the first rule alone would leave nobody hot; hot is meant to be the top of the
 * distribution, not nobody and not most. The intercept is held to at most −ln 4: when most labelled
 * visitors won, even odds are reached with no hit at all, and the scale would blow small weights up to
 * the bounds. ±100 remains a hard bound for the editor.
 */
export function weightsToPoints(
  model: Pick<LogisticModel, 'intercept' | 'weights'>,
  hot: number,
  topSpan?: number,
): number[] {
  const k = pointsPerLogOdds(model.intercept, hot, topSpan);
  return model.weights.map((weight) => Math.max(-100, Math.min(100, Math.round(weight * k))));
}

export const pointsPerLogOdds = (intercept: number, hot: number, topSpan?: number) => {
  const toEvenOdds = Math.max(-intercept, Math.log(4));
  return hot / (topSpan !== undefined && topSpan > 0.05 ? Math.min(toEvenOdds, topSpan) : toEvenOdds);
};

/** The share of labelled visitors the learnt scale makes hot at most (see `weightsToPoints`). */
export const hotTopShare = 0.2;

/** The model's log-odds above its intercept at the `1 − share` quantile of the rows. */
export function topSpanOf(
  model: Pick<LogisticModel, 'intercept' | 'weights'>,
  x: readonly (readonly number[])[],
  share = hotTopShare,
): number {
  const spans = x.map((row) => row.reduce((sum, value, j) => sum + value * model.weights[j]!, 0)).sort((a, b) => a - b);
  return spans.length ? spans[Math.min(spans.length - 1, Math.floor((1 - share) * spans.length))]! : 0;
}

/**
 * A condition the site has no rule for, offered to the learner: whether each labelled visitor meets it
 * (0 / 1, in `examples` order). `condition` is carried through untouched (the learner is import-free).
 */
export interface LearnCandidate<Condition = unknown> {
  condition: Condition;
  column: readonly number[];
}

export interface LearnInput<Condition = unknown> {
  rules: readonly { id: string; label: string; points: number }[];
  hot: number;
  /** Each labelled visitor's hit count per rule (in `rules` order) and outcome (1 won). */
  examples: readonly { x: readonly number[]; y: 0 | 1 }[];
  seed: number;
  folds?: number;
  candidates?: readonly LearnCandidate<Condition>[];
}

/**
 * The learner's input as it crosses into the worker thread: the counts as flat typed arrays whose buffers
 * are moved, not copied (a structured clone of 10,000 nested arrays is work the event loop would do).
 * `x` holds each labelled visitor's counts row by row (`features` a row), `columns` each candidate's
 * column one after the other (`y.length` a column).
 */
export interface PackedLearnInput<Condition = unknown> {
  rules: LearnInput['rules'];
  hot: number;
  seed: number;
  folds?: number;
  features: number;
  x: Float64Array;
  y: Uint8Array;
  conditions: Condition[];
  columns: Float64Array;
}

/** Unpacks what `PackedLearnInput` carried (in the worker). */
export function unpackLearnInput<Condition>(packed: PackedLearnInput<Condition>): LearnInput<Condition> {
  const { features, x, y, columns } = packed;
  const rows = y.length;
  return {
    rules: packed.rules,
    hot: packed.hot,
    seed: packed.seed,
    ...(packed.folds === undefined ? {} : { folds: packed.folds }),
    examples: Array.from({ length: rows }, (_, i) => ({
      x: Array.from(x.subarray(i * features, (i + 1) * features)),
      y: y[i] === 1 ? (1 as const) : (0 as const),
    })),
    candidates: packed.conditions.map((condition, c) => ({
      condition,
      column: Array.from(columns.subarray(c * rows, (c + 1) * rows)),
    })),
  };
}

/** A new rule the fit found worth adding: its condition, points on the proposal's scale, and the evidence. */
export interface ProposedNewRule<Condition = unknown> {
  condition: Condition;
  points: number;
  labelledHits: number;
  wonHits: number;
  confidence: Exclude<RuleConfidence, 'not_enough_data' | 'no_contrast'>;
  margin: number;
}

/**
 * At most this many new rules are proposed at once; each must pass a score test at p < 0.001 (χ², 1 df).
 * Several thresholds of one total may be chosen: together they grade it ("≥ 2 min", "≥ 10 min",
 * "≥ 30 min" step the points up as time grows), which a single cut cannot.
 */
export const maxNewRules = 8;
export const newRuleMinScore = 10.83;

/**
 * The Rao score statistic of adding `column` to a fitted model: the squared gradient of the log-likelihood
 * in the new weight at zero, over its variance given the weights already there (the efficient information
 * I_cc − I_cb I_bb⁻¹ I_bc, with the same L2 as the fit). Cheap: no refit per candidate, one solve.
 */
function scoreStatistic(
  rows: readonly SparseRow[],
  probabilities: readonly number[],
  y: readonly number[],
  factor: number[][],
  column: readonly number[],
  l2: number,
): number {
  const size = factor.length;
  const cross = new Array<number>(size).fill(0);
  let gradient = 0;
  let information = l2;
  rows.forEach((row, i) => {
    const c = column[i]!;
    if (c === 0) return;
    const p = probabilities[i]!;
    const w = p * (1 - p);
    gradient += (y[i]! - p) * c;
    information += w * c * c;
    cross[0]! += w * c;
    row.index.forEach((j, k) => {
      cross[j + 1]! += w * c * row.value[k]!;
    });
  });
  const solved = solveCholesky(factor, cross);
  const variance = information - cross.reduce((sum, v, j) => sum + v * solved[j]!, 0);
  return variance > 1e-9 ? (gradient * gradient) / variance : 0;
}

/** The Cholesky factor of the penalised log-likelihood's Hessian at a fitted model (intercept first). */
function informationFactor(rows: readonly SparseRow[], probabilities: readonly number[], features: number, l2: number) {
  const size = features + 1;
  const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  rows.forEach((row, i) => {
    const p = probabilities[i]!;
    const w = p * (1 - p);
    hessian[0]![0]! += w;
    row.index.forEach((j, a) => {
      const va = row.value[a]!;
      hessian[j + 1]![0]! += w * va;
      for (let c = 0; c <= a; c++) hessian[j + 1]![row.index[c]! + 1]! += w * va * row.value[c]!;
    });
  });
  for (let j = 1; j < size; j++) hessian[j]![j]! += l2;
  hessian[0]![0]! += 1e-9;
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) hessian[i]![j] = hessian[j]![i]!;
  return cholesky(hessian);
}

/** One step of forward selection: the candidates chosen so far and the model fitted with them. */
export interface SelectionStep {
  chosen: number[];
  model: LogisticModel;
}

/**
 * Forward selection of new rules among the candidates: at each step the candidate with the largest score
 * statistic joins the model (if it passes `newRuleMinScore` and has at least `minLabelledHits` labelled
 * visitors on each side), then the model is refitted; at most `limit`. Returns the chosen candidates'
 * indexes, the model fitted with them (their weights after the base features') and the whole path (step
 * 0: no new rule), which cross-validation reads to decide how many new rules are worth proposing.
 */
export function selectNewRules(
  base: readonly (readonly number[])[],
  y: readonly number[],
  candidates: readonly LearnCandidate[],
  l2 = defaultL2,
  limit = maxNewRules,
  withErrors = true,
): SelectionStep & { path: SelectionStep[] } {
  const chosen: number[] = [];
  const design = (row: number) => [...base[row]!, ...chosen.map((c) => candidates[c]!.column[row]!)];
  let x = base.map((_, i) => design(i));
  let model = fitLogistic(x, y, { l2, withErrors: false });
  const path: SelectionStep[] = [{ chosen: [], model }];
  const eligible = candidates.map((candidate) => {
    const hits = candidate.column.filter((v) => v > 0).length;
    return hits >= minLabelledHits && y.length - hits >= minLabelledHits;
  });
  for (let step = 0; step < limit; step++) {
    const rows = sparse(x);
    const probabilities = x.map((row) => sigmoid(predictLogit(model, row)));
    const factor = informationFactor(rows, probabilities, x[0]?.length ?? 0, l2);
    if (!factor) break;
    let best = -1;
    let bestScore = newRuleMinScore;
    candidates.forEach((candidate, c) => {
      if (!eligible[c] || chosen.includes(c)) return;
      const score = scoreStatistic(rows, probabilities, y, factor, candidate.column, l2);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    });
    if (best < 0) break;
    chosen.push(best);
    x = base.map((_, i) => design(i));
    model = fitLogistic(x, y, { l2, withErrors: false });
    path.push({ chosen: [...chosen], model });
  }
  // The chosen model's standard errors give the proposed rules their confidence.
  if (withErrors) model = fitLogistic(x, y, { l2 });
  return { chosen, model, path };
}

export type RuleConfidence = 'high' | 'medium' | 'low' | 'not_enough_data' | 'no_contrast';

export interface LearnedRule {
  ruleId: string;
  label: string;
  current: number;
  proposed: number;
  /** Labelled visitors who hit the rule, and how many of them won. */
  labelledHits: number;
  wonHits: number;
  /** `no_contrast`: every labelled visitor hit it alike, so it cannot tell winners from losers. */
  confidence: RuleConfidence;
  /** Half-width of the 95 % interval around `proposed`, in points (absent: not enough data). */
  margin?: number;
}

export interface CalibrationBucket {
  /** Mean predicted chance of winning in the bucket, and the share that won (out-of-fold predictions). */
  predicted: number;
  observed: number;
  visitors: number;
}

export interface LearnOutput<Condition = unknown> {
  folds: number;
  currentAuc: number;
  learnedAuc: number;
  calibration: CalibrationBucket[];
  proposed: LearnedRule[];
  /** New rules found among the candidates, strongest first (empty when none earns its place). */
  newRules: ProposedNewRule<Condition>[];
  /** The L2 strength cross-validation chose (see `l2Grid`). */
  l2: number;
  /**
   * Cross-validated AUC with the new rules added (their selection repeated inside each fold, so the
   * held-out visitors chose nothing); absent when no new rule is proposed.
   */
  newRulesAuc?: number;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The margin that earns each confidence: how far the true points could plausibly be from the proposal. */
export function confidenceOf(marginPoints: number): Exclude<RuleConfidence, 'not_enough_data' | 'no_contrast'> {
  return marginPoints <= 10 ? 'high' : marginPoints <= 25 ? 'medium' : 'low';
}

/**
 * Stratified k-fold assignment: won and lost visitors are dealt round the folds separately, so each
 * held-out fold has both and its AUC is defined.
 */
function foldsOf(examples: LearnInput['examples'], folds: number, seed: number): number[] {
  const fold = new Array<number>(examples.length).fill(0);
  for (const label of [0, 1]) {
    const indexes = seededShuffle(
      examples.flatMap((e, i) => (e.y === label ? [i] : [])),
      seed + label,
    );
    indexes.forEach((index, position) => (fold[index] = position % folds));
  }
  return fold;
}

/** Predicted vs observed conversion by bucket of equal size (at most 10, about 30 visitors or more each). */
export function calibration(probabilities: readonly number[], labels: readonly number[]): CalibrationBucket[] {
  const order = probabilities.map((p, i) => ({ p, y: labels[i]! })).sort((a, b) => a.p - b.p);
  const buckets = Math.max(2, Math.min(10, Math.floor(order.length / 30)));
  const result: CalibrationBucket[] = [];
  for (let b = 0; b < buckets; b++) {
    const slice = order.slice(Math.floor((b * order.length) / buckets), Math.floor(((b + 1) * order.length) / buckets));
    if (slice.length === 0) continue;
    result.push({
      predicted: round3(slice.reduce((sum, e) => sum + e.p, 0) / slice.length),
      observed: round3(slice.reduce((sum, e) => sum + e.y, 0) / slice.length),
      visitors: slice.length,
    });
  }
  return result;
}

const logLikelihood = (logit: number, y: number) => y * logit - softplus(logit);

/** Held-out predictions of k-fold cross-validation with one L2: each visitor's logit, log-likelihood and the folds' AUC. */
function crossValidate(
  x: readonly (readonly number[])[],
  labels: readonly number[],
  foldOf: readonly number[],
  k: number,
  l2: number,
) {
  const outOfFold = new Array<number>(x.length).fill(0);
  let aucSum = 0;
  for (let f = 0; f < k; f++) {
    const train = x.flatMap((_, i) => (foldOf[i] !== f ? [i] : []));
    const model = fitLogistic(
      train.map((i) => x[i]!),
      train.map((i) => labels[i]!),
      { l2, withErrors: false },
    );
    const held = x.flatMap((_, i) => (foldOf[i] === f ? [i] : []));
    for (const i of held) outOfFold[i] = predictLogit(model, x[i]!);
    aucSum +=
      auc(
        held.map((i) => outOfFold[i]!),
        held.map((i) => labels[i]!),
      ) * held.length;
  }
  const likelihood = outOfFold.reduce((sum, logit, i) => sum + logLikelihood(logit, labels[i]!), 0);
  return { outOfFold, likelihood, auc: aucSum / x.length };
}

/**
 * How many new rules to propose, by cross-validation: forward selection is run inside each fold (on its
 * training visitors only) and every length of its path is scored on the held-out visitors; the length
 * whose held-out log-likelihood is best wins (the shorter on a tie), with its cross-validated AUC.
 */
function newRulesByCrossValidation(
  base: readonly (readonly number[])[],
  labels: readonly number[],
  candidates: readonly LearnCandidate[],
  foldOf: readonly number[],
  k: number,
  l2: number,
): { count: number; auc: number } {
  const likelihood = new Array<number>(maxNewRules + 1).fill(0);
  const aucSum = new Array<number>(maxNewRules + 1).fill(0);
  for (let f = 0; f < k; f++) {
    const train = base.flatMap((_, i) => (foldOf[i] !== f ? [i] : []));
    const held = base.flatMap((_, i) => (foldOf[i] === f ? [i] : []));
    const { path } = selectNewRules(
      train.map((i) => base[i]!),
      train.map((i) => labels[i]!),
      candidates.map((candidate) => ({ ...candidate, column: train.map((i) => candidate.column[i]!) })),
      l2,
      maxNewRules,
      false,
    );
    for (let length = 0; length <= maxNewRules; length++) {
      // A fold whose selection stopped early keeps its last model for the longer lengths.
      const step = path[Math.min(length, path.length - 1)]!;
      const logits = held.map((i) =>
        predictLogit(step.model, [...base[i]!, ...step.chosen.map((c) => candidates[c]!.column[i]!)]),
      );
      likelihood[length]! += logits.reduce((sum, logit, h) => sum + logLikelihood(logit, labels[held[h]!]!), 0);
      aucSum[length]! +=
        auc(
          logits,
          held.map((i) => labels[i]!),
        ) * held.length;
    }
  }
  const count = likelihood.reduce((best, value, length) => (value > likelihood[best]! + 1e-9 ? length : best), 0);
  return { count, auc: aucSum[count]! / base.length };
}

/**
 * The whole learning step, from labelled rule counts to a proposal: rules hit by fewer than
 * `minLabelledHits` labelled visitors (or hit the same number of times by all) are left out of the fit
 * and keep their points; the rest are fitted with L2, its strength chosen among `l2Grid` by k-fold
 * cross-validation (held-out log-likelihood); the AUC and calibration come from the same held-out
 * predictions (each visitor predicted by a model that never saw them); the proposed points come from one
 * fit on all labelled visitors, each with a confidence from its weight's standard error. New rules are
 * chosen among the candidates by forward selection, as many as cross-validation finds worth it.
 */
export function learnProposal<Condition>({
  rules,
  hot,
  examples,
  seed,
  folds = 5,
  candidates = [],
}: LearnInput<Condition>): LearnOutput<Condition> {
  const labelledHits = rules.map((_, j) => examples.filter((e) => e.x[j]! > 0).length);
  const wonHits = rules.map((_, j) => examples.filter((e) => e.x[j]! > 0 && e.y === 1).length);
  const enough = rules.map((_, j) => labelledHits[j]! >= minLabelledHits);
  // A rule every labelled visitor hit the same number of times cannot tell winners from losers.
  const contrast = rules.map((_, j) => new Set(examples.map((e) => e.x[j])).size > 1);
  const used = rules.flatMap((_, j) => (enough[j] && contrast[j] ? [j] : []));
  const base = examples.map((e) => used.map((j) => e.x[j]!));
  const labels = examples.map((e) => e.y);

  const k = Math.max(2, Math.min(folds, ...[0, 1].map((label) => labels.filter((y) => y === label).length)));
  const foldOf = foldsOf(examples, k, seed);
  // The AUC is averaged over folds (weighted by size): pooling every fold's scores would mix models
  // whose intercepts differ and rank ties of one rule set apart by chance.
  const validated = l2Grid
    .map((l2) => ({ l2, ...crossValidate(base, labels, foldOf, k, l2) }))
    .reduce((best, next) => (next.likelihood > best.likelihood ? next : best));
  const l2 = validated.l2;
  const currentScores = examples.map((e) => e.x.reduce((sum, count, j) => sum + count * rules[j]!.points, 0));

  const model = fitLogistic(base, labels, { l2 });
  const topSpan = topSpanOf(model, base);
  const scale = pointsPerLogOdds(model.intercept, hot, topSpan);
  const points = weightsToPoints(model, hot, topSpan);
  const proposed = rules.map((rule, j): LearnedRule => {
    const common = {
      ruleId: rule.id,
      label: rule.label,
      current: rule.points,
      labelledHits: labelledHits[j]!,
      wonHits: wonHits[j]!,
    };
    const u = used.indexOf(j);
    if (u < 0) return { ...common, proposed: rule.points, confidence: enough[j] ? 'no_contrast' : 'not_enough_data' };
    const margin = Math.round(1.96 * model.standardErrors![u]! * scale);
    return { ...common, proposed: points[u]!, confidence: confidenceOf(margin), margin };
  });
  // New rules: as many as cross-validation finds worth it, chosen by a score test against the model above,
  // their points from the model refitted with them, on the same scale as the existing rules' proposals
  // (so accepting one fits in beside them).
  const worth = candidates.length ? newRulesByCrossValidation(base, labels, candidates, foldOf, k, l2) : null;
  const selection = worth?.count
    ? selectNewRules(base, labels, candidates, l2, worth.count)
    : { chosen: [] as number[], model };
  const newRules = selection.chosen.flatMap((c, position): ProposedNewRule<Condition>[] => {
    const candidate = candidates[c]!;
    const weight = selection.model.weights[used.length + position]!;
    const margin = Math.round(1.96 * selection.model.standardErrors![used.length + position]! * scale);
    const points = Math.max(-100, Math.min(100, Math.round(weight * scale)));
    // Significant but worth no whole point on this scale: nothing to add.
    if (points === 0) return [];
    return [
      {
        condition: candidate.condition,
        points,
        labelledHits: candidate.column.filter((v) => v > 0).length,
        wonHits: candidate.column.filter((v, i) => v > 0 && labels[i] === 1).length,
        confidence: confidenceOf(margin),
        margin,
      },
    ];
  });
  return {
    newRules,
    folds: k,
    l2,
    currentAuc: round3(auc(currentScores, labels)),
    learnedAuc: round3(validated.auc),
    ...(newRules.length && worth ? { newRulesAuc: round3(worth.auc) } : {}),
    calibration: calibration(validated.outOfFold.map(sigmoid), labels),
    proposed,
  };
}
