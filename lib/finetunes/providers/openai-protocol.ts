// The adapter for trainers that speak OpenAI's fine-tuning REST API through the `openai` SDK:
// the local trainer, OpenAI, and Azure OpenAI (the SDK's AzureOpenAI client). Azure differs in
// three ways the reference documents: a waiting job may say "pending", a create takes the
// hyperparameters at the top level (GA API 2024-10-21) rather than under `method`, and a
// fine-tuned model serves only once deployed (azure-deployment.ts).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import OpenAI, { toStreamingFile } from 'openai';
import type { FineTuneJob } from '../../generated/prisma/client';
import { openAiHyperparametersSchema } from '../launch-params';
import {
  azureJobSchema,
  providerCheckpointSchema,
  providerEventSchema,
  providerFileSchema,
  providerJobSchema,
  stepMetricsSchema,
  type AzureJob,
} from '../provider-schemas';
import type { ProviderHandle } from './client';
import { parseProviderResponse } from './errors';
import type { FineTuneAdapter, MetricRow, ModelDeployer, ProviderEventRow, ProviderJobState, RequestRunner, UploadProgress } from './adapter';
import { filesApiMaxBytes, uploadPartBytes } from './file-limits';

/** Pages of the provider's job list searched for a job this run already created. */
const ADOPT_SEARCH_PAGES = 3;
/** Event pages (of 100) read per poll; a run rarely adds more than one between polls. */
const MAX_EVENT_PAGES = 50;

type Flavor = 'openai' | 'azure';

/** Parts sent at once: enough to keep the link busy while one part's request is being set up. */
const PARTS_IN_FLIGHT = 2;
/** Read size of the file streamed into a request: 1 MB reads cost the SDK side a quarter of 64 KB ones. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * The bytes `start`…`end` (exclusive) of the file as an upload body the SDK encodes lazily
 * (toStreamingFile): read from disk as the request is sent, so neither the file nor a part is
 * in memory. A File or disk-backed Blob would work too, but the SDK sends those through
 * FormData, whose encoder costs this process ~4× the CPU of the streamed body (bench:upload).
 * Called inside each attempt: a retried request reads its range again.
 */
function fileBody(file: { path: string; name: string }, start: number, end: number, name = file.name) {
  // createReadStream's `end` is inclusive, and an empty range must read nothing.
  const data = end > start ? createReadStream(file.path, { start, end: end - 1, highWaterMark: READ_CHUNK_BYTES }) : (async function* () {})();
  return toStreamingFile(data, name, { type: 'application/jsonl' });
}

async function md5Of(path: string): Promise<string> {
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) md5.update(chunk as Buffer);
  return md5.digest('hex');
}

/**
 * A file over the Files API's limit, through the Uploads API: create the Upload with the size,
 * send 64 MB parts (each streamed from its range of the file), then complete with the parts in
 * order and the md5 of the whole file, which the server checks (the caller's, when it hashed
 * the file as it wrote it; else one read here).
 */
async function uploadInParts(
  ctx: RequestRunner,
  client: OpenAI,
  file: { path: string; name: string; md5?: string },
  bytes: number,
  onProgress?: (p: UploadProgress) => void,
): Promise<unknown> {
  const md5 = file.md5 ?? (await md5Of(file.path));
  const upload = await ctx.request(() => client.uploads.create({ bytes, filename: file.name, mime_type: 'text/jsonl', purpose: 'fine-tune' }));
  const partBytes = uploadPartBytes();
  const count = Math.ceil(bytes / partBytes);
  const ids: string[] = new Array(count);
  let next = 0;
  let sent = 0;
  let done = 0;
  onProgress?.({ file: file.name, sentBytes: 0, totalBytes: bytes, parts: { done: 0, total: count } });
  await Promise.all(
    Array.from({ length: Math.min(PARTS_IN_FLIGHT, count) }, async () => {
      while (next < count) {
        const k = next++;
        const start = k * partBytes;
        const end = Math.min(bytes, start + partBytes);
        // A repeated part is harmless: only the ids listed at completion make the file.
        const part = await ctx.request(() => client.uploads.parts.create(upload.id, { data: fileBody(file, start, end, `${file.name}.part${k}`) }));
        ids[k] = part.id;
        sent += end - start;
        onProgress?.({ file: file.name, sentBytes: sent, totalBytes: bytes, parts: { done: ++done, total: count } });
      }
    }),
  );
  // Not retried in place: a completion whose answer was lost cannot be repeated (the Upload is
  // then completed); the launch step's own retry starts a fresh Upload instead.
  const completed = await client.uploads.complete(upload.id, { part_ids: ids, md5 });
  return completed.file;
}

/** OpenAI's (or Azure's) step metrics as a row; null when `data` is not one. */
export function metricRow(data: unknown): MetricRow | null {
  const m = stepMetricsSchema.safeParse(data);
  if (!m.success) return null;
  const d = m.data;
  return {
    step: d.step,
    trainLoss: d.train_loss ?? null,
    trainAccuracy: d.train_mean_token_accuracy ?? d.train_accuracy ?? null,
    validLoss: d.full_valid_loss ?? d.valid_loss ?? null,
    validAccuracy: d.full_valid_mean_token_accuracy ?? d.valid_mean_token_accuracy ?? null,
  };
}

const resolvedValue = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function stateOf(pj: AzureJob): ProviderJobState {
  const hp = pj.method?.supervised?.hyperparameters ?? pj.hyperparameters ?? null;
  const resolved = hp ? Object.fromEntries(Object.entries(hp).filter(([, v]) => resolvedValue(v))) : null;
  return {
    id: pj.id,
    // A paused OpenAI job and a pending Azure one are waiting, like a queued one.
    status: pj.status === 'paused' || pj.status === 'pending' ? 'queued' : pj.status,
    rawStatus: pj.status,
    createdAt: new Date(pj.created_at * 1000),
    finishedAt: pj.finished_at ? new Date(pj.finished_at * 1000) : null,
    fineTunedModel: pj.fine_tuned_model ?? null,
    trainedTokens: pj.trained_tokens ?? null,
    trainingFile: pj.training_file ?? null,
    resultFile: pj.result_files?.[0] ?? null,
    error: pj.error ? { message: pj.error.message ?? null, code: pj.error.code ?? null } : null,
    resolvedHyperparameters: resolved as ProviderJobState['resolvedHyperparameters'],
    studioKey: pj.metadata?.studio_job_key ?? null,
    suffix: pj.user_provided_suffix ?? pj.suffix ?? null,
  };
}

/** A provider job this run created: by the metadata we sent, or (servers that drop metadata) by its training file and suffix. */
export function isJobOf(pj: ProviderJobState, run: Pick<FineTuneJob, 'idempotencyKey' | 'trainingFileId' | 'suffix'>): boolean {
  if (pj.studioKey === run.idempotencyKey) return true;
  // The training file was uploaded for this run alone.
  if (!run.trainingFileId || pj.trainingFile !== run.trainingFileId) return false;
  return !run.suffix || pj.suffix === run.suffix || Boolean(pj.fineTunedModel?.includes(`:${run.suffix}:`) || pj.fineTunedModel?.endsWith(`-${run.suffix}`));
}

export function openAiProtocolAdapter(handle: ProviderHandle, flavor: Flavor, deployer?: ModelDeployer): FineTuneAdapter {
  const client = handle.client;
  const schema = flavor === 'azure' ? azureJobSchema : providerJobSchema;
  const parseJob = (raw: unknown) => stateOf(parseProviderResponse(schema, raw, handle, 'fine-tuning job') as AzureJob);

  return {
    handle,
    deployer,

    async uploadFile(ctx: RequestRunner, file, onProgress) {
      const { size } = await stat(file.path);
      // Azure's GA API has no Uploads API; launch refuses its files over 512 MB (file-limits.ts).
      if (flavor === 'openai' && size > filesApiMaxBytes()) {
        const uploaded = await uploadInParts(ctx, client, file, size, onProgress);
        return parseProviderResponse(providerFileSchema, uploaded, handle, 'file').id;
      }
      onProgress?.({ file: file.name, sentBytes: 0, totalBytes: size, parts: null });
      const uploaded = await ctx.request(() => client.files.create({ file: fileBody(file, 0, size), purpose: 'fine-tune' }));
      onProgress?.({ file: file.name, sentBytes: size, totalBytes: size, parts: null });
      return parseProviderResponse(providerFileSchema, uploaded, handle, 'file').id;
    },

    async findCreatedJob(ctx, run) {
      // Azure's list takes no metadata filter: the plain listing (matched by training file) finds it.
      const searches = flavor === 'azure' ? [{ limit: 100 }] : [{ limit: 100, metadata: { studio_job_key: run.idempotencyKey } }, { limit: 100 }];
      for (const query of searches) {
        let page = await ctx.request(() => client.fineTuning.jobs.list(query));
        for (let n = 0; n < ADOPT_SEARCH_PAGES; n++) {
          for (const raw of page.data) {
            const pj = parseJob(raw);
            if (isJobOf(pj, run)) return pj;
          }
          if (!page.hasNextPage()) break;
          const current = page;
          page = await ctx.request(() => current.getNextPage());
        }
      }
      return null;
    },

    async createJob(run) {
      const hp = parseProviderResponse(openAiHyperparametersSchema, run.hyperparameters, { name: 'The run' }, 'hyperparameter set');
      const common = {
        model: run.baseModel,
        training_file: run.trainingFileId!,
        ...(run.validationFileId ? { validation_file: run.validationFileId } : {}),
        ...(run.suffix ? { suffix: run.suffix } : {}),
        ...(run.seed !== null ? { seed: run.seed } : {}),
      };
      if (flavor === 'azure') {
        // "auto" is left out: Azure picks its defaults for what is not given.
        const hyperparameters = Object.fromEntries(Object.entries(hp).filter(([, v]) => v !== 'auto'));
        return parseJob(await client.fineTuning.jobs.create({ ...common, ...(Object.keys(hyperparameters).length ? { hyperparameters } : {}) }));
      }
      return parseJob(
        await client.fineTuning.jobs.create({
          ...common,
          metadata: { studio_job_key: run.idempotencyKey, studio_job_id: String(run.id) },
          method: { type: 'supervised', supervised: { hyperparameters: hp } },
        }),
      );
    },

    async retrieveJob(ctx, id) {
      return parseJob(await ctx.request(() => client.fineTuning.jobs.retrieve(id)));
    },

    async cancelJob(id) {
      return parseJob(await client.fineTuning.jobs.cancel(id));
    },

    async newEvents(ctx, id, known) {
      const fresh: ProviderEventRow[] = [];
      let page = await ctx.request(() => client.fineTuning.jobs.listEvents(id, { limit: 100 }));
      for (let n = 0; n < MAX_EVENT_PAGES; n++) {
        const events = page.data.map((e) => providerEventSchema.safeParse(e)).flatMap((r) => (r.success ? [r.data] : []));
        const have = await known(events.map((e) => e.id));
        fresh.push(
          ...events
            .filter((e) => !have.has(e.id))
            .map((e) => ({
              id: e.id,
              createdAt: new Date(e.created_at * 1000),
              level: e.level,
              type: e.type ?? null,
              message: e.message,
              data: e.data ?? null,
            })),
        );
        if (have.size > 0 || !page.hasNextPage()) break;
        const current = page;
        page = await ctx.request(() => current.getNextPage());
      }
      // Newest first from the provider; stored oldest first.
      return fresh.reverse();
    },

    async checkpointMetrics(ctx, id) {
      const rows: MetricRow[] = [];
      let page = await ctx.request(() => client.fineTuning.jobs.checkpoints.list(id, { limit: 10 }));
      for (;;) {
        for (const raw of page.data) {
          const c = providerCheckpointSchema.safeParse(raw);
          if (!c.success) continue;
          const row = metricRow({ ...c.data.metrics, step: c.data.step_number });
          if (row) rows.push(row);
        }
        if (!page.hasNextPage()) break;
        const current = page;
        page = await ctx.request(() => current.getNextPage());
      }
      return rows;
    },
  };
}
