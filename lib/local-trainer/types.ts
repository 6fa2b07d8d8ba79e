// The objects the API returns, shaped like the spec's schemas (spec/openai-finetune-schemas.yaml),
// and the records the store keeps around them.
import type { FineTuneFileStats } from './validate-jsonl';

export type Metadata = Record<string, string>;

export interface OpenAIFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  expires_at?: number;
  filename: string;
  purpose: string;
  status: 'uploaded' | 'processed' | 'error';
  status_details?: string;
}

export type JobStatus = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const ACTIVE_STATUSES: readonly JobStatus[] = ['validating_files', 'queued', 'running'];

export type Auto = 'auto';
export interface Hyperparameters {
  n_epochs: Auto | number;
  batch_size: Auto | number;
  learning_rate_multiplier: Auto | number;
}
export interface ResolvedHyperparameters {
  n_epochs: number;
  batch_size: number;
  learning_rate_multiplier: number;
}

export interface FineTuningJob {
  id: string;
  object: 'fine_tuning.job';
  created_at: number;
  error: { code: string; message: string; param: string | null } | null;
  fine_tuned_model: string | null;
  finished_at: number | null;
  hyperparameters: Hyperparameters;
  model: string;
  organization_id: string;
  result_files: string[];
  status: JobStatus;
  trained_tokens: number | null;
  training_file: string;
  validation_file: string | null;
  integrations: unknown[] | null;
  seed: number;
  estimated_finish: number | null;
  method: { type: 'supervised'; supervised: { hyperparameters: Hyperparameters } };
  metadata: Metadata | null;
  user_provided_suffix: string | null;
}

export interface JobEvent {
  id: string;
  object: 'fine_tuning.job.event';
  created_at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  data?: Record<string, number | string | null>;
}

export interface CheckpointMetrics {
  step: number;
  train_loss: number;
  train_mean_token_accuracy: number;
  valid_loss?: number;
  valid_mean_token_accuracy?: number;
  full_valid_loss?: number;
  full_valid_mean_token_accuracy?: number;
}

export interface JobCheckpoint {
  id: string;
  object: 'fine_tuning.job.checkpoint';
  created_at: number;
  fine_tuned_model_checkpoint: string;
  fine_tuning_job_id: string;
  metrics: CheckpointMetrics;
  step_number: number;
}

/** One row of the result CSV (reference §1.6). */
export interface StepMetrics {
  step: number;
  train_loss: number;
  train_accuracy: number;
  valid_loss: number | null;
  valid_mean_token_accuracy: number | null;
}

export interface FileRecord {
  file: OpenAIFile;
  seq: number;
  /** Set once a `fine-tune` file has validated (status `processed`): what a job needs without re-reading it. */
  stats?: FineTuneFileStats;
  /**
   * How many segments the bytes are in, for a File completed from an Upload's parts: the parts
   * are moved, not copied, to <dataDir>/files/<id>.parts/0…n-1 and read back in that order.
   * Absent: the bytes are the single file <dataDir>/files/<id>.data.
   */
  segments?: number;
}

export interface JobRecord {
  job: FineTuningJob;
  seq: number;
  /** The hyperparameters as asked for ("auto" kept), so a restarted job resolves them again. */
  requested: Hyperparameters;
  /** The name the model gets on success; fixed at creation so a re-run keeps it. */
  modelName: string;
  checkpoints: JobCheckpoint[];
  metrics: StepMetrics[];
  modelDeleted?: boolean;
}

export const ORGANIZATION_ID = 'org-local';
export const BASE_MODEL = 'local-base';

/** The Uploads API's Upload object (the SDK's `Upload`). */
export interface OpenAIUpload {
  id: string;
  object: 'upload';
  bytes: number;
  created_at: number;
  expires_at: number;
  filename: string;
  purpose: string;
  status: 'pending' | 'completed' | 'cancelled' | 'expired';
  file: OpenAIFile | null;
}

export interface UploadPartRecord {
  id: string;
  bytes: number;
  created_at: number;
}

export interface UploadRecord {
  upload: OpenAIUpload;
  mimeType: string;
  /** expires_after.seconds of the File this Upload becomes, when asked for. */
  fileExpiresAfter?: number;
  parts: UploadPartRecord[];
  /** Σ parts' bytes, kept so a part over the Upload's total is refused before it is written. */
  partBytes: number;
}
