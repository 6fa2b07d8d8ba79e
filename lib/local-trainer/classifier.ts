// The fine-tuned "model": multinomial logistic regression over hashed features. Weights are a
// dense DIM×K matrix in memory (row-major, so one feature's K weights sit together) and are
// stored sparsely on disk: a model trained on 60 examples touches a few thousand rows, not 2^18.
import fs from 'node:fs';
import { DIM, FeatureBuffer, featurize } from './features';

export interface Classifier {
  labels: string[];
  /** DIM × K, row-major. */
  weights: Float32Array;
  bias: Float32Array;
}

export function emptyClassifier(labels: string[]): Classifier {
  return { labels, weights: new Float32Array(DIM * labels.length), bias: new Float32Array(labels.length) };
}

/** Logits of one sparse row into `out` (length K). */
export function logitsInto(model: Classifier, idx: Int32Array, val: Float32Array, from: number, to: number, out: Float64Array): void {
  const K = model.labels.length;
  const w = model.weights;
  for (let k = 0; k < K; k++) out[k] = model.bias[k];
  for (let j = from; j < to; j++) {
    const base = idx[j] * K;
    const v = val[j];
    for (let k = 0; k < K; k++) out[k] += w[base + k] * v;
  }
}

/** In-place softmax; returns log of the normaliser so callers can get log-probabilities. */
export function softmaxInPlace(z: Float64Array, K = z.length): number {
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (z[k] > max) max = z[k];
  let sum = 0;
  for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k] - max);
  for (let k = 0; k < K; k++) z[k] /= sum;
  return max + Math.log(sum);
}

const scratch = new FeatureBuffer();

/** Class probabilities for a text. */
export function predictProba(model: Classifier, text: string): Float64Array {
  featurize(text, scratch);
  const out = new Float64Array(model.labels.length);
  logitsInto(model, scratch.idx, scratch.val, 0, scratch.n, out);
  softmaxInPlace(out);
  return out;
}

// ── persistence ─────────────────────────────────────────────────────────────────────────
// Layout (little-endian): "LTC1", K:u32, DIM:u32, rows:u32, bias f32[K], rowIds i32[rows],
// weights f32[rows×K]. The labels live next to it in model.json.
const MAGIC = 0x3143544c; // "LTC1"

export function saveWeights(model: Classifier, file: string): void {
  const K = model.labels.length;
  const rows: number[] = [];
  for (let r = 0; r < DIM; r++) {
    for (let k = 0; k < K; k++) {
      if (model.weights[r * K + k] !== 0) {
        rows.push(r);
        break;
      }
    }
  }
  const buf = Buffer.alloc(16 + 4 * K + 4 * rows.length + 4 * rows.length * K);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(K, 4);
  buf.writeUInt32LE(DIM, 8);
  buf.writeUInt32LE(rows.length, 12);
  let o = 16;
  for (let k = 0; k < K; k++, o += 4) buf.writeFloatLE(model.bias[k], o);
  for (const r of rows) buf.writeInt32LE(r, (o += 4) - 4);
  for (const r of rows) for (let k = 0; k < K; k++, o += 4) buf.writeFloatLE(model.weights[r * K + k], o);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, buf);
  fs.renameSync(tmp, file);
}

export function loadWeights(labels: string[], file: string): Classifier {
  const buf = fs.readFileSync(file);
  if (buf.readUInt32LE(0) !== MAGIC) throw new Error(`${file}: not a local-trainer weights file`);
  const K = buf.readUInt32LE(4);
  if (K !== labels.length || buf.readUInt32LE(8) !== DIM) throw new Error(`${file}: shape does not match its model.json`);
  const rows = buf.readUInt32LE(12);
  const model = emptyClassifier(labels);
  let o = 16;
  for (let k = 0; k < K; k++, o += 4) model.bias[k] = buf.readFloatLE(o);
  const rowIds = new Int32Array(rows);
  for (let i = 0; i < rows; i++, o += 4) rowIds[i] = buf.readInt32LE(o);
  for (let i = 0; i < rows; i++) for (let k = 0; k < K; k++, o += 4) model.weights[rowIds[i] * K + k] = buf.readFloatLE(o);
  return model;
}
