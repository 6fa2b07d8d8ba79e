// The training loop: mini-batch AdaGrad on the softmax cross-entropy. AdaGrad (per-feature
// adaptive SGD) rather than plain SGD or Adam because hashed n-gram features are sparse and
// heavy-tailed: rare, telling n-grams keep a large step while frequent ones settle, and its
// update touches only the rows a batch used (Adam's moments would need a dense sweep per step).
// Weights start at zero — the loss is convex, so random init would add noise, not quality —
// and the seed drives the per-epoch shuffles, so one seed gives one loss curve.
//
// Against memorising the training data (generated sample data is the usual case, and a model
// that recites its templates fails on real text): an L2 penalty, applied lazily to the rows a
// batch touches (the standard sparse approximation), per-class example weights, and early
// stopping — after every epoch the full validation loss is measured and the epoch with the
// lowest one is what `train` returns.
import { emptyClassifier, softmaxInPlace, type Classifier } from './classifier';
import { BUCKET_MASK, DIM, GROUP_SHIFT, GROUPS, type FeatureMatrix } from './features';
import { createRng, shuffleInPlace } from '../prng';
import type { CheckpointMetrics, StepMetrics } from './types';

export interface LabeledSet {
  x: FeatureMatrix;
  /** Class index per row; -1 for a label the model does not know (counts as an error). */
  y: Int32Array;
}

export interface TrainOptions {
  labels: string[];
  epochs: number;
  batchSize: number;
  learningRateMultiplier: number;
  seed: number;
  train: LabeledSet;
  valid?: LabeledSet;
  /** L2 penalty per weight (0 = none). */
  l2?: number;
  /** Starting weights, and the point the L2 penalty pulls toward (default: all 0). */
  prior?: readonly { bucket: number; k: number; weight: number }[];
  /** Loss weight of each class's examples (default 1 each). */
  classWeights?: Float64Array;
}

export interface TrainResult {
  /** The weights of the epoch with the lowest validation loss (the last epoch without one). */
  model: Classifier;
  bestEpoch: number;
  bestStep: number;
}

export interface TrainCallbacks {
  onMetrics(m: StepMetrics, totalSteps: number): void;
  onCheckpoint(epoch: number, step: number, model: Classifier, metrics: CheckpointMetrics): void;
}

/** AdaGrad's base step; tuned on the synthetic SMS data for 60 to 100k examples. */
export const BASE_LEARNING_RATE = 0.1;
/** At most this many metric points per job, so 100k examples do not log 100k events. */
export const MAX_METRIC_POINTS = 200;
/** Validation examples scored at every metric point (the whole set is scored per epoch). */
const VALID_SAMPLE = 256;
const EPS = 1e-12;

export function stepsPerEpoch(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

/** Logits of row r of a packed feature matrix into z; returns the row's entries (from x.store.offset). */
function rowLogits(model: Classifier, x: FeatureMatrix, r: number, z: Float64Array): Int32Array {
  const K = model.labels.length;
  const w = model.weights;
  const feats = x.store.row(x.block[r], x.start[r], x.length[r]);
  const scales = x.scales;
  const s0 = r * GROUPS;
  for (let k = 0; k < K; k++) z[k] = model.bias[k];
  for (let j = x.store.offset, end = j + x.length[r]; j < end; j++) {
    const p = feats[j];
    const base = (p & BUCKET_MASK) * K;
    const v = scales[s0 + (p >>> GROUP_SHIFT)];
    for (let k = 0; k < K; k++) z[k] += w[base + k] * v;
  }
  return feats;
}

/** Mean loss and accuracy of `model` over rows `rows` (all rows when omitted). */
export function evaluate(model: Classifier, set: LabeledSet, rows?: Int32Array): { loss: number; accuracy: number } {
  const K = model.labels.length;
  const z = new Float64Array(K);
  const n = rows ? rows.length : set.x.rows;
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : i;
    rowLogits(model, set.x, r, z);
    softmaxInPlace(z, K);
    const y = set.y[r];
    let best = 0;
    for (let k = 1; k < K; k++) if (z[k] > z[best]) best = k;
    if (best === y) correct++;
    loss += -Math.log(y >= 0 ? Math.max(z[y], EPS) : EPS);
  }
  return n ? { loss: loss / n, accuracy: correct / n } : { loss: 0, accuracy: 0 };
}

/** Raw logits (rows × K, row-major) of every row of a set. */
export function logitsOf(model: Classifier, set: LabeledSet): Float64Array {
  const K = model.labels.length;
  const out = new Float64Array(set.x.rows * K);
  const z = new Float64Array(K);
  for (let r = 0; r < set.x.rows; r++) {
    rowLogits(model, set.x, r, z);
    out.set(z, r * K);
  }
  return out;
}

function copyModel(m: Classifier): Classifier {
  return { labels: m.labels, weights: m.weights.slice(), bias: m.bias.slice() };
}

export function train(opts: TrainOptions, cb: TrainCallbacks): TrainResult {
  const { labels, epochs, batchSize, seed } = opts;
  const { x, y } = opts.train;
  const { length: rowLength, scales } = x;
  const K = labels.length;
  const model = emptyClassifier(labels);
  const W = model.weights;
  const lr = BASE_LEARNING_RATE * opts.learningRateMultiplier;
  const l2 = opts.l2 ?? 0;
  const cw = opts.classWeights ?? new Float64Array(K).fill(1);
  // The prior as a sparse dense-indexed map: P[i] is where weight i starts and is pulled to.
  const P = new Float32Array(opts.prior?.length ? DIM * K : 0);
  for (const p of opts.prior ?? []) P[p.bucket * K + p.k] += p.weight;
  if (P.length) W.set(P);
  let best: TrainResult | null = null;
  let bestLoss = Infinity;

  // AdaGrad state and a sparse gradient accumulator (touched rows are listed, then cleared).
  const H = new Float32Array(DIM * K);
  const G = new Float64Array(DIM * K);
  const Hb = new Float64Array(K);
  const Gb = new Float64Array(K);
  const touched = new Int32Array(DIM);
  const isTouched = new Uint8Array(DIM);
  const z = new Float64Array(K);

  const rng = createRng(seed);
  const order = new Int32Array(x.rows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const perEpoch = stepsPerEpoch(x.rows, batchSize);
  const totalSteps = perEpoch * epochs;
  const logEvery = Math.max(1, Math.ceil(totalSteps / MAX_METRIC_POINTS));

  let validSample: Int32Array | undefined;
  if (opts.valid && opts.valid.x.rows) {
    const all = new Int32Array(opts.valid.x.rows);
    for (let i = 0; i < all.length; i++) all[i] = i;
    shuffleInPlace(all, createRng(seed ^ 0x5bd1e995));
    validSample = all.subarray(0, Math.min(VALID_SAMPLE, all.length));
  }

  let step = 0;
  let windowLoss = 0;
  let windowCorrect = 0;
  let windowN = 0;
  let last: StepMetrics = { step: 0, train_loss: 0, train_accuracy: 0, valid_loss: null, valid_mean_token_accuracy: null };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (let start = 0; start < order.length; start += batchSize) {
      const end = Math.min(order.length, start + batchSize);
      let nTouched = 0;
      for (let b = start; b < end; b++) {
        const r = order[b];
        // The row is read once (from memory or the feature file) for both the logits and the gradient.
        const feats = rowLogits(model, x, r, z);
        const from = x.store.offset;
        softmaxInPlace(z, K);
        const yr = y[r];
        let best = 0;
        for (let k = 1; k < K; k++) if (z[k] > z[best]) best = k;
        if (best === yr) windowCorrect++;
        windowLoss += -Math.log(Math.max(z[yr], EPS));
        windowN++;
        // ∂loss/∂logit_k = w_y (p_k − [k = y])
        z[yr] -= 1;
        const wy = cw[yr];
        for (let k = 0; k < K; k++) z[k] *= wy;
        for (let k = 0; k < K; k++) Gb[k] += z[k];
        const s0 = r * GROUPS;
        for (let j = from, to = j + rowLength[r]; j < to; j++) {
          const p = feats[j];
          const f = p & BUCKET_MASK;
          const v = scales[s0 + (p >>> GROUP_SHIFT)];
          if (!isTouched[f]) {
            isTouched[f] = 1;
            touched[nTouched++] = f;
          }
          const base = f * K;
          for (let k = 0; k < K; k++) G[base + k] += z[k] * v;
        }
      }
      const inv = 1 / (end - start);
      for (let t = 0; t < nTouched; t++) {
        const f = touched[t];
        isTouched[f] = 0;
        const base = f * K;
        for (let k = 0; k < K; k++) {
          const g0 = G[base + k] * inv;
          G[base + k] = 0;
          const g = g0 + l2 * (P.length ? W[base + k] - P[base + k] : W[base + k]);
          if (g === 0) continue;
          const h = (H[base + k] += g * g);
          W[base + k] -= (lr * g) / (Math.sqrt(h) + 1e-8);
        }
      }
      for (let k = 0; k < K; k++) {
        const g = Gb[k] * inv;
        Gb[k] = 0;
        if (g === 0) continue;
        Hb[k] += g * g;
        model.bias[k] -= (lr * g) / (Math.sqrt(Hb[k]) + 1e-8);
      }
      step++;

      if (step % logEvery === 0 || step === totalSteps) {
        // Averaged over the steps since the last point: at ≤200 points per job a single batch
        // would be a noisy sample of the curve.
        last = { step, train_loss: windowLoss / windowN, train_accuracy: windowCorrect / windowN, valid_loss: null, valid_mean_token_accuracy: null };
        if (validSample && opts.valid) {
          const v = evaluate(model, opts.valid, validSample);
          last.valid_loss = v.loss;
          last.valid_mean_token_accuracy = v.accuracy;
        }
        windowLoss = windowCorrect = windowN = 0;
        cb.onMetrics(last, totalSteps);
      }
    }

    const metrics: CheckpointMetrics = { step, train_loss: last.train_loss, train_mean_token_accuracy: last.train_accuracy };
    if (opts.valid && opts.valid.x.rows) {
      if (last.valid_loss !== null && last.valid_mean_token_accuracy !== null) {
        metrics.valid_loss = last.valid_loss;
        metrics.valid_mean_token_accuracy = last.valid_mean_token_accuracy;
      }
      const full = evaluate(model, opts.valid);
      metrics.full_valid_loss = full.loss;
      metrics.full_valid_mean_token_accuracy = full.accuracy;
      if (full.loss < bestLoss) {
        bestLoss = full.loss;
        best = { model: copyModel(model), bestEpoch: epoch, bestStep: step };
      }
    }
    cb.onCheckpoint(epoch, step, model, metrics);
  }
  return best ?? { model, bestEpoch: epochs, bestStep: step };
}
