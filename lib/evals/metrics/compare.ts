import type { ClassificationMetrics, ClassMetrics } from './classification';
import { LABELS, type Label } from './labels';

/** Every delta is b − a (positive = b is higher); null when either side is null. */
export interface MetricsDelta {
  accuracy: number | null;
  macroF1: number | null;
  invalidRate: number | null;
  /**
   * Per-class F1 delta; null when the class is absent (no truth, no predictions) from either
   * run, because its F1 there is a 0/0 placeholder, not a score (same rule as macro-F1).
   */
  f1: Record<Label, number | null>;
  prematureEndRate: number | null;
  missedScheduleRate: number | null;
}

function delta(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

function presentF1(c: ClassMetrics): number | null {
  return c.support + c.predicted > 0 ? c.f1 : null;
}

export function compareMetrics(a: ClassificationMetrics, b: ClassificationMetrics): MetricsDelta {
  const f1 = {} as Record<Label, number | null>;
  for (const label of LABELS) f1[label] = delta(presentF1(a.perClass[label]), presentF1(b.perClass[label]));
  return {
    accuracy: delta(a.accuracy, b.accuracy),
    macroF1: delta(a.macroF1, b.macroF1),
    invalidRate: delta(a.invalidRate, b.invalidRate),
    f1,
    prematureEndRate: delta(a.prematureEndRate, b.prematureEndRate),
    missedScheduleRate: delta(a.missedScheduleRate, b.missedScheduleRate),
  };
}
