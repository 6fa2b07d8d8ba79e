// From examples to a calibrated model: featurise, weigh the classes, train with L2 and early
// stopping, then fit the confidences on held-out examples (calibration.ts) and bake them in.
// The training worker and `npm run bench:learning` both call this, so the benchmark measures
// exactly what a fine-tune job produces.
//
// Held-out examples come from the validation file. Without one, a tenth of the training
// conversations is held out instead — by conversation, not by example, because turns of one
// thread share most of their transcript and would flatter the fit. The JSONL has no
// conversation ids, but every example of a thread starts with the same opening message, which
// is what groups them here.
import { applyCalibration, fitCalibration, IDENTITY_CALIBRATION, type Calibration } from './calibration';
import type { Classifier } from './classifier';
import { featurizeAll } from './features';
import { hashString } from '../prng';
import { priorWeights } from './prior';
import { logitsOf, train, type LabeledSet, type TrainCallbacks } from './train';
import type { CheckpointMetrics, StepMetrics } from './types';

export interface TextSet {
  texts: readonly string[];
  labels: readonly string[];
}

export interface FitOptions {
  train: TextSet;
  valid?: TextSet | null;
  epochs: number;
  batchSize: number;
  learningRateMultiplier: number;
  seed: number;
}

export interface FitCallbacks {
  onPrepared?(info: { labels: string[]; examples: number; validExamples: number; heldOutFromTraining: boolean; unknownValidLabels: number }): void;
  onMetrics?(m: StepMetrics, totalSteps: number): void;
  /** `model` is calibrated on the held-out examples as of this epoch. */
  onCheckpoint?(epoch: number, step: number, model: Classifier, metrics: CheckpointMetrics): void;
}

export interface FitResult {
  model: Classifier;
  labels: string[];
  calibration: Calibration;
  bestEpoch: number;
}

/** L2 penalty per weight; chosen on the sample data's validation split, not on any test set. */
export const L2 = 1e-4;
/**
 * Calibration may soften the model's confidences, never sharpen them. Held-out examples come
 * from the same source as the training ones (often one generator), where the model is nearly
 * always right; a temperature below 1 fit there makes it over-confident on real text.
 */
export const MIN_TEMPERATURE = 1;
/**
 * Class weight = (share of the largest class / share of this class)^CLASS_WEIGHT_POWER: 0 is
 * no weighting, 1 fully balanced. Half-way keeps a rare class (END is often the rarest) from
 * being ignored without telling the model the classes are equally likely.
 */
export const CLASS_WEIGHT_POWER = 0.5;
const HOLDOUT_SHARE = 0.1;
const MIN_EXAMPLES_FOR_HOLDOUT = 100;

function openingLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

/** Splits training examples into (train, held-out) by their conversation's opening line. */
export function holdOutByConversation(set: TextSet, seed: number): { train: TextSet; valid: TextSet } | null {
  if (set.texts.length < MIN_EXAMPLES_FOR_HOLDOUT) return null;
  const groups = new Set(set.texts.map(openingLine));
  if (groups.size < 10) return null;
  const isHeldOut = (t: string) => (hashString(`${seed}\u0000${openingLine(t)}`) % 1000) / 1000 < HOLDOUT_SHARE;
  const train: { texts: string[]; labels: string[] } = { texts: [], labels: [] };
  const valid: { texts: string[]; labels: string[] } = { texts: [], labels: [] };
  set.texts.forEach((t, i) => {
    const to = isHeldOut(t) ? valid : train;
    to.texts.push(t);
    to.labels.push(set.labels[i]);
  });
  if (!valid.texts.length || !train.texts.length) return null;
  return { train, valid };
}

export function classWeights(y: Int32Array, K: number, power = CLASS_WEIGHT_POWER): Float64Array {
  const counts = new Float64Array(K);
  for (const k of y) if (k >= 0) counts[k]++;
  const max = Math.max(...counts);
  return Float64Array.from(counts, (c) => (c ? Math.pow(max / c, power) : 1));
}

function labeled(set: TextSet, classOf: Map<string, number>): { set: LabeledSet; unknown: number } {
  let unknown = 0;
  const y = Int32Array.from(set.labels, (l) => {
    const k = classOf.get(l);
    if (k === undefined) unknown++;
    return k ?? -1;
  });
  return { set: { x: featurizeAll(set.texts), y }, unknown };
}

export function fitClassifier(opts: FitOptions, cb: FitCallbacks = {}): FitResult {
  // Sorted, so the same data gives the same class order (and the same model) on every run.
  const labels = [...new Set(opts.train.labels)].sort();
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const K = labels.length;
  let trainText = opts.train;
  let validText = opts.valid && opts.valid.texts.length ? opts.valid : null;
  let heldOutFromTraining = false;
  if (!validText) {
    const split = holdOutByConversation(opts.train, opts.seed);
    if (split) {
      trainText = split.train;
      validText = split.valid;
      heldOutFromTraining = true;
    }
  }
  const trainSet = labeled(trainText, classOf).set;
  const validation = validText ? labeled(validText, classOf) : null;
  const validSet = validation?.set;
  cb.onPrepared?.({
    labels,
    examples: trainSet.x.rows,
    validExamples: validSet?.x.rows ?? 0,
    heldOutFromTraining,
    unknownValidLabels: validation?.unknown ?? 0,
  });

  const calibrate = (m: Classifier): { model: Classifier; calibration: Calibration } => {
    if (!validSet) return { model: m, calibration: IDENTITY_CALIBRATION(K) };
    const calibration = fitCalibration(logitsOf(m, validSet), validSet.y, K, { minTemperature: MIN_TEMPERATURE });
    return { model: applyCalibration(m, calibration), calibration };
  };

  const callbacks: TrainCallbacks = {
    onMetrics: (m, total) => cb.onMetrics?.(m, total),
    onCheckpoint: (epoch, step, m, metrics) => {
      if (cb.onCheckpoint) cb.onCheckpoint(epoch, step, calibrate(m).model, metrics);
    },
  };
  const result = train(
    {
      labels,
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      learningRateMultiplier: opts.learningRateMultiplier,
      seed: opts.seed,
      train: trainSet,
      valid: validSet,
      l2: L2,
      prior: priorWeights(labels),
      classWeights: classWeights(trainSet.y, K),
    },
    callbacks,
  );
  const { model, calibration } = calibrate(result.model);
  return { model, labels, calibration, bestEpoch: result.bestEpoch };
}
