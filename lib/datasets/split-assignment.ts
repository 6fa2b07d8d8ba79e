// Train / validation / test by conversation, stratified by label, deterministic from a seed,
// and stable across versions: conversations assigned by an earlier version keep their split;
// only conversations new to the lineage are placed, so as to bring each stratum back toward
// the requested ratios.
import { createHash } from 'node:crypto';
import type { LabelValueName } from '../labeling/label-values';
import { SPLITS, type SplitName, type SplitRatios } from './params';

/** A conversation's stratum: its rarest, most decision-relevant label. */
export function conversationStratum(labels: Iterable<LabelValueName>): LabelValueName {
  let hasEnd = false;
  for (const l of labels) {
    if (l === 'SCHEDULE') return 'SCHEDULE';
    if (l === 'END') hasEnd = true;
  }
  return hasEnd ? 'END' : 'CONTINUE';
}

/** A seeded, well-mixed ordering key for a conversation (hex, compares as a string). */
export function shuffleKey(seed: number, externalId: string): string {
  return createHash('sha256').update(`${seed}\u0000${externalId}`).digest('hex').slice(0, 16);
}

/** Largest-remainder apportionment of `total` items by `weights` (ties go to the earlier split). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, rem: x - Math.floor(x) }))
    .filter(({ i }) => weights[i] > 0)
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) out[order[j].i]++;
  return out;
}

/**
 * How many of a stratum's `fresh` conversations go to each split (train, validation, test), given
 * how many of the stratum the lineage already has in each (`have`): the stratum is brought back
 * toward the ratios. The build's plan (build-plan.ts) applies the same quotas in SQL.
 */
export function freshQuotas(have: readonly number[], fresh: number, ratios: SplitRatios): number[] {
  const ratioList = SPLITS.map((s) => ratios[s]);
  const target = apportion(have.reduce((a, b) => a + b, 0) + fresh, ratioList);
  const need = target.map((t, i) => Math.max(0, t - have[i]));
  const needSum = need.reduce((a, b) => a + b, 0);
  return apportion(fresh, needSum > 0 ? need : ratioList);
}

export interface SplitCandidate {
  conversationId: number;
  externalId: string;
  stratum: LabelValueName;
}

/**
 * Places conversations that have no split yet. `existing` holds the lineage's assignments
 * (conversation id → split) restricted to conversations that are in this version.
 */
export function assignNewConversations(
  candidates: readonly SplitCandidate[],
  existing: ReadonlyMap<number, { split: SplitName; stratum: LabelValueName }>,
  ratios: SplitRatios,
  seed: number,
): Map<number, SplitName> {
  const result = new Map<number, SplitName>();
  const byStratum = new Map<LabelValueName, SplitCandidate[]>();
  for (const c of candidates) {
    if (existing.has(c.conversationId)) continue;
    const list = byStratum.get(c.stratum) ?? [];
    list.push(c);
    byStratum.set(c.stratum, list);
  }
  for (const [stratum, fresh] of byStratum) {
    const have = SPLITS.map(() => 0);
    for (const e of existing.values()) if (e.stratum === stratum) have[SPLITS.indexOf(e.split)]++;
    const quota = freshQuotas(have, fresh.length, ratios);
    const keyed = fresh.map((c) => ({ c, key: shuffleKey(seed, c.externalId) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let at = 0;
    SPLITS.forEach((split, i) => {
      for (let n = 0; n < quota[i]; n++) result.set(keyed[at++].c.conversationId, split);
    });
  }
  return result;
}
