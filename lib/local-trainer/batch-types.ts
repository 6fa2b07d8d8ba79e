// The Batch API's objects as OpenAI returns them (the SDK's `Batch`; unset timestamps are null,
// as on OpenAI), and the record the store keeps around one.
import type { Metadata } from './types';

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';
/** A batch in one of these is (or, after a restart, will again be) worked on. */
export const ACTIVE_BATCH_STATUSES: readonly BatchStatus[] = ['validating', 'in_progress', 'finalizing', 'cancelling'];
/** The endpoints a batch may target here: the trainer only answers chat completions. */
export const BATCH_ENDPOINTS = ['/v1/chat/completions'];
export const COMPLETION_WINDOW_SECONDS = 24 * 3600;

export interface BatchLineError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

export interface OpenAIBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  model: string | null;
  errors: { object: 'list'; data: BatchLineError[] } | null;
  input_file_id: string;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Metadata | null;
}

export interface BatchRecord {
  batch: OpenAIBatch;
  seq: number;
}
