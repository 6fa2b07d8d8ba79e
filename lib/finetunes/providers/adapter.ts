// The provider boundary for fine-tuning: what the launch and poll steps need from a trainer,
// in the Studio's terms. One adapter per protocol: openai-protocol.ts (the local trainer,
// OpenAI, Azure OpenAI — the same REST API through the SDK) and together.ts (Together AI's own
// /fine-tunes API). Azure adds a deployment step (azure-deployment.ts). Every adapter checks
// what the provider answers with zod: an unknown status or a missing field is a final
// provider error, so the run ends with the provider's name and what was wrong.
import type { FineTuneJob } from '../../generated/prisma/client';
import type { FineTuneStatus } from '../status';
import type { ProviderHandle } from './client';

/** A provider job as the Studio records it. */
export interface ProviderJobState {
  id: string;
  /** The provider's status in the Studio's terms. */
  status: Extract<FineTuneStatus, 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'>;
  /** The provider's own word for it (what the poll's backoff compares). */
  rawStatus: string;
  createdAt: Date;
  finishedAt: Date | null;
  fineTunedModel: string | null;
  trainedTokens: number | null;
  trainingFile: string | null;
  resultFile: string | null;
  error: { message: string | null; code: string | null } | null;
  resolvedHyperparameters: Record<string, string | number | boolean | null> | null;
  /** The run's idempotency key, when the provider kept the metadata we sent. */
  studioKey: string | null;
  suffix: string | null;
}

export interface ProviderEventRow {
  id: string;
  createdAt: Date;
  level: string;
  type: string | null;
  message: string;
  data: Record<string, unknown> | null;
}

export interface MetricRow {
  step: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  validLoss: number | null;
  validAccuracy: number | null;
}

/** Retries a safe, repeatable request in place (step.ts's ctx.request). */
export interface RequestRunner {
  request<T>(fn: () => Promise<T>): Promise<T>;
}

export interface DeploymentState {
  /** deploying: not serving yet; succeeded: serving under the deployment name; failed: will not. */
  state: 'deploying' | 'succeeded' | 'failed';
  /** The provider's word for it (e.g. ARM's provisioningState). */
  raw: string;
  message: string | null;
}

/** A provider whose fine-tuned model serves only after a deployment (Azure OpenAI). */
export interface ModelDeployer {
  /** The name inference calls will use: stable per run, so a retried step finds the same deployment. */
  deploymentNameFor(run: Pick<FineTuneJob, 'id' | 'suffix'>): string;
  /** Starts the deployment if it does not exist yet, and says how it stands. */
  ensureDeployed(ctx: RequestRunner, deploymentName: string, model: string): Promise<DeploymentState>;
}

/** How far an upload has got (after each part, for a file sent in parts). */
export interface UploadProgress {
  file: string;
  sentBytes: number;
  totalBytes: number;
  /** Null for a file sent in one request. */
  parts: { done: number; total: number } | null;
}

export interface FineTuneAdapter {
  handle: ProviderHandle;
  /** Uploads a JSONL file (on disk) for fine-tuning; the provider's file id. `md5`: its hex md5, when the caller has it. */
  uploadFile(ctx: RequestRunner, file: { path: string; name: string; md5?: string }, onProgress?: (p: UploadProgress) => void): Promise<string>;
  /** The job an earlier attempt of this run created, if the provider has one. */
  findCreatedJob(ctx: RequestRunner, run: FineTuneJob): Promise<ProviderJobState | null>;
  /** Creates the job (not retried in place: a create that timed out may have happened). */
  createJob(run: FineTuneJob): Promise<ProviderJobState>;
  retrieveJob(ctx: RequestRunner, providerJobId: string): Promise<ProviderJobState>;
  cancelJob(providerJobId: string): Promise<ProviderJobState>;
  /** Events the Studio does not have yet (`known` says which of a page's ids it has), oldest first. */
  newEvents(ctx: RequestRunner, providerJobId: string, known: (ids: string[]) => Promise<Set<string>>): Promise<ProviderEventRow[]>;
  /** Metrics from checkpoints, where the provider reports them there. */
  checkpointMetrics?(ctx: RequestRunner, providerJobId: string): Promise<MetricRow[]>;
  deployer?: ModelDeployer;
}
