// The adapter for trainers that speak OpenAI's fine-tuning REST API through the `openai` SDK:
// the local trainer, OpenAI, and Azure OpenAI (the SDK's AzureOpenAI client). Azure differs in
// three ways the reference documents: a waiting job may say "pending", a create takes the
// hyperparameters at the top level (GA API 2024-10-21) rather than under `method`, and a
// fine-tuned model serves only once deployed (azure-deployment.ts).
import { openAsBlob } from 'node:fs';
import { toFile } from 'openai';
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
import type { FineTuneAdapter, MetricRow, ModelDeployer, ProviderEventRow, ProviderJobState, RequestRunner } from './adapter';

/** Pages of the provider's job list searched for a job this run already created. */
const ADOPT_SEARCH_PAGES = 3;
/** Event pages (of 100) read per poll; a run rarely adds more than one between polls. */
const MAX_EVENT_PAGES = 50;

type Flavor = 'openai' | 'azure';

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

    async uploadFile(ctx: RequestRunner, file) {
      const blob = await openAsBlob(file.path, { type: 'application/jsonl' });
      const uploaded = await ctx.request(async () => client.files.create({ file: await toFile(blob, file.name), purpose: 'fine-tune' }));
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
