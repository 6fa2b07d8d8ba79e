// Which label counts for a recruiter turn, given every reviewer's current label on it.
// Pure, so the build, the dataset page's exclusion table and the tests share one definition.
import type { LabelValueName } from '../labeling/label-values';
import type { LabelPolicy } from './params';

export interface TurnLabel {
  value: LabelValueName;
  /** When this reviewer last set the label (ms since epoch). */
  at: number;
  reviewerId: string;
}

/** Under the `adjudicated` policy, which source gave the label. */
export type DecidedBy = 'adjudication' | 'majority';

export type PolicyOutcome = { label: LabelValueName; by?: DecidedBy } | { excluded: ExclusionReason };

export const EXCLUSION_REASONS = {
  tie: 'majority tied',
  disagreement: 'reviewers disagree',
  too_few_reviewers: 'too few reviewers',
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;

/**
 * `labels` must be non-empty (unlabeled turns are not candidates for any policy).
 * `adjudicated` is the turn's final label set by an ML lead, if any; only the `adjudicated`
 * policy reads it.
 */
export function resolveTurnLabel(labels: readonly TurnLabel[], policy: LabelPolicy, adjudicated: LabelValueName | null = null): PolicyOutcome {
  if (policy.kind === 'adjudicated') {
    if (adjudicated) return { label: adjudicated, by: 'adjudication' };
    const m = majorityLabel(labels);
    return 'label' in m ? { label: m.label, by: 'majority' } : m;
  }
  if (policy.kind === 'latest') {
    // Most recent change wins; equal times fall back to reviewer id so the result is stable.
    let best = labels[0];
    for (const l of labels) {
      if (l.at > best.at || (l.at === best.at && l.reviewerId > best.reviewerId)) best = l;
    }
    return { label: best.value };
  }
  if (policy.kind === 'majority') return majorityLabel(labels);
  const counts = labelCounts(labels);
  if (counts.size > 1) return { excluded: 'disagreement' };
  if (labels.length < policy.k) return { excluded: 'too_few_reviewers' };
  return { label: labels[0].value };
}

function labelCounts(labels: readonly TurnLabel[]): Map<LabelValueName, number> {
  const counts = new Map<LabelValueName, number>();
  for (const l of labels) counts.set(l.value, (counts.get(l.value) ?? 0) + 1);
  return counts;
}

/** A strict winner, or a tie. */
function majorityLabel(labels: readonly TurnLabel[]): PolicyOutcome {
  let top: LabelValueName | null = null;
  let topCount = 0;
  let tied = false;
  for (const [value, n] of labelCounts(labels)) {
    if (n > topCount) [top, topCount, tied] = [value, n, false];
    else if (n === topCount) tied = true;
  }
  return tied || !top ? { excluded: 'tie' } : { label: top };
}

export interface PolicyTally {
  policy: string;
  included: number;
  excluded: Record<ExclusionReason, number>;
}

export function emptyTally(policy: string): PolicyTally {
  return { policy, included: 0, excluded: { tie: 0, disagreement: 0, too_few_reviewers: 0 } };
}

export function tallyOutcome(t: PolicyTally, o: PolicyOutcome): void {
  if ('label' in o) t.included++;
  else t.excluded[o.excluded]++;
}

/** How many turns each source decided under the `adjudicated` policy (shown on the version page). */
export interface DecidedByTally {
  adjudication: number;
  majority: number;
  excluded: number;
}

export function emptyDecidedBy(): DecidedByTally {
  return { adjudication: 0, majority: 0, excluded: 0 };
}

export function tallyDecidedBy(t: DecidedByTally, o: PolicyOutcome): void {
  if ('excluded' in o) t.excluded++;
  else if (o.by) t[o.by]++;
}
