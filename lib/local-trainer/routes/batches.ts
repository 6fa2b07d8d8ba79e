// /v1/batches: create, retrieve, list (newest first), cancel — OpenAI's Batch API over the
// trainer's chat completions. The handlers only record intent; batch-runner.ts does the work.
import { z } from 'zod';
import { newBatchId } from '../batch-runner';
import { BATCH_ENDPOINTS, COMPLETION_WINDOW_SECONDS, type BatchRecord, type OpenAIBatch } from '../batch-types';
import type { Deps } from '../deps';
import { ApiError, invalidRequest, notFound } from '../errors';
import { readJson, sendJson } from '../http';
import { nowSeconds } from '../ids';
import { paginate } from '../pagination';
import type { RequestContext, Router } from '../router';
import { parseWith } from '../zod-errors';
import { fileOr404 } from './files';

const createBatchSchema = z
  .object({
    input_file_id: z.string().min(1),
    endpoint: z.string().min(1),
    completion_window: z.literal('24h'),
    metadata: z
      .record(z.string().max(64), z.string().max(512))
      .refine((m) => Object.keys(m).length <= 16, 'at most 16 key-value pairs')
      .nullable()
      .optional(),
    output_expires_after: z.object({ anchor: z.literal('created_at'), seconds: z.number().int().min(3600).max(2_592_000) }).optional(),
  })
  .strict();

function batchOr404(deps: Deps, id: string): BatchRecord {
  const rec = deps.store.getBatch(id);
  if (!rec) throw notFound(`No batch found with id '${id}'.`, 'batch_id');
  return rec;
}

async function create({ req, res }: RequestContext, deps: Deps): Promise<void> {
  const p = parseWith(createBatchSchema, await readJson(req));
  if (!BATCH_ENDPOINTS.includes(p.endpoint))
    throw invalidRequest(
      `Invalid 'endpoint': the local trainer runs batches of ${BATCH_ENDPOINTS.join(', ')} (got ${JSON.stringify(p.endpoint)}).`,
      'endpoint',
      'invalid_value',
    );
  const input = fileOr404(deps, p.input_file_id);
  if (input.file.purpose !== 'batch')
    throw invalidRequest(
      `The input file ${input.file.id} must be uploaded with purpose 'batch' (it has '${input.file.purpose}').`,
      'input_file_id',
      'invalid_value',
    );
  const now = nowSeconds();
  const batch: OpenAIBatch = {
    id: newBatchId(),
    object: 'batch',
    endpoint: p.endpoint,
    model: null,
    errors: null,
    input_file_id: input.file.id,
    completion_window: p.completion_window,
    status: 'validating',
    output_file_id: null,
    error_file_id: null,
    created_at: now,
    in_progress_at: null,
    expires_at: now + COMPLETION_WINDOW_SECONDS,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    request_counts: { total: 0, completed: 0, failed: 0 },
    metadata: p.metadata ?? null,
  };
  deps.store.saveBatch({ batch, seq: deps.store.nextSeq() });
  deps.batches.start(batch.id);
  sendJson(res, 200, batch);
}

async function retrieve({ res, params }: RequestContext, deps: Deps): Promise<void> {
  sendJson(res, 200, batchOr404(deps, params.id).batch);
}

async function list({ res, url }: RequestContext, deps: Deps): Promise<void> {
  const items = deps.store
    .listBatches()
    .map((r) => r.batch)
    .reverse();
  const { data, has_more } = paginate(items, url, 20, 100);
  sendJson(res, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more });
}

async function cancel({ res, params }: RequestContext, deps: Deps): Promise<void> {
  const rec = batchOr404(deps, params.id);
  const { status } = rec.batch;
  if (status === 'validating' || status === 'in_progress' || status === 'finalizing') {
    // The runner stops at its next slice and keeps what it answered (status cancelled).
    rec.batch = { ...rec.batch, status: 'cancelling', cancelling_at: nowSeconds() };
    deps.store.saveBatch(rec);
  } else if (status !== 'cancelling' && status !== 'cancelled') {
    throw new ApiError(409, `Cannot cancel a batch with status '${status}'.`, { param: 'batch_id', code: 'invalid_state' });
  }
  sendJson(res, 200, rec.batch);
}

export function batchRoutes(r: Router<Deps>): void {
  r.add('POST', '/v1/batches', create).add('GET', '/v1/batches', list).add('GET', '/v1/batches/{id}', retrieve).add('POST', '/v1/batches/{id}/cancel', cancel);
}
