import { isLabel, isPredictedLabel, LABELS, PREDICTED, type Label, type PredictedLabel, type Prediction } from './labels';

/** matrix[truth][predicted] = count. Always 3 rows × 4 columns, zeros included. */
export type ConfusionMatrix = Record<Label, Record<PredictedLabel, number>>;

export function emptyConfusionMatrix(): ConfusionMatrix {
  const row = (): Record<PredictedLabel, number> => Object.fromEntries(PREDICTED.map((p) => [p, 0])) as Record<PredictedLabel, number>;
  return Object.fromEntries(LABELS.map((l) => [l, row()])) as ConfusionMatrix;
}

export function confusionMatrix(preds: readonly Pick<Prediction, 'truth' | 'predicted'>[]): ConfusionMatrix {
  const matrix = emptyConfusionMatrix();
  for (const p of preds) {
    // Records often come from JSON/DB rows; an unknown label would otherwise turn a cell
    // into NaN (or add a stray key) and corrupt every metric derived from it.
    if (!isLabel(p.truth)) throw new RangeError(`unknown truth label: ${String(p.truth)}`);
    if (!isPredictedLabel(p.predicted)) throw new RangeError(`unknown predicted label: ${String(p.predicted)}`);
    matrix[p.truth][p.predicted] += 1;
  }
  return matrix;
}
