import { mulberry32 } from '../../prng';
import { isCorrect, type Prediction } from './labels';

// The repo's one seeded PRNG; a saved eval never changes its error bars when re-rendered.
export { mulberry32 };

export interface BootstrapOptions {
  resamples?: number;
  /**
   * The cluster (conversation) of each prediction, parallel to the predictions. Turns of one
   * conversation share a context and tend to be right or wrong together; resampling turns as if
   * independent makes the interval too narrow. With clusters, whole conversations are resampled.
   */
  clusters?: readonly (number | string)[];
  /** Central coverage of the interval, in (0, 1). */
  confidence?: number;
  seed?: number;
}

export interface Interval {
  low: number;
  high: number;
}

/** Linear interpolation between order statistics (R type 7 / numpy default). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Percentile bootstrap interval for accuracy (invalid counts as wrong). null when n = 0.
 * Cost O(resamples × n): each resample draws n indices into a Uint8Array of correctness
 * flags, so 2000 × 5000 is ~10M cheap integer operations.
 */
export function bootstrapAccuracyInterval(
  preds: readonly Pick<Prediction, 'truth' | 'predicted'>[],
  { resamples = 2000, confidence = 0.95, seed = 1, clusters }: BootstrapOptions = {},
): Interval | null {
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = preds.length;
  if (n === 0) return null;
  if (clusters) return clusterBootstrap(preds, clusters, resamples, confidence, seed);

  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) flags[i] = isCorrect(preds[i]) ? 1 : 0;

  // mulberry32 inlined: the closure's captured state costs ~3× in this 10M-iteration loop.
  // Same bit-for-bit stream as mulberry32(seed) (a test checks it).
  let state = seed | 0;
  const scale = n / 4294967296; // uint32 → [0, n)
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let hits = 0;
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) | 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      hits += flags[(((t ^ (t >>> 14)) >>> 0) * scale) | 0];
    }
    stats[r] = hits / n;
  }
  stats.sort(); // typed-array sort is numeric

  const tail = (1 - confidence) / 2;
  return { low: quantile(stats, tail), high: quantile(stats, 1 - tail) };
}

/**
 * Cluster bootstrap: draw K of the K clusters with replacement and score all their turns
 * (accuracy = Σ hits / Σ turns of the drawn clusters). Cost O(resamples × K).
 */
function clusterBootstrap(
  preds: readonly Pick<Prediction, 'truth' | 'predicted'>[],
  clusters: readonly (number | string)[],
  resamples: number,
  confidence: number,
  seed: number,
): Interval {
  if (clusters.length !== preds.length) throw new RangeError(`clusters has ${clusters.length} entries for ${preds.length} predictions`);
  const index = new Map<number | string, number>();
  const hits: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < preds.length; i++) {
    let k = index.get(clusters[i]);
    if (k === undefined) {
      k = hits.length;
      index.set(clusters[i], k);
      hits.push(0);
      sizes.push(0);
    }
    sizes[k] += 1;
    if (isCorrect(preds[i])) hits[k] += 1;
  }
  const K = hits.length;
  const h = Int32Array.from(hits);
  const z = Int32Array.from(sizes);
  const next = mulberry32(seed);
  const scale = K / 4294967296;
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let hitSum = 0;
    let sizeSum = 0;
    for (let i = 0; i < K; i++) {
      const k = (next() * scale) | 0;
      hitSum += h[k];
      sizeSum += z[k];
    }
    stats[r] = hitSum / sizeSum;
  }
  stats.sort();
  const tail = (1 - confidence) / 2;
  return { low: quantile(stats, tail), high: quantile(stats, 1 - tail) };
}

export interface ClusteredBootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
  /**
   * The longest stretch of work between two yields to the event loop (setImmediate), in ms.
   * 2000 resamples × 100k conversations is ~200M draws: done in one go it would stall a worker's
   * timers (pg-boss heartbeats, progress ticks) for a second or more.
   */
  sliceMs?: number;
  /** false: always the two-array loop (the packed one is used when exact; tests compare both). */
  pack?: boolean;
}

const PACK = 2 ** 26;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The clustered bootstrap from per-conversation aggregates alone: `hits[k]` correct of `sizes[k]`
 * turns in conversation k, conversations in order of their first turn. Bit-for-bit the interval
 * bootstrapAccuracyInterval(preds, { clusters }) gives for the same predictions (same draws from
 * mulberry32(seed), same statistic; a test checks it), but needs one small row per conversation
 * instead of every prediction, and yields to the event loop every `sliceMs`.
 */
export async function clusteredAccuracyInterval(
  hits: Int32Array,
  sizes: Int32Array,
  { resamples = 2000, confidence = 0.95, seed = 1, sliceMs = 10, pack = true }: ClusteredBootstrapOptions = {},
): Promise<Interval | null> {
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (hits.length !== sizes.length) throw new RangeError(`hits has ${hits.length} entries for ${sizes.length} conversations`);
  const K = hits.length;
  if (K === 0) return null;
  const scale = K / 4294967296;
  const stats = new Float64Array(resamples);
  // One load per draw instead of two: size·2^26 + hits in a double. A resample's sums stay exact
  // integers (and hits below 2^26) while K · max size < 2^26; past that, two arrays.
  let maxSize = 0;
  for (let i = 0; i < K; i++) maxSize = Math.max(maxSize, sizes[i]);
  const packed = pack && K * maxSize < PACK ? Float64Array.from(sizes, (z, i) => z * PACK + hits[i]) : null;
  // mulberry32 inlined (the stream of mulberry32(seed), as in bootstrapAccuracyInterval).
  let state = seed | 0;
  let sliceStart = performance.now();
  for (let r = 0; r < resamples; r++) {
    let hitSum = 0;
    let sizeSum = 0;
    if (packed) {
      let sum = 0;
      for (let i = 0; i < K; i++) {
        state = (state + 0x6d2b79f5) | 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        sum += packed[(((t ^ (t >>> 14)) >>> 0) * scale) | 0];
      }
      sizeSum = Math.floor(sum / PACK);
      hitSum = sum - sizeSum * PACK;
    } else {
      for (let i = 0; i < K; i++) {
        state = (state + 0x6d2b79f5) | 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const k = (((t ^ (t >>> 14)) >>> 0) * scale) | 0;
        hitSum += hits[k];
        sizeSum += sizes[k];
      }
    }
    stats[r] = hitSum / sizeSum;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  stats.sort();
  const tail = (1 - confidence) / 2;
  return { low: quantile(stats, tail), high: quantile(stats, 1 - tail) };
}
