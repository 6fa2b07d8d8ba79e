// The exit advisor's label set and the shape of one scored prediction. Everything in
// lib/evals/metrics is pure: it takes these records and returns numbers, never touching I/O.

export const LABELS = ['END', 'CONTINUE', 'SCHEDULE'] as const;
export type Label = (typeof LABELS)[number];

// 'invalid' = the model's answer was not exactly one label. It is a prediction column (so it
// shows in the confusion matrix) but never a truth row.
export const PREDICTED = [...LABELS, 'invalid'] as const;
export type PredictedLabel = (typeof PREDICTED)[number];

export interface Prediction {
  truth: Label;
  predicted: PredictedLabel;
  /** Model confidence in [0, 1] for its answer; null when the provider gave none. */
  confidence: number | null;
}

const LABEL_SET: ReadonlySet<string> = new Set(LABELS);
const PREDICTED_SET: ReadonlySet<string> = new Set(PREDICTED);

export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' && LABEL_SET.has(value);
}

export function isPredictedLabel(value: unknown): value is PredictedLabel {
  return typeof value === 'string' && PREDICTED_SET.has(value);
}

/** An invalid answer is always wrong: it can never equal a truth label. */
export function isCorrect(p: Pick<Prediction, 'truth' | 'predicted'>): boolean {
  return p.predicted === p.truth;
}

/**
 * num / den, or null when den is 0. Rates over an empty population are "not applicable",
 * not 0 and not NaN: a UI can print "—" and JSON.stringify keeps them (NaN becomes null
 * silently there anyway, but only after it has poisoned any arithmetic on the way).
 */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}
