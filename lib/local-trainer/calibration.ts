// Calibrated confidences. A classifier trained with class weights and early stopping is not
// calibrated: its probabilities are too sharp on words it memorised and tilted toward the
// classes it was told to weigh up. The Studio acts on a prediction only when its confidence
// reaches a threshold (0.7), so "0.8" has to mean right 8 times in 10. Bias-corrected
// temperature scaling (Alexandari et al., 2020): softmax(z / T + b), with T and b fit by
// maximum likelihood on held-out examples. One temperature cannot reorder the classes of an
// example, and b (K − 1 free numbers) only undoes the prior shift the class weights introduced,
// so the fit needs little data and cannot overfit the way a per-class matrix would.
//
// The fit is baked into the weights (W / T, bias / T + b): a stored model's probabilities are
// already calibrated and inference is unchanged.
import type { Classifier } from './classifier';

export interface Calibration {
  temperature: number;
  bias: number[];
}

export const IDENTITY_CALIBRATION = (k: number): Calibration => ({ temperature: 1, bias: new Array(k).fill(0) });

const MIN_T = 0.05;
const MAX_T = 20;
/** A weak pull of b toward 0, so a class absent from the held-out set does not get −∞. */
const BIAS_L2 = 1e-3;
/**
 * A Gaussian prior on b, counted once for the whole held-out set (so its pull per example
 * shrinks as the set grows): σ = 1/√(2·BIAS_PRIOR) = 0.5 logit, the size of the shift the class
 * weights introduce (fit.ts: √(share ratio), ~0.4 logit for a 50/22 mix). Without it, 25
 * held-out turns — a few conversations, what a small hand-labeled dataset holds out — moved a
 * class by a whole logit on noise (measured: END −1.06 on one two-fold half of golden).
 */
const BIAS_PRIOR = 2;

/** Mean negative log-likelihood of labels y under softmax(logits / T + b), and its gradient. */
function nll(logits: Float64Array, y: Int32Array, K: number, logT: number, b: Float64Array, grad: Float64Array | null): number {
  const n = y.length;
  const invT = Math.exp(-logT);
  const z = new Float64Array(K);
  let loss = 0;
  if (grad) grad.fill(0);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      z[k] = logits[i * K + k] * invT + b[k];
      if (z[k] > max) max = z[k];
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k] - max);
    const yi = y[i];
    loss -= Math.log(Math.max(z[yi] / sum, 1e-300));
    if (!grad) continue;
    // ∂/∂z_k = p_k − [k = y]; z_k = l_k e^{−logT} + b_k ⇒ ∂z_k/∂logT = −l_k e^{−logT}.
    for (let k = 0; k < K; k++) {
      const g = z[k] / sum - (k === yi ? 1 : 0);
      grad[k] += g;
      grad[K] -= g * logits[i * K + k] * invT;
    }
  }
  let reg = 0;
  for (let k = 0; k < K; k++) reg += b[k] * b[k];
  const lambda = BIAS_L2 + BIAS_PRIOR / n;
  if (grad) {
    for (let k = 0; k <= K; k++) grad[k] /= n;
    for (let k = 0; k < K; k++) grad[k] += 2 * lambda * b[k];
  }
  return loss / n + lambda * reg;
}

/**
 * Fits T and b to held-out logits (n × K, row-major) and labels (class ids; −1 rows are
 * ignored). Deterministic: gradient descent with backtracking from T = 1, b = 0.
 */
export function fitCalibration(logitsIn: Float64Array, yIn: Int32Array, K: number, opts: { bias?: boolean; minTemperature?: number } = {}): Calibration {
  const lo = Math.log(opts.minTemperature ?? MIN_T);
  const keep: number[] = [];
  for (let i = 0; i < yIn.length; i++) if (yIn[i] >= 0 && yIn[i] < K) keep.push(i);
  if (keep.length === 0) return IDENTITY_CALIBRATION(K);
  const logits = new Float64Array(keep.length * K);
  const y = new Int32Array(keep.length);
  keep.forEach((r, i) => {
    y[i] = yIn[r];
    for (let k = 0; k < K; k++) logits[i * K + k] = logitsIn[r * K + k];
  });
  const fitBias = opts.bias ?? true;
  let logT = 0;
  let b = new Float64Array(K);
  const grad = new Float64Array(K + 1);
  let loss = nll(logits, y, K, logT, b, grad);
  let step = 1;
  for (let it = 0; it < 300; it++) {
    if (!fitBias) grad.fill(0, 0, K);
    let norm = 0;
    for (let k = 0; k <= K; k++) norm += grad[k] * grad[k];
    if (norm < 1e-14) break;
    // Backtracking line search: halve the step until the loss falls.
    let accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      const nb = new Float64Array(K);
      for (let k = 0; k < K; k++) nb[k] = b[k] - step * grad[k];
      const nT = Math.min(Math.log(MAX_T), Math.max(lo, logT - step * grad[K]));
      const nl = nll(logits, y, K, nT, nb, null);
      if (nl < loss - 1e-4 * step * norm) {
        b = nb;
        logT = nT;
        loss = nll(logits, y, K, logT, b, grad);
        accepted = true;
        step *= 2;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
  }
  // b is defined up to a constant: centre it so the stored numbers are comparable.
  const mean = b.reduce((s, x) => s + x, 0) / K;
  return { temperature: Math.exp(logT), bias: Array.from(b, (x) => x - mean) };
}

/** A copy of `model` whose probabilities are softmax(z / T + b). */
export function applyCalibration(model: Classifier, c: Calibration): Classifier {
  const invT = 1 / c.temperature;
  const weights = new Float32Array(model.weights.length);
  const w = model.weights;
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) weights[i] = w[i] * invT;
  const bias = Float32Array.from(model.bias, (x, k) => x * invT + c.bias[k]);
  return { labels: model.labels, weights, bias };
}

/**
 * Expected calibration error of top-label confidences: equal-width bins over [0, 1], the
 * |accuracy − mean confidence| of each bin weighted by its share of examples.
 */
export function expectedCalibrationError(confidence: readonly number[], correct: readonly boolean[], bins = 10): number {
  const n = confidence.length;
  if (n === 0) return 0;
  const count = new Array(bins).fill(0);
  const conf = new Array(bins).fill(0);
  const acc = new Array(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(confidence[i] * bins)));
    count[b]++;
    conf[b] += confidence[i];
    acc[b] += correct[i] ? 1 : 0;
  }
  let ece = 0;
  // Σ_b (n_b / n)·|acc_b − conf_b| with acc_b, conf_b the bin means = Σ_b |Σcorrect − Σconf| / n.
  for (let b = 0; b < bins; b++) ece += Math.abs(acc[b] - conf[b]) / n;
  return ece;
}
