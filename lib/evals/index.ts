// The evaluations domain: start runs, run them (worker, CLI, bench), read and compare them.
export { startEvalRun, cancelEvalRun, startEvalRunSchema, createEvalRunRecord, type StartEvalRunInput, type StartedEvalRun } from './start-eval-run';
export { runEval, finishEvalRun, markEvalRunFailed, type RunEvalOptions, type RunEvalResult, type RunEvalStats } from './run-eval';
export { startAutoEvalsForFineTune, type AutoEvalResult } from './auto-evals';
export {
  listEvalRuns,
  getEvalRun,
  getEvalRunLive,
  listPredictions,
  comparisonForFineTune,
  evalLineage,
  canStartEvals,
  RUNS_PAGE_SIZE,
  PREDICTIONS_PAGE_SIZE,
  type PredictionFilter,
  type PredictionRow,
} from './queries';
export { compareEvalRuns, MAX_COMPARED_RUNS, type EvalComparison, type ComparedRun } from './compare';
export { EvalInputError, type InputIssue } from './errors';
export { EVAL_QUEUE, enqueueEvalRun, type EvalRunPayload } from './enqueue';
export { parseCompletion, labelConfidence } from './parse-completion';
export type { EvalMetrics } from './summarize';
export type { EvalRunSettings } from './settings';
