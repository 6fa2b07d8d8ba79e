// From examples to a calibrated model: featurise, weigh the classes, train with L2 and early
// stopping, then fit the confidences on held-out examples (calibration.ts) and bake them in.
// The training worker (fitClassifierFromFiles: streamed from the job's files) and `npm run
// bench:learning` (fitClassifier: examples in memory) share every step after reading, so the
// benchmark measures exactly what a fine-tune job produces.
//
// Held-out examples come from the validation file. Without one, a tenth of the training
// conversations is held out instead — by conversation, not by example, because turns of one
// thread share most of their transcript and would flatter the fit. The JSONL has no
// conversation ids, but every example of a thread starts with the same opening message, which
// is what groups them here.
import { applyCalibration, fitCalibration, IDENTITY_CALIBRATION, type Calibration } from './calibration';
import type { Classifier } from './classifier';
import { checkExample } from './examples';
import { featureMemoryBudget, FeatureBlocks } from './feature-store';
import { MatrixBuilder, selectRows } from './features';
import { forEachFileLine } from './jsonl-lines';
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
const MIN_CONVERSATIONS_FOR_HOLDOUT = 10;

function openingLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

const grownTo = <T extends Int32Array | Uint8Array>(a: T, need: number): T => {
  if (need <= a.length) return a;
  const out = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  out.set(a);
  return out;
};

/**
 * The examples of a fine-tune job, added one at a time (from memory or streamed from a file):
 * features go to the matrix builder as each example arrives, and only a label id and a
 * held-out bit per example are kept besides them. Labels get ids in order of first appearance
 * and are renumbered in sorted order at the end, so the class order does not depend on the data.
 */
export class ExampleCollector {
  private readonly store: FeatureBlocks;
  private readonly seed: number;
  private readonly names: string[] = [];
  private readonly idOf = new Map<string, number>();
  private readonly inTraining = new Set<number>();
  private readonly train: { b: MatrixBuilder; y: Int32Array; heldOut: Uint8Array; openings: Set<string> };
  private readonly valid: { b: MatrixBuilder; y: Int32Array };

  constructor(store: FeatureBlocks, seed: number) {
    this.store = store;
    this.seed = seed;
    this.train = { b: new MatrixBuilder(store), y: new Int32Array(1024), heldOut: new Uint8Array(1024), openings: new Set() };
    this.valid = { b: new MatrixBuilder(store), y: new Int32Array(1024) };
  }

  private labelId(label: string): number {
    let id = this.idOf.get(label);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(label);
      this.idOf.set(label, id);
    }
    return id;
  }

  addTraining(text: string, label: string): void {
    const t = this.train;
    const r = t.b.rows;
    t.b.add(text);
    t.y = grownTo(t.y, r + 1);
    t.heldOut = grownTo(t.heldOut, r + 1);
    const id = this.labelId(label);
    this.inTraining.add(id);
    t.y[r] = id;
    const opening = openingLine(text);
    // Held out by conversation, not by example: a thread's turns share most of their transcript.
    t.heldOut[r] = (hashString(`${this.seed}\u0000${opening}`) % 1000) / 1000 < HOLDOUT_SHARE ? 1 : 0;
    if (t.openings.size < MIN_CONVERSATIONS_FOR_HOLDOUT) t.openings.add(opening);
  }

  addValidation(text: string, label: string): void {
    const v = this.valid;
    const r = v.b.rows;
    v.b.add(text);
    v.y = grownTo(v.y, r + 1);
    v.y[r] = this.labelId(label);
  }

  /** The labeled sets; without validation examples, a tenth of the training conversations is held out. */
  finish(): Prepared {
    this.store.finish();
    // Sorted, so the same data gives the same class order (and the same model) on every run.
    const labels = [...this.inTraining].map((id) => this.names[id]).sort();
    const classOf = new Map(labels.map((l, i) => [l, i]));
    const remap = Int32Array.from(this.names, (n) => classOf.get(n) ?? -1);
    const all = this.train.b.build();
    const y = Int32Array.from(this.train.y.subarray(0, all.rows), (id) => remap[id]);

    if (this.valid.b.rows) {
      const vy = Int32Array.from(this.valid.y.subarray(0, this.valid.b.rows), (id) => remap[id]);
      return {
        labels,
        train: { x: all, y },
        valid: { x: this.valid.b.build(), y: vy },
        heldOutFromTraining: false,
        unknownValidLabels: vy.filter((k) => k < 0).length,
      };
    }
    const held = this.train.heldOut.subarray(0, all.rows);
    const nHeld = held.reduce((s, b) => s + b, 0);
    if (all.rows < MIN_EXAMPLES_FOR_HOLDOUT || this.train.openings.size < MIN_CONVERSATIONS_FOR_HOLDOUT || nHeld === 0 || nHeld === all.rows) {
      return { labels, train: { x: all, y }, valid: null, heldOutFromTraining: false, unknownValidLabels: 0 };
    }
    const trainRows = new Int32Array(all.rows - nHeld);
    const validRows = new Int32Array(nHeld);
    for (let r = 0, a = 0, b = 0; r < all.rows; r++) {
      if (held[r]) validRows[b++] = r;
      else trainRows[a++] = r;
    }
    return {
      labels,
      train: { x: selectRows(all, trainRows), y: trainRows.map((r) => y[r]) },
      valid: { x: selectRows(all, validRows), y: validRows.map((r) => y[r]) },
      heldOutFromTraining: true,
      unknownValidLabels: 0,
    };
  }
}

export interface Prepared {
  labels: string[];
  train: LabeledSet;
  valid: LabeledSet | null;
  heldOutFromTraining: boolean;
  unknownValidLabels: number;
}

export function classWeights(y: Int32Array, K: number, power = CLASS_WEIGHT_POWER): Float64Array {
  const counts = new Float64Array(K);
  for (const k of y) if (k >= 0) counts[k]++;
  const max = Math.max(...counts);
  return Float64Array.from(counts, (c) => (c ? Math.pow(max / c, power) : 1));
}

/** Trains on examples held in memory (bench:learning, tests): the same path a job's files take. */
export function fitClassifier(opts: FitOptions, cb: FitCallbacks = {}): FitResult {
  const c = new ExampleCollector(new FeatureBlocks(), opts.seed);
  opts.train.texts.forEach((t, i) => c.addTraining(t, opts.train.labels[i]));
  if (opts.valid) opts.valid.texts.forEach((t, i) => c.addValidation(t, opts.valid!.labels[i]));
  return fitPrepared(c.finish(), opts, cb);
}

/** Every trainable example of a JSONL file already validated at upload, streamed. */
export function forEachFileExample(file: string | readonly string[], add: (text: string, label: string) => void): void {
  forEachFileLine(file, (_lineNo, text) => {
    const { example } = checkExample(JSON.parse(text));
    if (example && example.label !== null) add(example.text, example.label);
  });
}

export interface FileFitOptions extends Omit<FitOptions, 'train' | 'valid'> {
  /** A File's bytes: one path, or its segments in order. */
  trainingPath: string | readonly string[];
  validationPath: string | readonly string[] | null;
  /** Where features go past the memory budget (an unlinked temporary file). */
  spillPath: string;
  featureMemoryBytes?: number;
}

/** Trains on a job's files, streamed from disk: memory is bounded by the feature budget, not the file size. */
export function fitClassifierFromFiles(opts: FileFitOptions, cb: FitCallbacks = {}): FitResult {
  const store = new FeatureBlocks({ budgetBytes: opts.featureMemoryBytes ?? featureMemoryBudget(), spillPath: opts.spillPath });
  try {
    const c = new ExampleCollector(store, opts.seed);
    forEachFileExample(opts.trainingPath, (t, l) => c.addTraining(t, l));
    if (opts.validationPath) forEachFileExample(opts.validationPath, (t, l) => c.addValidation(t, l));
    return fitPrepared(c.finish(), opts, cb);
  } finally {
    store.close();
  }
}

function fitPrepared(prep: Prepared, opts: Omit<FitOptions, 'train' | 'valid'>, cb: FitCallbacks): FitResult {
  const { labels } = prep;
  const K = labels.length;
  const trainSet = prep.train;
  const validSet = prep.valid ?? undefined;
  cb.onPrepared?.({
    labels,
    examples: trainSet.x.rows,
    validExamples: validSet?.x.rows ?? 0,
    heldOutFromTraining: prep.heldOutFromTraining,
    unknownValidLabels: prep.unknownValidLabels,
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
