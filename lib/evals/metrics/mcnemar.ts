import { isCorrect, type Label, type PredictedLabel } from './labels';

// McNemar's test: did two models, scored on the SAME examples, differ in accuracy? Only the
// discordant pairs (one right, the other wrong) carry information; under H0 each discordant
// pair is a fair coin flip between "A won" and "B won".

export interface McNemarPair {
  aCorrect: boolean;
  bCorrect: boolean;
  /** The conversation the example came from; when every pair has one, the test is clustered. */
  cluster?: number | string;
}

export interface McNemarOptions {
  /** Significance level; default 0.05. */
  alpha?: number;
}

export interface McNemarResult {
  /** A wrong, B right. */
  b01: number;
  /** A right, B wrong. */
  b10: number;
  /** All pairs, concordant ones included. */
  n: number;
  /** (|b01 − b10| − 1)² / (b01 + b10) for 'chi2-cc'; null for 'exact' (there is no χ² value). */
  statistic: number | null;
  pValue: number;
  /**
   * Unclustered: 'exact' when b01 + b10 < 25 (χ² is a poor approximation there), else 'chi2-cc'.
   * Clustered by conversation: 'cluster-exact' (sign-flip test on per-conversation differences)
   * or, when that distribution is too large to enumerate, 'cluster-chi2' (Durkalski et al. 2003).
   */
  method: 'exact' | 'chi2-cc' | 'cluster-exact' | 'cluster-chi2';
  /** Conversations with at least one discordant pair (clustered methods only). */
  discordantClusters?: number;
  significant: boolean;
}

/** Below this many discordant pairs the χ² approximation is unreliable; use the binomial. */
export const EXACT_BELOW = 25;

/**
 * Complementary error function, Numerical Recipes `erfcc` (Chebyshev fit): fractional error
 * < 1.2e-7 everywhere, so small p-values are as accurate as large ones.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail P(χ²₁ ≥ x). χ²₁ is Z², so P = P(|Z| ≥ √x) = erfc(√(x/2)). */
export function chiSquare1dfPValue(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}

/**
 * Two-sided exact binomial p for k successes out of m at p = 0.5: 2·P(X ≤ min(k, m−k)),
 * capped at 1 (the distribution is symmetric, so doubling one tail is exact). Uses the pmf
 * recurrence from 0.5^m, which is fine for the m < 25 it is used with.
 */
function binomialTwoSidedHalf(k: number, m: number): number {
  const lo = Math.min(k, m - k);
  let pmf = Math.pow(0.5, m);
  let tail = 0;
  for (let i = 0; i <= lo; i++) {
    tail += pmf;
    pmf = (pmf * (m - i)) / (i + 1);
  }
  return Math.min(1, 2 * tail);
}

export function mcnemarTest(pairs: readonly McNemarPair[], { alpha = 0.05 }: McNemarOptions = {}): McNemarResult {
  if (pairs.length > 0 && pairs.every((p) => p.cluster !== undefined)) return clusteredMcNemar(pairs, alpha);
  let b01 = 0;
  let b10 = 0;
  for (const p of pairs) {
    if (p.aCorrect && !p.bCorrect) b10 += 1;
    else if (!p.aCorrect && p.bCorrect) b01 += 1;
  }
  return unclusteredFromCounts(b01, b10, pairs.length, alpha);
}

/** What McNemar needs of a paired comparison, as SQL can count it without loading the pairs. */
export interface DiscordanceCounts {
  /** A wrong, B right. */
  b01: number;
  /** A right, B wrong. */
  b10: number;
  /** All pairs. */
  n: number;
  /**
   * |d_k| = |(A right, B wrong) − (A wrong, B right)| of every conversation k with d_k ≠ 0, in the
   * order of each conversation's first pair. Given: the clustered test (as mcnemarTest with a
   * cluster on every pair); omitted: turns treated as independent.
   */
  clusterDiffs?: readonly number[];
}

/** McNemar from counts: the same result mcnemarTest gives for the pairs the counts came from. */
export function mcnemarFromCounts(c: DiscordanceCounts, { alpha = 0.05 }: McNemarOptions = {}): McNemarResult {
  if (c.clusterDiffs && c.n > 0) return clusteredFromDiffs({ b01: c.b01, b10: c.b10, n: c.n }, c.clusterDiffs, alpha);
  return unclusteredFromCounts(c.b01, c.b10, c.n, alpha);
}

function unclusteredFromCounts(b01: number, b10: number, n: number, alpha: number): McNemarResult {
  const discordant = b01 + b10;
  const base = { b01, b10, n };
  // No discordant pairs: the models never disagree on correctness, so there is no evidence
  // of a difference (the binomial branch gives p = 1 here too; stated explicitly for clarity).
  if (discordant === 0) return { ...base, statistic: null, pValue: 1, method: 'exact', significant: false };
  if (discordant < EXACT_BELOW) {
    const pValue = binomialTwoSidedHalf(b01, discordant);
    return { ...base, statistic: null, pValue, method: 'exact', significant: pValue < alpha };
  }
  const statistic = (Math.abs(b01 - b10) - 1) ** 2 / discordant;
  const pValue = chiSquare1dfPValue(statistic);
  return { ...base, statistic, pValue, method: 'chi2-cc', significant: pValue < alpha };
}

/** Above this many steps × sum range the exact sign-flip distribution is not enumerated. */
const EXACT_CLUSTER_WORK = 5_000_000;

/**
 * McNemar for clustered data. Turns of one conversation are not independent, so the unit is
 * the conversation: d_k = (A right, B wrong) − (A wrong, B right) within conversation k. Under
 * H0 each d_k is symmetric around 0, so flipping signs gives the exact null distribution of
 * Σ d_k (the clustered analogue of the binomial test); for large inputs the statistic
 * (Σ d_k)² / Σ d_k² ~ χ²₁ (Durkalski, Palesch, Lipsitz & Rust, Stat Med 2003).
 */
function clusteredMcNemar(pairs: readonly McNemarPair[], alpha: number): McNemarResult {
  let b01 = 0;
  let b10 = 0;
  const diff = new Map<number | string, number>();
  for (const p of pairs) {
    const d = p.aCorrect === p.bCorrect ? 0 : p.aCorrect ? 1 : -1;
    if (d > 0) b10 += 1;
    else if (d < 0) b01 += 1;
    diff.set(p.cluster!, (diff.get(p.cluster!) ?? 0) + d);
  }
  const ds = [...diff.values()].filter((d) => d !== 0).map(Math.abs);
  return clusteredFromDiffs({ b01, b10, n: pairs.length }, ds, alpha);
}

function clusteredFromDiffs(counts: { b01: number; b10: number; n: number }, ds: readonly number[], alpha: number): McNemarResult {
  const { b01, b10 } = counts;
  const base = { ...counts, discordantClusters: ds.length };
  if (ds.length === 0) return { ...base, statistic: null, pValue: 1, method: 'cluster-exact', significant: false };
  const observed = Math.abs(b10 - b01);
  const range = ds.reduce((a, b) => a + b, 0);
  if (ds.length * range <= EXACT_CLUSTER_WORK) {
    // Distribution of Σ ±d_k by dynamic programming over the sum (offset by `range`).
    let dist = new Float64Array(2 * range + 1);
    dist[range] = 1;
    for (const d of ds) {
      const next = new Float64Array(dist.length);
      for (let s = 0; s < dist.length; s++) {
        const w = dist[s];
        if (w === 0) continue;
        next[s + d] += w / 2;
        next[s - d] += w / 2;
      }
      dist = next;
    }
    let pValue = 0;
    for (let s = 0; s < dist.length; s++) if (Math.abs(s - range) >= observed) pValue += dist[s];
    pValue = Math.min(1, pValue);
    return { ...base, statistic: null, pValue, method: 'cluster-exact', significant: pValue < alpha };
  }
  const statistic = observed ** 2 / ds.reduce((a, d) => a + d * d, 0);
  const pValue = chiSquare1dfPValue(statistic);
  return { ...base, statistic, pValue, method: 'cluster-chi2', significant: pValue < alpha };
}

export interface KeyedPrediction {
  /** Identifies the example (e.g. conversation + turn) across runs. */
  key: string;
  /** The conversation it came from: pairs carry it so McNemar can be clustered. */
  cluster?: number | string;
  truth: Label;
  predicted: PredictedLabel;
}

export interface PairedPredictions {
  pairs: (McNemarPair & { key: string })[];
  /** Examples present in only one of the runs (onlyInA + onlyInB); they are left out of the test. */
  unmatched: number;
  onlyInA: number;
  onlyInB: number;
}

/**
 * Joins two runs by example key, in runA's order. Each side is scored against its own truth
 * (normally identical; a relabel between runs should not be silently attributed to the model).
 * A duplicate key within a run throws: the pairing would be ambiguous.
 */
export function pairPredictions(runA: readonly KeyedPrediction[], runB: readonly KeyedPrediction[]): PairedPredictions {
  const byKeyB = new Map<string, KeyedPrediction>();
  for (const b of runB) {
    if (byKeyB.has(b.key)) throw new Error(`duplicate example key in run B: ${b.key}`);
    byKeyB.set(b.key, b);
  }
  const seenA = new Set<string>();
  const pairs: PairedPredictions['pairs'] = [];
  let onlyInA = 0;
  for (const a of runA) {
    if (seenA.has(a.key)) throw new Error(`duplicate example key in run A: ${a.key}`);
    seenA.add(a.key);
    const b = byKeyB.get(a.key);
    if (!b) {
      onlyInA += 1;
      continue;
    }
    pairs.push({ key: a.key, aCorrect: isCorrect(a), bCorrect: isCorrect(b), ...(a.cluster !== undefined ? { cluster: a.cluster } : {}) });
  }
  const onlyInB = runB.length - pairs.length;
  return { pairs, unmatched: onlyInA + onlyInB, onlyInA, onlyInB };
}
