// A run's metrics from its predictions in memory, with lib/evals/metrics: the reference the SQL
// path (summarize-run.ts, what a finishing run uses) is tested against, and the shape both return.
import {
  bootstrapAccuracyInterval,
  calibration,
  classificationMetrics,
  hasConfidences,
  thresholdCurve,
  thresholdMetrics,
  type Calibration,
  type ClassificationMetrics,
  type Interval,
  type Prediction,
  type ThresholdPoint,
} from './metrics';
import { BOOTSTRAP_CONFIDENCE, BOOTSTRAP_RESAMPLES, DEFAULT_CONFIDENCE_THRESHOLD } from './settings';

export interface ScoredPrediction extends Prediction {
  /** The conversation of the turn: the bootstrap resamples conversations, not turns. */
  conversationId?: number;
  error: string | null;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
}

/** eval_runs.metrics. */
export interface EvalMetrics extends ClassificationMetrics {
  /**
   * Percentile-bootstrap interval for accuracy; null when n = 0. `unit` says what was resampled:
   * 'conversation' (turns of one conversation move together) or, for runs stored before
   * clustering, 'turn'.
   */
  accuracyCi: (Interval & { confidence: number; resamples: number; unit?: 'conversation' | 'turn'; clusters?: number }) | null;
  /** Reliability bins and expected calibration error; null when the provider gave no confidences. */
  calibration?: Calibration | null;
  /** Coverage/accuracy at thresholds 0, 0.05, …, 1; null when the provider gave no confidences. */
  thresholdCurve: ThresholdPoint[] | null;
  /** Acting only when confidence ≥ `threshold`: coverage, and the metrics of the covered part. */
  atThreshold: (ThresholdPoint & { metrics: ClassificationMetrics }) | null;
  /** Predictions with a confidence. */
  withConfidence: number;
  /** Examples the provider refused with a non-retryable error (scored invalid, with the error). */
  errors: number;
  latencyMs: { p50: number; p95: number; mean: number } | null;
  tokens: { prompt: number; completion: number };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarizePredictions(preds: readonly ScoredPrediction[], threshold = DEFAULT_CONFIDENCE_THRESHOLD): EvalMetrics {
  const base = classificationMetrics(preds);
  const clustered = preds.length > 0 && preds.every((p) => typeof p.conversationId === 'number');
  const clusters = clustered ? preds.map((p) => p.conversationId!) : undefined;
  const ci = bootstrapAccuracyInterval(preds, { resamples: BOOTSTRAP_RESAMPLES, confidence: BOOTSTRAP_CONFIDENCE, clusters });
  const withConf = hasConfidences(preds);
  let atThreshold: EvalMetrics['atThreshold'] = null;
  if (withConf) {
    const point = thresholdMetrics(preds, threshold);
    const covered = preds.filter((p) => typeof p.confidence === 'number' && Number.isFinite(p.confidence) && p.confidence >= threshold);
    atThreshold = { ...point, metrics: classificationMetrics(covered) };
  }
  const latencies = preds.flatMap((p) => (p.latencyMs === null ? [] : [p.latencyMs])).sort((a, b) => a - b);
  return {
    ...base,
    accuracyCi: ci
      ? {
          ...ci,
          confidence: BOOTSTRAP_CONFIDENCE,
          resamples: BOOTSTRAP_RESAMPLES,
          unit: clustered ? 'conversation' : 'turn',
          ...(clusters ? { clusters: new Set(clusters).size } : {}),
        }
      : null,
    calibration: withConf ? calibration(preds) : null,
    thresholdCurve: withConf ? thresholdCurve(preds) : null,
    atThreshold,
    withConfidence: preds.filter((p) => typeof p.confidence === 'number' && Number.isFinite(p.confidence)).length,
    errors: preds.filter((p) => p.error !== null).length,
    latencyMs: latencies.length
      ? { p50: percentile(latencies, 50), p95: percentile(latencies, 95), mean: latencies.reduce((a, b) => a + b, 0) / latencies.length }
      : null,
    tokens: {
      prompt: preds.reduce((s, p) => s + (p.promptTokens ?? 0), 0),
      completion: preds.reduce((s, p) => s + (p.completionTokens ?? 0), 0),
    },
  };
}
