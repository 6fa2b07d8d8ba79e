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

export type PolicyOutcome = { label: LabelValueName } | { excluded: ExclusionReason };

export const EXCLUSION_REASONS = {
  tie: 'majority tied',
  disagreement: 'reviewers disagree',
  too_few_reviewers: 'too few reviewers',
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;

/** `labels` must be non-empty (unlabeled turns are not candidates for any policy). */
export function resolveTurnLabel(labels: readonly TurnLabel[], policy: LabelPolicy): PolicyOutcome {
  if (policy.kind === 'latest') {
    // Most recent change wins; equal times fall back to reviewer id so the result is stable.
    let best = labels[0];
    for (const l of labels) {
      if (l.at > best.at || (l.at === best.at && l.reviewerId > best.reviewerId)) best = l;
    }
    return { label: best.value };
  }
  const counts = new Map<LabelValueName, number>();
  for (const l of labels) counts.set(l.value, (counts.get(l.value) ?? 0) + 1);
  if (policy.kind === 'majority') {
    let top: LabelValueName | null = null;
    let topCount = 0;
    let tied = false;
    for (const [value, n] of counts) {
      if (n > topCount) [top, topCount, tied] = [value, n, false];
      else if (n === topCount) tied = true;
    }
    return tied || !top ? { excluded: 'tie' } : { label: top };
  }
  if (counts.size > 1) return { excluded: 'disagreement' };
  if (labels.length < policy.k) return { excluded: 'too_few_reviewers' };
  return { label: labels[0].value };
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
