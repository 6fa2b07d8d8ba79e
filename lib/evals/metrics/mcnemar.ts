import { isCorrect, type Label, type PredictedLabel } from './labels';

// McNemar's test: did two models, scored on the SAME examples, differ in accuracy? Only the
// discordant pairs (one right, the other wrong) carry information; under H0 each discordant
// pair is a fair coin flip between "A won" and "B won".

export interface McNemarPair {
  aCorrect: boolean;
  bCorrect: boolean;
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
  /** 'exact' when b01 + b10 < 25 (χ² is a poor approximation there), else 'chi2-cc'. */
  method: 'exact' | 'chi2-cc';
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
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
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
  let b01 = 0;
  let b10 = 0;
  for (const p of pairs) {
    if (p.aCorrect && !p.bCorrect) b10 += 1;
    else if (!p.aCorrect && p.bCorrect) b01 += 1;
  }
  const discordant = b01 + b10;
  const base = { b01, b10, n: pairs.length };
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

export interface KeyedPrediction {
  /** Identifies the example (e.g. conversation + turn) across runs. */
  key: string;
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
    pairs.push({ key: a.key, aCorrect: isCorrect(a), bCorrect: isCorrect(b) });
  }
  const onlyInB = runB.length - pairs.length;
  return { pairs, unmatched: onlyInA + onlyInB, onlyInA, onlyInB };
}
