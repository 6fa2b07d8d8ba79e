// Messages between the job runner (server process) and the training worker thread.
import type { CheckpointMetrics, ResolvedHyperparameters, StepMetrics } from './types';

export interface WorkerInput {
  jobId: string;
  /** The File's bytes in order (one path, or an Upload's parts). */
  trainingPath: string[];
  validationPath: string[] | null;
  hyperparameters: ResolvedHyperparameters;
  seed: number;
  /** Where weights go: <modelDir>/ckpt-step-<N>.bin, final.bin and model.json. */
  modelDir: string;
  modelName: string;
  baseModel: string;
}

export interface ModelManifest {
  featurizer: string;
  labels: string[];
  job_id: string;
  fine_tuned_model: string;
  base_model: string;
  created_at: number;
}

export type WorkerMessage =
  | { t: 'prepared'; examples: number; validExamples: number; unknownValidLabels: number; heldOutFromTraining: boolean; labels: string[]; totalSteps: number }
  | { t: 'metrics'; metrics: StepMetrics; totalSteps: number }
  | { t: 'checkpoint'; epoch: number; step: number; metrics: CheckpointMetrics; file: string }
  | { t: 'done'; steps: number; bestEpoch: number; temperature: number };

export const checkpointFile = (step: number) => `ckpt-step-${step}.bin`;
export const FINAL_WEIGHTS = 'final.bin';
export const MANIFEST = 'model.json';
