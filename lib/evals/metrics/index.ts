// Pure evaluation metrics for the exit advisor (END / CONTINUE / SCHEDULE). No I/O.
export { LABELS, PREDICTED, isLabel, isPredictedLabel, isCorrect, ratio } from './labels';
export type { Label, PredictedLabel, Prediction } from './labels';
export { confusionMatrix, emptyConfusionMatrix } from './confusion';
export type { ConfusionMatrix } from './confusion';
export { classificationMetrics, classificationMetricsFromConfusion } from './classification';
export type { ClassificationMetrics, ClassificationOptions, ClassMetrics, RateCount } from './classification';
export { compareMetrics } from './compare';
export type { MetricsDelta } from './compare';
export { bootstrapAccuracyInterval, clusteredAccuracyInterval, mulberry32 } from './bootstrap';
export type { BootstrapOptions, ClusteredBootstrapOptions, Interval } from './bootstrap';
export { thresholdMetrics, thresholdCurve, thresholdPoint, thresholdGrid, hasConfidences } from './threshold';
export type { ThresholdPoint } from './threshold';
export { mcnemarTest, mcnemarFromCounts, pairPredictions, chiSquare1dfPValue, erfc, EXACT_BELOW } from './mcnemar';
export type { DiscordanceCounts, McNemarPair, McNemarOptions, McNemarResult, KeyedPrediction, PairedPredictions } from './mcnemar';
export { calibration, calibrationBin, calibrationFromBins } from './calibration';
export type { Calibration, CalibrationBinSums, ReliabilityBin } from './calibration';
export { cohenKappa, fleissKappa, pairMatrix, emptyPairMatrix } from './agreement';
export type { CohenKappa, FleissKappa, ItemCounts, PairMatrix } from './agreement';
