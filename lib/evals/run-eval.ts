// Running an eval: one chat completion per example of the split, a bounded pool of concurrent
// requests, retries with capped backoff, predictions stored in batches (idempotent per
// example, so a retried or resumed run skips what is done), live progress, then the metrics.
// A large run on a provider with a Batch API sends its requests as batches first
// (batch-eval.ts, batch-settings.ts); whatever they leave unanswered goes through the pool.
// The worker's `eval-run` handler calls this; so do the CLI and the benchmark, in-process.
import type OpenAI from 'openai';
import { db } from '../db';
import { promptMessages } from '../datasets/example-line';
import { FineTuneProviderError } from '../finetunes/errors';
import { providerClient, type ProviderHandle } from '../finetunes/providers';
import type { ProviderId } from '../finetunes/provider-ids';
import type { EvalRunStatus, Prisma } from '../generated/prisma/client';
import type { LabelValueName } from '../labeling/label-values';
import { abortableSleep, backoffDelay } from '../retry';
import { askForLabel } from './ask-label';
import { runEvalBatches, type BatchExample } from './batch-eval';
import { batchPlan } from './batch-settings';
import { classifyRequestError } from './request-errors';
import { RunFailure } from './run-failure';
import { defaultRetryPolicy, MAX_ERROR_RATE, type EvalRunSettings, type RetryPolicy } from './settings';
import type { EvalMetrics } from './summarize';
import { summarizeRun } from './summarize-run';
import { storePredictions, type PredictionInput } from './store-predictions';
import { parseStoredOrNull, storedJson } from '../stored-json';
import { evalMetricsSchema } from './stored-json';

/** Examples read per query (keyset by ordinal): a 100k-example split is never loaded at once. */
const FETCH_BATCH = 500;
/** Predictions written per INSERT, at the latest every tick. */
const INSERT_BATCH = 500;
/** Progress is written (and reported) at most this often. */
const TICK_MS = 250;
/** The early stop: after this many answers in a session, a majority of failures fails the run. */
const EARLY_FAIL_AFTER = 20;

export interface RunEvalOptions {
  /** Stops taking new examples; what is answered is stored and the run stays `running` to resume. */
  signal?: AbortSignal;
  /** Called at most ~4×/s and once at the end with the examples done so far. */
  onProgress?: (p: { done: number; total: number }) => void;
  log?: (line: string) => void;
  /**
   * Stop (as `signal` would) once this call has answered this many examples: a partial run,
   * resumable like one whose worker died (tests, smoke checks).
   */
  stopAfter?: number;
  /** Retry and timeout overrides (tests, benchmarks); default EVAL_MAX_ATTEMPTS, EVAL_REQUEST_TIMEOUT_MS. */
  retry?: Partial<RetryPolicy>;
}

export interface RunEvalStats {
  /** Requests sent by this call (retries included). */
  requests: number;
  retries: number;
  /** Answers of 429 / 5xx / timeouts and connection errors seen (each retried or given up on). */
  rateLimited: number;
  serverErrors: number;
  connectionErrors: number;
  /** Predictions this call stored (a resumed run stores only the rest). */
  stored: number;
  logprobsDropped: boolean;
  elapsedMs: number;
}

export interface RunEvalResult {
  runId: number;
  /** `interrupted`: stopped by `signal` before the end; the run is still `running` and resumable. */
  status: EvalRunStatus | 'interrupted';
  done: number;
  total: number;
  metrics: EvalMetrics | null;
  error: string | null;
  stats: RunEvalStats;
}

interface ExampleRow {
  ordinal: number;
  conversationId: number;
  messageId: number;
  label: LabelValueName;
  userContent: string;
}

type PredictionRow = PredictionInput;

/** Hands examples to the pool one at a time, reading them in ordinal batches (one prefetched). */
class ExampleSource {
  private buffer: ExampleRow[] = [];
  private index = 0;
  private after = 0;
  private exhausted = false;
  private prefetch: Promise<ExampleRow[]> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly fetchBatch: (after: number) => Promise<ExampleRow[]>) {}

  /** Serialised, so concurrent callers each get a different example. */
  next(): Promise<ExampleRow | null> {
    const p = this.queue.then(() => this.take());
    this.queue = p.catch(() => {});
    return p;
  }

  private async take(): Promise<ExampleRow | null> {
    if (this.index >= this.buffer.length) {
      if (this.exhausted) return null;
      const rows = await (this.prefetch ?? this.fetchBatch(this.after));
      this.prefetch = null;
      if (rows.length < FETCH_BATCH) this.exhausted = true;
      if (rows.length === 0) return null;
      this.buffer = rows;
      this.index = 0;
      this.after = rows[rows.length - 1].ordinal;
      if (!this.exhausted) {
        this.prefetch = this.fetchBatch(this.after);
        this.prefetch.catch(() => {}); // awaited (and rethrown) by the next take
      }
    }
    return this.buffer[this.index++];
  }
}

const sleep = abortableSleep;

function readSettings(raw: unknown): EvalRunSettings {
  const s = (raw ?? {}) as Partial<EvalRunSettings>;
  return {
    concurrency: Number.isInteger(s.concurrency) && s.concurrency! >= 1 ? s.concurrency! : 8,
    maxTokens: Number.isInteger(s.maxTokens) && s.maxTokens! >= 1 ? s.maxTokens! : 5,
    temperature: 0,
    logprobs: s.logprobs !== false,
    topLogprobs: Number.isInteger(s.topLogprobs) ? s.topLogprobs! : 3,
  };
}

/** Marks a run failed (unless it already ended) with `message`. */
export async function markEvalRunFailed(runId: number, message: string): Promise<void> {
  await db().evalRun.updateMany({
    where: { id: runId, status: { in: ['queued', 'running'] } },
    data: { status: 'failed', error: message.slice(0, 4000), finishedAt: new Date() },
  });
}

function emptyStats(): RunEvalStats {
  return { requests: 0, retries: 0, rateLimited: 0, serverErrors: 0, connectionErrors: 0, stored: 0, logprobsDropped: false, elapsedMs: 0 };
}

/** The run as it stands (for a run that had already ended when runEval was called). */
async function currentResult(runId: number, stats: RunEvalStats): Promise<RunEvalResult> {
  const run = await db().evalRun.findUniqueOrThrow({ where: { id: runId } });
  return {
    runId,
    status: run.status,
    done: run.progressDone,
    total: run.progressTotal,
    metrics: parseStoredOrNull(evalMetricsSchema, run.metrics, 'eval_runs.metrics'),
    error: run.error,
    stats,
  };
}

/**
 * Runs (or resumes) eval run `runId` to its end. Returns when the run has succeeded or failed,
 * or — with `opts.signal` aborted — has stopped early and can be resumed by calling it again.
 * Throws only on trouble worth retrying the whole job for (database errors, a local trainer
 * without a key yet); the run is then still `running` and a later call resumes it.
 */
export async function runEval(runId: number, opts: RunEvalOptions = {}): Promise<RunEvalResult> {
  const started = performance.now();
  const stats = emptyStats();
  const log = opts.log ?? (() => {});
  const policy: RetryPolicy = { ...defaultRetryPolicy(), ...opts.retry };

  const claimed = await db().evalRun.updateMany({
    where: { id: runId, status: { in: ['queued', 'running'] } },
    data: { status: 'running', error: null },
  });
  const run = await db().evalRun.findUnique({
    where: { id: runId },
    include: { datasetVersion: { select: { params: true, status: true } } },
  });
  if (!run) throw new Error(`eval run ${runId} does not exist`);
  if (claimed.count === 0) return currentResult(runId, stats);
  if (!run.startedAt) await db().evalRun.update({ where: { id: runId }, data: { startedAt: new Date() } });

  const fail = async (message: string): Promise<RunEvalResult> => {
    await markEvalRunFailed(runId, message);
    log(`run ${runId} failed: ${message}`);
    stats.elapsedMs = performance.now() - started;
    return currentResult(runId, stats);
  };

  const instructions = (run.datasetVersion.params as { instructions?: unknown } | null)?.instructions;
  if (typeof instructions !== 'string' || !instructions.trim()) return fail('the dataset version has no instructions (system prompt)');
  const settings = readSettings(run.settings);

  let handle: ProviderHandle;
  try {
    handle = await providerClient(run.provider as ProviderId);
  } catch (e) {
    // Not configured (or the provider id is unknown): final. A local trainer that has not written
    // its key yet is transient: thrown, so the job is retried.
    if (e instanceof FineTuneProviderError && e.transient) throw e;
    return fail((e as Error).message);
  }
  const client: OpenAI = handle.client;

  const total = await db().datasetExample.count({ where: { versionId: run.datasetVersionId, split: run.split } });
  let done = await db().evalPrediction.count({ where: { runId } });
  let reportedDone = -1;
  /** Answers a provider batch holds that are not stored yet (batch-eval.ts): part of the progress shown. */
  let inFlight = 0;

  // The examples without a prediction yet, in ordinal batches (a new source per pass).
  const fetchExamples = (after: number, limit: number) => db().$queryRaw<ExampleRow[]>`
      SELECT e.ordinal, e.conversation_id AS "conversationId", e.message_id AS "messageId", e.label::text AS label, e.user_content AS "userContent"
      FROM dataset_examples e
      WHERE e.version_id = ${run.datasetVersionId} AND e.split = ${run.split}::"DatasetSplit" AND e.ordinal > ${after}
        AND NOT EXISTS (SELECT 1 FROM eval_predictions p WHERE p.run_id = ${runId} AND p.ordinal = e.ordinal)
      ORDER BY e.ordinal
      LIMIT ${limit}`;
  const newSource = () => new ExampleSource((after) => fetchExamples(after, FETCH_BATCH));

  // Stop: the caller's signal, a failure that ends the run, or the run ended elsewhere (cancelled).
  const stop = new AbortController();
  const onCallerAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  let failure: string | null = null;
  let endedElsewhere = false;
  let storeError: unknown = null;
  let useLogprobs = settings.logprobs;
  let sessionAnswers = 0;
  let sessionErrors = 0;
  let lastError = '';

  // ---- storing predictions and progress ----
  let pending: PredictionRow[] = [];
  let writes: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (pending.length === 0) return writes;
    const rows = pending;
    pending = [];
    writes = writes
      .then(async () => {
        const count = await storePredictions(rows);
        done += count;
        stats.stored += count;
      })
      .catch((e) => {
        storeError ??= e;
        stop.abort();
      });
    return writes;
  };

  let logprobsSaved = !settings.logprobs;
  let ticking = false;
  const tick = async () => {
    if (ticking) return;
    ticking = true;
    try {
      await flush();
      // Written every tick, changed or not: the same statement notices a run cancelled meanwhile.
      const shown = Math.min(total, done + inFlight);
      const data: Prisma.EvalRunUpdateManyMutationInput = { progressDone: shown };
      if (!useLogprobs && !logprobsSaved) data.settings = storedJson({ ...settings, logprobs: false });
      const r = await db().evalRun.updateMany({ where: { id: runId, status: 'running' }, data });
      if (r.count === 0) {
        endedElsewhere = true;
        stop.abort();
      }
      if (data.settings) logprobsSaved = true;
      if (shown !== reportedDone) {
        reportedDone = shown;
        opts.onProgress?.({ done: shown, total });
      }
    } catch (e) {
      storeError ??= e;
      stop.abort();
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), TICK_MS);

  // ---- one example ----

  /** A row to store; `skipped` when transient errors outlasted the attempts (tried again next pass); null when stopped. */
  const predict = async (ex: ExampleRow): Promise<PredictionRow | { skipped: string } | null> => {
    const base = { runId, ordinal: ex.ordinal, conversationId: ex.conversationId, messageId: ex.messageId, truth: ex.label };
    const messages = promptMessages(instructions, ex.userContent);
    for (let attempt = 1; ; attempt++) {
      if (stop.signal.aborted) return null;
      const withLogprobs = useLogprobs;
      stats.requests++;
      try {
        const a = await askForLabel(
          client,
          { model: run.model, messages, maxTokens: settings.maxTokens, logprobs: withLogprobs, topLogprobs: settings.topLogprobs },
          { timeoutMs: policy.timeoutMs },
        );
        return {
          ...base,
          predicted: a.predicted,
          confidence: a.confidence,
          rawOutput: a.rawOutput,
          latencyMs: a.latencyMs,
          promptTokens: a.promptTokens,
          completionTokens: a.completionTokens,
          error: null,
        };
      } catch (e) {
        const c = classifyRequestError(e);
        if (c.status === 429) stats.rateLimited++;
        else if (c.status !== null && c.status >= 500) stats.serverErrors++;
        else if (c.kind === 'retry' && c.status === null) stats.connectionErrors++;
        if (c.kind === 'no-logprobs' && withLogprobs) {
          // The provider does not offer logprobs: ask again without, for the rest of the run.
          if (useLogprobs) log(`run ${runId}: ${handle.name} refused logprobs (${c.message}); continuing without confidences`);
          useLogprobs = false;
          stats.logprobsDropped = true;
          attempt--;
          continue;
        }
        if (c.kind === 'fatal') throw new RunFailure(`${handle.name}: ${c.message}`);
        if (c.kind === 'retry' && attempt < policy.maxAttempts) {
          stats.retries++;
          await sleep(backoffDelay(attempt, policy, c.retryAfterMs), stop.signal);
          continue;
        }
        // Infrastructure trouble is not the model's answer: not scored, the example waits for the next pass.
        if (c.kind === 'retry') return { skipped: `${c.message} (${attempt} attempts)` };
        // The provider refuses this one example (e.g. a prompt over the context window): invalid, with why.
        return {
          ...base,
          predicted: 'invalid',
          confidence: null,
          rawOutput: null,
          latencyMs: null,
          promptTokens: null,
          completionTokens: null,
          error: c.message.slice(0, 2000),
        };
      }
    }
  };

  /** Counts one answer of this session; a provider that is down, or refuses most prompts, ends the run early. */
  const answered = (error: string | null) => {
    sessionAnswers++;
    if (error) {
      sessionErrors++;
      lastError = error;
      if (sessionAnswers >= EARLY_FAIL_AFTER && sessionErrors / sessionAnswers > MAX_ERROR_RATE) {
        throw new RunFailure(`${sessionErrors} of ${sessionAnswers} requests to ${handle.name} failed; last error: ${lastError}`);
      }
    }
    if (opts.stopAfter !== undefined && sessionAnswers >= opts.stopAfter) stop.abort();
  };

  // ---- a large run: the provider's Batch API (batch-eval.ts); what it leaves goes per request below ----
  let unexpected: unknown = null;
  const plan = batchPlan(run.provider, total - done) ?? (run.providerBatchIds.length ? batchPlan(run.provider, Number.MAX_SAFE_INTEGER) : null);
  if (plan && !stop.signal.aborted) {
    try {
      await runEvalBatches({
        runId,
        model: run.model,
        instructions,
        settings,
        client,
        providerName: handle.name,
        plan,
        policy,
        createBatches: batchPlan(run.provider, total - done) !== null,
        signal: stop.signal,
        batchIds: run.providerBatchIds,
        saveBatchIds: async (ids) => {
          await db().evalRun.update({ where: { id: runId }, data: { providerBatchIds: ids } });
        },
        remaining: () => total - done,
        fetchExamples: (after, limit) => fetchExamples(after, limit),
        lookupExamples: (ordinals) => db().$queryRaw<Omit<BatchExample, 'userContent'>[]>`
          SELECT e.ordinal, e.conversation_id AS "conversationId", e.message_id AS "messageId", e.label::text AS label
          FROM dataset_examples e
          WHERE e.version_id = ${run.datasetVersionId} AND e.split = ${run.split}::"DatasetSplit" AND e.ordinal = ANY(${ordinals}::int[])`,
        useLogprobs: () => useLogprobs,
        refuseLogprobs: (message) => {
          log(`run ${runId}: ${handle.name} refused logprobs (${message}); continuing without confidences`);
          useLogprobs = false;
          stats.logprobsDropped = true;
        },
        answered,
        store: async (rows) => {
          pending.push(...rows);
          await flush();
        },
        showInFlight: (n) => {
          inFlight = n;
        },
        endedElsewhere: () => endedElsewhere,
        log,
        stats,
      });
    } catch (e) {
      if (e instanceof RunFailure) failure ??= e.message;
      else unexpected ??= e;
      stop.abort();
    }
    inFlight = 0;
  }

  // ---- the pool: N loops over one shared source ----
  let skipped = 0;
  const loop = async (source: ExampleSource) => {
    while (!stop.signal.aborted) {
      const ex = await source.next();
      if (!ex) return;
      const row = await predict(ex);
      if (!row) return;
      const error = 'skipped' in row ? row.skipped : row.error;
      if ('skipped' in row) skipped++;
      else pending.push(row);
      answered(error);
      if (pending.length >= INSERT_BATCH) void flush();
    }
  };
  // Pass 1 covers every example; later passes only those skipped after transient errors.
  for (let pass = 1; pass <= policy.passes && !stop.signal.aborted; pass++) {
    skipped = 0;
    const source = newSource();
    const results = await Promise.allSettled(
      Array.from({ length: settings.concurrency }, () =>
        loop(source).catch((e) => {
          stop.abort();
          throw e;
        }),
      ),
    );
    for (const r of results) {
      if (r.status !== 'rejected') continue;
      if (r.reason instanceof RunFailure) failure ??= r.reason.message;
      else unexpected ??= r.reason;
    }
    await flush(); // the next pass reads what is stored
    if (skipped === 0 || stop.signal.aborted) break;
    if (pass < policy.passes) log(`run ${runId}: ${skipped} examples hit transient errors (${lastError}); pass ${pass + 1} of ${policy.passes} retries them`);
    else failure ??= `${skipped} examples still failed after ${policy.passes} passes of ${policy.maxAttempts} attempts; last error: ${lastError}`;
  }
  clearInterval(timer);
  opts.signal?.removeEventListener('abort', onCallerAbort);
  while (ticking) await sleep(10, new AbortController().signal);
  await tick();
  if (storeError) throw storeError;
  if (unexpected) throw unexpected;
  stats.elapsedMs = performance.now() - started;
  if (failure) return fail(failure);
  if (endedElsewhere) return currentResult(runId, stats);
  if (done < total) {
    // Stopped by the caller before the end: the run stays `running`; calling runEval resumes it.
    return { runId, status: 'interrupted', done, total, metrics: null, error: null, stats };
  }
  return finishEvalRun(runId, { total, stats, log });
}

/**
 * Scores a run whose predictions are all stored and ends it (succeeded, or failed when the
 * provider refused most examples). The metrics are aggregated in PostgreSQL (summarize-run.ts):
 * no prediction is loaded, and the bootstrap yields to the event loop, so a worker finishing a
 * 1M-prediction run keeps its pg-boss heartbeats and other jobs' timers going.
 */
export async function finishEvalRun(runId: number, opts: { total?: number; stats?: RunEvalStats; log?: (line: string) => void } = {}): Promise<RunEvalResult> {
  const stats = opts.stats ?? emptyStats();
  const log = opts.log ?? (() => {});
  const metrics = await summarizeRun(runId);
  const total = opts.total ?? metrics.n;
  let status: EvalRunStatus = 'succeeded';
  let error: string | null = null;
  if (metrics.n > 0 && metrics.errors / metrics.n > MAX_ERROR_RATE) {
    const first = await db().evalPrediction.findFirst({ where: { runId, error: { not: null } }, orderBy: { ordinal: 'asc' }, select: { error: true } });
    status = 'failed';
    error = `the provider refused ${metrics.errors} of ${metrics.n} examples; first error: ${first?.error ?? 'unknown'}`;
  }
  const r = await db().evalRun.updateMany({
    where: { id: runId, status: 'running' },
    data: {
      status,
      error,
      metrics: storedJson(metrics),
      accuracy: metrics.accuracy,
      macroF1: metrics.macroF1,
      progressDone: metrics.n,
      progressTotal: total,
      finishedAt: new Date(),
    },
  });
  if (r.count === 0) return currentResult(runId, stats);
  log(`run ${runId} ${status}: ${metrics.n} examples, accuracy ${metrics.accuracy?.toFixed(4) ?? '—'}`);
  return { runId, status, done: metrics.n, total, metrics, error, stats };
}
