// Together AI's fine-tuning API (its own, not OpenAI's): upload with POST /files/upload
// (multipart: purpose=fine-tune, file_name, file_type=jsonl, file), create with POST
// /fine-tunes, follow with GET /fine-tunes/{id} and /fine-tunes/{id}/events, cancel with POST
// /fine-tunes/{id}/cancel. Bearer auth. Its statuses are mapped to the Studio's:
//   pending, queued → queued · running, compressing, uploading, cancel_requested → running ·
//   completed → succeeded · error → failed (the message is the job's last error event) ·
//   cancelled → cancelled.
// The fine-tuned model is `model_output_name` (inference: Together's OpenAI-compatible
// /chat/completions with that model). Together keeps no metadata on a job, so a retried
// launch finds its job by the training file it uploaded for this run.
import crypto from 'node:crypto';
import { openAsBlob } from 'node:fs';
import type { FineTuneJob } from '../../generated/prisma/client';
import { togetherHyperparametersSchema } from '../launch-params';
import { requestTimeoutMs } from '../retry-settings';
import type { BasicProviderConfig } from './config';
import type { ProviderHandle } from './client';
import { parseProviderResponse } from './errors';
import { requestJson, type Fetch } from './http';
import { isJobOf } from './openai-protocol';
import type { FineTuneAdapter, ProviderEventRow, ProviderJobState, RequestRunner } from './adapter';
import {
  togetherEventListSchema,
  togetherEventSchema,
  togetherFileSchema,
  togetherJobListSchema,
  togetherJobSchema,
  type TogetherJob,
  type TogetherJobStatus,
} from './together-schemas';

const STATUS: Record<TogetherJobStatus, ProviderJobState['status']> = {
  pending: 'queued',
  queued: 'queued',
  running: 'running',
  compressing: 'running',
  uploading: 'running',
  cancel_requested: 'running',
  cancelled: 'cancelled',
  error: 'failed',
  completed: 'succeeded',
};

/** Uploads can be large: they get longer than one API call (10 min or the request timeout, whichever is longer). */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

function stateOf(j: TogetherJob): ProviderJobState {
  const status = STATUS[j.status];
  const done = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  const tt = j.training_type;
  const resolved: Record<string, string | number | boolean | null> = {};
  if (j.n_epochs != null) resolved.n_epochs = j.n_epochs;
  if (j.batch_size != null) resolved.batch_size = j.batch_size;
  if (j.learning_rate != null) resolved.learning_rate = j.learning_rate;
  if (j.warmup_ratio != null) resolved.warmup_ratio = j.warmup_ratio;
  if (tt) {
    resolved.lora = /lora/i.test(tt.type);
    if (tt.lora_r !== undefined) resolved.lora_r = tt.lora_r;
    if (tt.lora_alpha !== undefined) resolved.lora_alpha = tt.lora_alpha;
  }
  return {
    id: j.id,
    status,
    rawStatus: j.status,
    createdAt: new Date(j.created_at),
    finishedAt: done && j.updated_at ? new Date(j.updated_at) : null,
    // Together names the output model at creation; it serves only once the job completed.
    fineTunedModel: status === 'succeeded' ? (j.model_output_name ?? null) : null,
    trainedTokens: j.token_count ?? null,
    trainingFile: j.training_file ?? null,
    resultFile: null,
    error: null,
    resolvedHyperparameters: Object.keys(resolved).length ? resolved : null,
    studioKey: null,
    suffix: j.suffix ?? null,
  };
}

/** Together's events carry no id: one is derived from what makes an event itself. */
function eventId(e: { created_at: string; type?: string | null; message: string; step?: number | null }): string {
  return `tg-${crypto
    .createHash('sha256')
    .update(`${e.created_at}\u0000${e.type ?? ''}\u0000${e.step ?? ''}\u0000${e.message}`)
    .digest('hex')
    .slice(0, 32)}`;
}

/** The body of POST /fine-tunes for a run (what the launch form asked for; "auto" left to Together). */
export function togetherCreateBody(run: Pick<FineTuneJob, 'baseModel' | 'trainingFileId' | 'validationFileId' | 'suffix' | 'hyperparameters'>) {
  const hp = parseProviderResponse(togetherHyperparametersSchema, run.hyperparameters, { name: 'The run' }, 'hyperparameter set');
  const loraShape =
    hp.lora && (hp.lora_r !== undefined || hp.lora_alpha !== undefined || hp.lora_dropout !== undefined)
      ? {
          training_type: {
            type: 'Lora',
            lora_r: hp.lora_r ?? 8,
            lora_alpha: hp.lora_alpha ?? 2 * (hp.lora_r ?? 8),
            ...(hp.lora_dropout !== undefined ? { lora_dropout: hp.lora_dropout } : {}),
          },
        }
      : hp.lora
        ? {} // LoRA is Together's default when training_type is left out.
        : { training_type: { type: 'Full' } };
  return {
    model: run.baseModel,
    training_file: run.trainingFileId!,
    ...(run.validationFileId ? { validation_file: run.validationFileId, n_evals: 1 } : {}),
    ...(run.suffix ? { suffix: run.suffix } : {}),
    ...(hp.n_epochs !== 'auto' ? { n_epochs: hp.n_epochs } : {}),
    batch_size: hp.batch_size,
    ...(hp.learning_rate !== 'auto' ? { learning_rate: hp.learning_rate } : {}),
    ...(hp.warmup_ratio !== undefined ? { warmup_ratio: hp.warmup_ratio } : {}),
    ...loraShape,
    training_method: { method: 'sft', train_on_inputs: 'auto' },
  };
}

export function togetherAdapter(config: BasicProviderConfig, handle: ProviderHandle, fetchImpl: Fetch): FineTuneAdapter {
  const base = config.baseURL.replace(/\/+$/, '');
  const auth = { authorization: `Bearer ${config.apiKey}` };
  const call = (method: 'GET' | 'POST', path: string, json?: unknown) =>
    requestJson(fetchImpl, { method, url: `${base}${path}`, headers: auth, ...(json !== undefined ? { json } : {}), timeoutMs: requestTimeoutMs() });
  const parseJob = (raw: unknown) => parseProviderResponse(togetherJobSchema, raw, handle, 'fine-tuning job');

  async function events(ctx: RequestRunner, id: string) {
    const raw = await ctx.request(() => call('GET', `/fine-tunes/${encodeURIComponent(id)}/events`));
    const list = parseProviderResponse(togetherEventListSchema, raw, handle, 'event list');
    return list.data.map((e) => togetherEventSchema.safeParse(e)).flatMap((r) => (r.success ? [r.data] : []));
  }

  async function withErrorMessage(ctx: RequestRunner, state: ProviderJobState): Promise<ProviderJobState> {
    if (state.status !== 'failed') return state;
    // A failed job says why only in its events (type job_error, or an error-level event).
    const evs = await events(ctx, state.id).catch(() => []);
    const why = evs.filter((e) => e.type === 'job_error' || e.level === 'error').at(-1);
    return { ...state, error: { message: why?.message ?? null, code: null } };
  }

  return {
    handle,

    async uploadFile(ctx, file) {
      const blob = await openAsBlob(file.path, { type: 'application/jsonl' });
      const raw = await ctx.request(() => {
        const form = new FormData();
        form.set('purpose', 'fine-tune');
        form.set('file_name', file.name);
        form.set('file_type', 'jsonl');
        form.set('file', blob, file.name);
        return requestJson(fetchImpl, {
          method: 'POST',
          url: `${base}/files/upload`,
          headers: auth,
          body: form,
          timeoutMs: Math.max(UPLOAD_TIMEOUT_MS, requestTimeoutMs()),
        });
      });
      return parseProviderResponse(togetherFileSchema, raw, handle, 'file').id;
    },

    async findCreatedJob(ctx, run) {
      if (!run.trainingFileId) return null;
      const raw = await ctx.request(() => call('GET', '/fine-tunes'));
      for (const item of parseProviderResponse(togetherJobListSchema, raw, handle, 'fine-tuning job list').data) {
        const state = stateOf(parseJob(item));
        if (isJobOf(state, run)) return state;
      }
      return null;
    },

    async createJob(run) {
      return stateOf(parseJob(await call('POST', '/fine-tunes', togetherCreateBody(run))));
    },

    async retrieveJob(ctx, id) {
      const state = stateOf(parseJob(await ctx.request(() => call('GET', `/fine-tunes/${encodeURIComponent(id)}`))));
      return withErrorMessage(ctx, state);
    },

    async cancelJob(id) {
      return stateOf(parseJob(await call('POST', `/fine-tunes/${encodeURIComponent(id)}/cancel`)));
    },

    async newEvents(ctx, id, known) {
      const evs = await events(ctx, id);
      const rows: ProviderEventRow[] = evs.map((e) => ({
        id: eventId(e),
        createdAt: new Date(e.created_at),
        level: (e.level ?? 'info').replace(/^legacy_i?/, ''),
        type: e.type ?? null,
        message: e.message,
        data: e.step != null ? { step: e.step } : null,
      }));
      const have = await known(rows.map((r) => r.id));
      return rows.filter((r) => !have.has(r.id)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },
  };
}
