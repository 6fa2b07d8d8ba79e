// Chance-corrected agreement between raters (reviewers, or a reviewer and the advisor).
// Pure: counts in, numbers out. Used by the agreement page (reviewer pairs, Fleiss overall)
// and the advisor page (human vs advisor), so both read the same formula.
import { LABELS, type Label } from './labels';

/** pairs[a][b] = turns where rater A said a and rater B said b. */
export type PairMatrix = Record<Label, Record<Label, number>>;

export function emptyPairMatrix(): PairMatrix {
  const row = (): Record<Label, number> => Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
  return Object.fromEntries(LABELS.map((l) => [l, row()])) as PairMatrix;
}

export function pairMatrix(pairs: readonly { a: Label; b: Label }[]): PairMatrix {
  const m = emptyPairMatrix();
  for (const p of pairs) m[p.a][p.b] += 1;
  return m;
}

export interface CohenKappa {
  n: number;
  /** Observed agreement (share of turns where both said the same). */
  observed: number | null;
  /** Agreement expected by chance from each rater's own label mix. */
  expected: number | null;
  /** (po − pe) / (1 − pe); null when n = 0, 1 when both raters used one and the same label only. */
  kappa: number | null;
}

export function cohenKappa(m: PairMatrix): CohenKappa {
  let n = 0;
  let agree = 0;
  const rowTotals = new Map<Label, number>();
  const colTotals = new Map<Label, number>();
  for (const a of LABELS) {
    for (const b of LABELS) {
      const c = m[a][b];
      n += c;
      if (a === b) agree += c;
      rowTotals.set(a, (rowTotals.get(a) ?? 0) + c);
      colTotals.set(b, (colTotals.get(b) ?? 0) + c);
    }
  }
  if (n === 0) return { n, observed: null, expected: null, kappa: null };
  const po = agree / n;
  let pe = 0;
  for (const l of LABELS) pe += ((rowTotals.get(l) ?? 0) / n) * ((colTotals.get(l) ?? 0) / n);
  // pe = 1 only when both raters used a single, identical label: perfect (and uninformative) agreement.
  const kappa = pe === 1 ? 1 : (po - pe) / (1 - pe);
  return { n, observed: po, expected: pe, kappa };
}

/** One item (turn) rated by several raters: how many gave each label. */
export type ItemCounts = Record<Label, number>;

export interface FleissKappa {
  /** Items with at least two ratings (the only ones that carry agreement). */
  items: number;
  ratings: number;
  observed: number | null;
  expected: number | null;
  kappa: number | null;
  /** Per label: the share of all ratings and the label's own kappa (Fleiss 1971, eq. for κ_j). */
  perLabel: Record<Label, { share: number; kappa: number | null }>;
}

/**
 * Fleiss' κ, generalised to a varying number of raters per item (each item's agreement is
 * weighted by its own rater count, as in Fleiss, Levin & Paik). Items with fewer than two
 * ratings are ignored.
 */
export function fleissKappa(items: Iterable<ItemCounts>): FleissKappa {
  let used = 0;
  let ratings = 0;
  let sumPi = 0;
  const labelTotals: Record<Label, number> = { END: 0, CONTINUE: 0, SCHEDULE: 0 };
  // Per label: agreeing rater pairs on that label, each item weighted like its share of pairs.
  const labelAgree: Record<Label, number> = { END: 0, CONTINUE: 0, SCHEDULE: 0 };
  for (const it of items) {
    const ni = it.END + it.CONTINUE + it.SCHEDULE;
    if (ni < 2) continue;
    used += 1;
    ratings += ni;
    let s = 0;
    for (const l of LABELS) {
      s += it[l] * (it[l] - 1);
      labelTotals[l] += it[l];
      labelAgree[l] += (it[l] * (it[l] - 1)) / (ni - 1);
    }
    sumPi += s / (ni * (ni - 1));
  }
  const perLabel = Object.fromEntries(
    LABELS.map((l) => [l, { share: ratings ? labelTotals[l] / ratings : 0, kappa: null as number | null }]),
  ) as FleissKappa['perLabel'];
  if (used === 0) return { items: 0, ratings: 0, observed: null, expected: null, kappa: null, perLabel };
  const po = sumPi / used;
  let pe = 0;
  for (const l of LABELS) {
    const p = labelTotals[l] / ratings;
    pe += p * p;
    // κ_j: agreement on label j beyond chance, from the proportion of rater pairs that both said j.
    const pairsSaidJ = labelAgree[l] / labelTotals[l];
    perLabel[l].kappa = labelTotals[l] === 0 || p === 1 ? null : (pairsSaidJ - p) / (1 - p);
  }
  const kappa = pe === 1 ? 1 : (po - pe) / (1 - pe);
  return { items: used, ratings, observed: po, expected: pe, kappa, perLabel };
}
