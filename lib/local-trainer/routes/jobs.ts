// /v1/fine_tuning/jobs: create, list (newest first, metadata filter), retrieve, cancel, events
// and checkpoints. Training itself happens in the job runner; these handlers only record intent.
import { z } from 'zod';
import type { Deps } from '../deps';
import { ApiError, invalidRequest, notFound } from '../errors';
import { hyperparametersSchema, withDefaults } from '../hyperparameters';
import { readJson, sendJson } from '../http';
import { newJobId, nowSeconds } from '../ids';
import { paginate } from '../pagination';
import type { RequestContext, Router } from '../router';
import { ACTIVE_STATUSES, BASE_MODEL, ORGANIZATION_ID, type JobRecord } from '../types';
import { parseWith } from '../zod-errors';

const metadataSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, 'at most 16 key-value pairs')
  .nullable();

const createJobSchema = z
  .object({
    model: z.string().min(1),
    training_file: z.string().min(1),
    validation_file: z.string().min(1).nullable().optional(),
    // ":" separates the parts of a fine-tuned model name, so it cannot appear in a suffix.
    suffix: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[^:\s]+$/, 'no ":" or whitespace')
      .nullable()
      .optional(),
    seed: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
    hyperparameters: hyperparametersSchema.optional(),
    method: z
      .object({
        type: z.enum(['supervised', 'dpo', 'reinforcement']),
        supervised: z.object({ hyperparameters: hyperparametersSchema.optional() }).strict().optional(),
        dpo: z.unknown().optional(),
        reinforcement: z.unknown().optional(),
      })
      .strict()
      .optional(),
    metadata: metadataSchema.optional(),
    integrations: z.array(z.unknown()).max(5).nullable().optional(),
  })
  .strict();

export function jobOr404(deps: Deps, id: string): JobRecord {
  const rec = deps.store.getJob(id);
  if (!rec) throw notFound(`No fine-tuning job found with id ${id}`, 'fine_tuning_job_id', 'fine_tuning_job_not_found');
  return rec;
}

function checkFile(deps: Deps, id: string, param: 'training_file' | 'validation_file'): void {
  const rec = deps.store.getFile(id);
  if (!rec) throw invalidRequest(`invalid ${param}: ${id}`, param, 'file_not_found');
  if (rec.file.purpose !== 'fine-tune')
    throw invalidRequest(
      `File ${id} has purpose '${rec.file.purpose}'; ${param} must be a file uploaded with purpose 'fine-tune'.`,
      param,
      'invalid_file_purpose',
    );
}

async function create({ req, res }: RequestContext, deps: Deps): Promise<void> {
  const body = await readJson(req);
  const p = parseWith(createJobSchema, body);
  if (p.method && p.method.type !== 'supervised') {
    throw invalidRequest(`The local trainer supports only the 'supervised' method, not '${p.method.type}'.`, 'method.type', 'unsupported_method');
  }
  if (p.method?.supervised?.hyperparameters && p.hyperparameters) {
    throw invalidRequest(
      "Pass hyperparameters either in 'method.supervised.hyperparameters' or in the deprecated top-level 'hyperparameters', not both.",
      'hyperparameters',
    );
  }
  if (p.model !== BASE_MODEL) {
    throw invalidRequest(
      `Model ${p.model} is not available for fine-tuning or does not exist. The local trainer fine-tunes '${BASE_MODEL}'.`,
      'model',
      'model_not_available',
    );
  }
  checkFile(deps, p.training_file, 'training_file');
  if (p.validation_file) checkFile(deps, p.validation_file, 'validation_file');

  const requested = withDefaults(p.method?.supervised?.hyperparameters ?? p.hyperparameters);
  const id = newJobId();
  const rec: JobRecord = {
    seq: deps.store.nextSeq(),
    requested,
    // OpenAI's shape ft:<base>:<org>:<suffix>:<id>, with the org part "local" and the job id's tail as id.
    modelName: `ft:${p.model}:local:${p.suffix ?? ''}:${id.slice(-8)}`,
    checkpoints: [],
    metrics: [],
    job: {
      id,
      object: 'fine_tuning.job',
      created_at: nowSeconds(),
      error: null,
      fine_tuned_model: null,
      finished_at: null,
      hyperparameters: { ...requested },
      model: p.model,
      organization_id: ORGANIZATION_ID,
      result_files: [],
      status: 'validating_files',
      trained_tokens: null,
      training_file: p.training_file,
      validation_file: p.validation_file ?? null,
      integrations: p.integrations ?? null,
      seed: p.seed ?? Math.floor(Math.random() * 2_147_483_647),
      estimated_finish: null,
      method: { type: 'supervised', supervised: { hyperparameters: { ...requested } } },
      metadata: p.metadata ?? null,
      user_provided_suffix: p.suffix ?? null,
    },
  };
  deps.store.saveJob(rec);
  deps.runner.submit(rec);
  if (p.integrations?.length) deps.store.addEvent(id, { level: 'warn', message: 'Integrations are not supported by the local trainer and are ignored' });
  sendJson(res, 200, rec.job);
}

/** `metadata[k]=v` pairs (all must match), or `metadata=null` for jobs without metadata. */
function metadataFilter(url: URL): ((rec: JobRecord) => boolean) | null {
  if (url.searchParams.get('metadata') === 'null') return (rec) => !rec.job.metadata || Object.keys(rec.job.metadata).length === 0;
  const wanted: [string, string][] = [];
  for (const [k, v] of url.searchParams) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) wanted.push([m[1], v]);
  }
  if (!wanted.length) return null;
  return (rec) => wanted.every(([k, v]) => rec.job.metadata?.[k] === v);
}

async function list({ res, url }: RequestContext, deps: Deps): Promise<void> {
  const filter = metadataFilter(url);
  const jobs = deps.store
    .listJobs()
    .reverse()
    .filter((r) => !filter || filter(r))
    .map((r) => r.job);
  sendJson(res, 200, { object: 'list', ...paginate(jobs, url, 20) });
}

async function retrieve({ res, params }: RequestContext, deps: Deps): Promise<void> {
  sendJson(res, 200, jobOr404(deps, params.id).job);
}

async function cancel({ res, params }: RequestContext, deps: Deps): Promise<void> {
  const rec = jobOr404(deps, params.id);
  if (!ACTIVE_STATUSES.includes(rec.job.status)) {
    throw invalidRequest(
      `Job ${rec.job.id} has already ${rec.job.status === 'cancelled' ? 'been cancelled' : rec.job.status}; only validating, queued or running jobs can be cancelled.`,
      null,
      'job_not_cancellable',
    );
  }
  deps.runner.cancel(rec);
  sendJson(res, 200, rec.job);
}

async function events({ res, url, params }: RequestContext, deps: Deps): Promise<void> {
  const rec = jobOr404(deps, params.id);
  const newestFirst = [...deps.store.listEvents(rec.job.id)].reverse();
  sendJson(res, 200, { object: 'list', ...paginate(newestFirst, url, 20) });
}

async function checkpoints({ res, url, params }: RequestContext, deps: Deps): Promise<void> {
  const rec = jobOr404(deps, params.id);
  const page = paginate([...rec.checkpoints].reverse(), url, 10);
  sendJson(res, 200, { object: 'list', ...page, first_id: page.data[0]?.id ?? null, last_id: page.data.at(-1)?.id ?? null });
}

async function unsupported({ params }: RequestContext, deps: Deps): Promise<void> {
  jobOr404(deps, params.id);
  throw new ApiError(400, 'Pausing and resuming jobs is not supported by the local trainer.', { code: 'unsupported_operation' });
}

export function jobRoutes(r: Router<Deps>): void {
  r.add('POST', '/v1/fine_tuning/jobs', create)
    .add('GET', '/v1/fine_tuning/jobs', list)
    .add('GET', '/v1/fine_tuning/jobs/{id}', retrieve)
    .add('POST', '/v1/fine_tuning/jobs/{id}/cancel', cancel)
    .add('GET', '/v1/fine_tuning/jobs/{id}/events', events)
    .add('GET', '/v1/fine_tuning/jobs/{id}/checkpoints', checkpoints)
    .add('POST', '/v1/fine_tuning/jobs/{id}/pause', unsupported)
    .add('POST', '/v1/fine_tuning/jobs/{id}/resume', unsupported);
}
