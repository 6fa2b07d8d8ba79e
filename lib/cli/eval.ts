// npm run eval -- --dataset <name> [--version V] --model <model> [--provider local|openai]
//   [--split test|validation|train] [--concurrency N] [--max-tokens N] [--as EMAIL]
// npm run eval -- --golden --model <model> [--dataset <name> [--version V]] …
// Evaluates a model on a dataset version's split in this process (no worker needed): creates
// the run as the page does, runs it with progress on stderr, and prints as its last stdout
// line {"run_id","dataset","version","split","model","provider","n","accuracy","accuracy_ci",
// "macro_f1","per_class","confusion","invalid", "golden": {…}}; the model is scored on the
// golden set beside it (`golden`). With --golden it scores the golden set alone (rendered with
// the dataset's instructions and context when --dataset is given, else the defaults) and prints
// the same JSON for it. Exit 2 on bad flags (nothing is created), 1 when the run fails, 130 when
// interrupted (the run is marked cancelled).
import { z } from 'zod';
import { cliActor } from '../auth/cli-actor';
import { AuthError } from '../auth/errors';
import type { Actor } from '../auth/session';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { SPLITS } from '../datasets/params';
import { EvalInputError } from '../evals/errors';
import { LABELS, PREDICTED } from '../evals/metrics';
import { runEval, type RunEvalResult } from '../evals/run-eval';
import { startEvalRun } from '../evals/start-eval-run';
import { PROVIDER_IDS } from '../finetunes/provider-ids';
import { datasetParamsSchema, DEFAULT_PARAMS } from '../datasets/params';
import { ensureGoldenVersion } from '../golden/ensure-golden-version';
import { GOLDEN_DATASET_NAME } from '../golden/golden-file';
import { ensureGoldenCompanion } from '../evals/golden-companion';
import { defineCli, oneOf, parseOrExit, wholeNumber } from './flags';

const { values: v } = parseOrExit(
  defineCli({
    command: 'npm run eval --',
    description:
      "Evaluates a model on a dataset version's split in this process (no worker needed), with progress on stderr; the last stdout line is the result as JSON. Exit 2 on bad flags (nothing is created), 1 when the run fails, 130 when interrupted.",
    flags: {
      dataset: { type: 'string', value: 'name', schema: z.string().trim().min(1, 'give the dataset name'), help: 'the dataset (required unless --golden)' },
      golden: { type: 'boolean', help: 'score the model on the hand-written golden set alone' },
      version: {
        type: 'string',
        value: 'V',
        schema: wholeNumber().refine((n) => n >= 1, 'versions start at 1'),
        help: 'its version (default: the latest ready one)',
      },
      model: { type: 'string', value: 'model', required: true, schema: z.string().trim().min(1, 'give the model'), help: 'the model to evaluate' },
      provider: { type: 'string', value: 'local|openai', default: 'local', schema: oneOf(PROVIDER_IDS), help: 'who serves it' },
      split: { type: 'string', value: 'test|validation|train', default: 'test', schema: oneOf(SPLITS), help: 'which split' },
      concurrency: { type: 'string', value: 'N', schema: wholeNumber(), help: 'requests in flight (default EVAL_CONCURRENCY or 8)' },
      'max-tokens': { type: 'string', value: 'N', schema: wholeNumber(), help: 'completion tokens per answer (default EVAL_MAX_TOKENS or 5)' },
      as: { type: 'string', value: 'EMAIL', help: 'act as this user (default: the first admin)' },
    },
  }),
);
if (!v.dataset && !v.golden) {
  console.error('--dataset is required (or --golden to score the golden set)\nRun with --help for the flags.');
  process.exit(2);
}
if (v.golden && v.split !== 'test') {
  console.error('--split: the golden set has only a test split\nRun with --help for the flags.');
  process.exit(2);
}
const version = v.version;
const concurrency = v.concurrency;
const maxTokens = v['max-tokens'];
const provider = v.provider;
const split = v.split;

const FLAG_OF: Record<string, string> = {
  datasetVersionId: 'version',
  model: 'model',
  provider: 'provider',
  split: 'split',
  concurrency: 'concurrency',
  maxTokens: 'max-tokens',
};

const round = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));

function goldenSummary(r: RunEvalResult) {
  const m = r.metrics;
  if (r.status !== 'succeeded' || !m) return { run_id: r.runId, status: r.status, error: r.error };
  return {
    run_id: r.runId,
    n: m.n,
    accuracy: round(m.accuracy),
    macro_f1: round(m.macroF1),
    premature_end_rate: round(m.prematureEndRate),
    ece: round(m.calibration?.ece),
  };
}

function summary(r: RunEvalResult, meta: { dataset: string; version: number }) {
  const m = r.metrics!;
  const perClass = Object.fromEntries(
    LABELS.map((l) => [
      l,
      { precision: round(m.perClass[l].precision), recall: round(m.perClass[l].recall), f1: round(m.perClass[l].f1), support: m.perClass[l].support },
    ]),
  );
  const confusion = Object.fromEntries(LABELS.map((t) => [t, Object.fromEntries(PREDICTED.map((p) => [p, m.confusion[t][p]]))]));
  return {
    run_id: r.runId,
    dataset: meta.dataset,
    version: meta.version,
    split: v.golden ? 'test' : split,
    model: v.model,
    provider,
    n: m.n,
    accuracy: round(m.accuracy),
    accuracy_ci: m.accuracyCi ? [round(m.accuracyCi.low), round(m.accuracyCi.high)] : null,
    macro_f1: round(m.macroF1),
    per_class: perClass,
    confusion,
    invalid: m.invalid,
    errors: m.errors,
  };
}

/** A flag that names something the database does not have: exit 2, after cleaning up. */
class FlagError extends Error {}
function flagError(message: string): never {
  throw new FlagError(message);
}

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
let runId: number | null = null;
const interrupt = new AbortController();
const onSigint = () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write('\n[eval] interrupted: finishing the requests in flight (Ctrl-C again to quit at once)…\n');
  interrupt.abort();
};
process.on('SIGINT', onSigint);
try {
  await applyPendingMigrations(url);
  const { db } = await import('../db');
  const actor: Actor = await cliActor(v.as).catch((e: Error) => flagError(`--as: ${e.message}`));
  let name = v.dataset ?? GOLDEN_DATASET_NAME;
  let row: { id: number; version: number } | null = null;
  let settings: { instructions: string; context: typeof DEFAULT_PARAMS.context } = {
    instructions: DEFAULT_PARAMS.instructions,
    context: DEFAULT_PARAMS.context,
  };
  if (v.dataset) {
    const dataset = await db().dataset.findUnique({ where: { name }, select: { id: true, name: true } });
    if (!dataset) flagError(`--dataset: there is no dataset named "${name}"`);
    const found = version
      ? await db().datasetVersion.findUnique({
          where: { datasetId_version: { datasetId: dataset.id, version } },
          select: { id: true, version: true, params: true },
        })
      : await db().datasetVersion.findFirst({
          where: { datasetId: dataset.id, status: 'ready' },
          orderBy: { version: 'desc' },
          select: { id: true, version: true, params: true },
        });
    if (!found) flagError(version ? `--version: ${name} has no version ${version}` : `--dataset: ${name} has no ready version yet`);
    row = found;
    const p = datasetParamsSchema.parse(found.params);
    settings = { instructions: p.instructions, context: p.context };
  }
  if (v.golden) {
    // The golden set rendered as the dataset renders its turns (or with the defaults).
    const goldenId = await ensureGoldenVersion(settings, actor.id);
    row = await db().datasetVersion.findUniqueOrThrow({ where: { id: goldenId }, select: { id: true, version: true } });
    name = GOLDEN_DATASET_NAME;
  }
  if (!row) flagError('--dataset: no dataset version to evaluate');

  const created = await startEvalRun(
    actor,
    { datasetVersionId: row.id, model: v.model, provider, split: v.golden ? 'test' : split, concurrency, maxTokens },
    { enqueue: false },
  );
  runId = created.runId;
  console.error(
    `[eval] run ${created.runId}: ${created.model} (${created.provider}) on ${name} v${row.version} ${created.split}, ${created.progressTotal.toLocaleString('en-US')} examples`,
  );

  const started = Date.now();
  let lastLine = 0;
  const result = await runEval(created.runId, {
    signal: interrupt.signal,
    log: (line) => console.error(`[eval] ${line}`),
    onProgress: ({ done, total }) => {
      const now = Date.now();
      if (now - lastLine < 1000 && done < total) return;
      lastLine = now;
      const secs = (now - started) / 1000;
      process.stderr.write(
        `[eval] ${secs.toFixed(1)}s ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${((done / Math.max(1, total)) * 100).toFixed(1)}%) ${(done / Math.max(secs, 0.001)).toFixed(1)}/s\n`,
      );
    },
  });
  if (result.status === 'interrupted') {
    await db().evalRun.updateMany({
      where: { id: created.runId, status: 'running' },
      data: { status: 'cancelled', finishedAt: new Date(), error: 'interrupted on the command line' },
    });
    console.error(`[eval] run ${created.runId} cancelled at ${result.done}/${result.total}`);
    code = 130;
  } else if (result.status !== 'succeeded' || !result.metrics) {
    console.error(`Eval failed: ${result.error ?? result.status}`);
    code = 1;
  } else {
    const s = result.stats;
    console.error(
      `[eval] done in ${(s.elapsedMs / 1000).toFixed(1)} s: ${s.requests} requests, ${s.retries} retries${s.logprobsDropped ? ', logprobs not offered (no confidences)' : ''}; accuracy ${result.metrics.accuracy?.toFixed(4)}, macro-F1 ${result.metrics.macroF1?.toFixed(4)}, ${result.metrics.invalid} invalid`,
    );
    const out: Record<string, unknown> = summary(result, { dataset: name, version: row.version });
    if (!v.golden) {
      // Scored on the golden set beside it, in this process too (no worker needed).
      const companion = await ensureGoldenCompanion(created.runId, { enqueue: false });
      if (companion) {
        console.error(`[eval] run ${companion.runId}: the same model on the golden set (hand-written, never trained on)`);
        out.golden = goldenSummary(await runEval(companion.runId, { signal: interrupt.signal, log: (line) => console.error(`[eval] ${line}`) }));
      }
    }
    console.log(JSON.stringify(out));
  }
} catch (e) {
  code = 1;
  if (e instanceof FlagError) {
    console.error(`${e.message}\nNothing was created.`);
    code = 2;
  } else if (e instanceof EvalInputError) {
    for (const i of e.issues) console.error(`--${FLAG_OF[i.field] ?? i.field}: ${i.message}`);
    console.error('Nothing was created.');
    code = 2;
  } else if (e instanceof AuthError) {
    console.error(e.message);
  } else {
    console.error(`Eval failed: ${(e as Error).message}`);
    if (runId !== null) {
      const { markEvalRunFailed } = await import('../evals/run-eval');
      await markEvalRunFailed(runId, (e as Error).message).catch(() => {});
    }
  }
} finally {
  process.off('SIGINT', onSigint);
  await disconnectDb();
  await embedded?.stop();
}
process.exit(code);
