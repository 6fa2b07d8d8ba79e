// A large eval run through the provider's Batch API: the examples still without a prediction are
// written, a batch at a time, as a JSONL file of the very chat-completion bodies the per-request
// path sends (labelRequestBody), uploaded (`files.create`, purpose batch), and run as a batch
// (`batches.create`); the run follows the oldest batch (`batches.retrieve`, its request_counts
// in the run's progress) while the next ones wait at the provider, then streams its output and
// error files (`files.content`) into predictions with the run's batched insert. Per-request
// cost is what this saves: one SDK call per example is ~1 ms of the worker's CPU, a line of a
// file a few µs.
//
// Each answer goes through the same handling as a single request's: a 200 is parsed by
// parseCompletion, a refused request becomes the SDK error the same response would have thrown
// and is classified by classifyRequestError (fatal ends the run, a refused example is stored
// invalid with the reason, transient ones and lines the batch never reached are left without a
// prediction for the next pass). The run stores the ids of its batches in flight
// (eval_runs.provider_batch_ids), so a worker that restarts follows them instead of asking again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { promptMessages } from '../datasets/example-line';
import type { LabelValueName } from '../labeling/label-values';
import { abortableSleep, backoffDelay } from '../retry';
import { labelRequestBody } from './ask-label';
import type { BatchPlan } from './batch-settings';
import { parseCompletion, type CompletionLike } from './parse-completion';
import { classifyRequestError } from './request-errors';
import { RunFailure } from './run-failure';
import type { EvalRunSettings, RetryPolicy } from './settings';
import type { PredictionInput } from './store-predictions';

const ENDPOINT = '/v1/chat/completions';
/** Examples read per query while writing a batch file, and output lines stored per insert. */
const CHUNK = 500;
const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface BatchExample {
  ordinal: number;
  conversationId: number;
  messageId: number;
  label: LabelValueName;
  userContent: string;
}

export interface BatchEvalStats {
  requests: number;
  retries: number;
  rateLimited: number;
  serverErrors: number;
  connectionErrors: number;
  logprobsDropped: boolean;
}

export interface BatchEvalContext {
  runId: number;
  model: string;
  instructions: string;
  settings: EvalRunSettings;
  client: OpenAI;
  providerName: string;
  plan: BatchPlan;
  policy: RetryPolicy;
  /** False: only follow the batches already on the run (batches were turned off meanwhile). */
  createBatches: boolean;
  signal: AbortSignal;
  /** The run's batches in flight, oldest first (from eval_runs.provider_batch_ids). */
  batchIds: string[];
  saveBatchIds(ids: string[]): Promise<void>;
  /** Examples of the split still without a prediction. */
  remaining(): number;
  /** Examples without a prediction and with ordinal > after, in ordinal order. */
  fetchExamples(after: number, limit: number): Promise<BatchExample[]>;
  /** The split's examples with these ordinals. */
  lookupExamples(ordinals: number[]): Promise<Omit<BatchExample, 'userContent'>[]>;
  useLogprobs(): boolean;
  refuseLogprobs(message: string): void;
  /** Counts one answer (error: why it failed); throws RunFailure when most fail. */
  answered(error: string | null): void;
  store(rows: PredictionInput[]): Promise<void>;
  /** Requests the provider has answered that are not stored yet (shown in the run's progress). */
  showInFlight(n: number): void;
  /** True when the run was ended elsewhere (cancelled): its batches are cancelled too. */
  endedElsewhere(): boolean;
  log(line: string): void;
  stats: BatchEvalStats;
}

/** `unsupported`: the provider has no Batch API after all (nothing sent); the run goes on per request. */
export type BatchEvalOutcome = 'done' | 'stopped' | 'unsupported';

class Stopped extends Error {}
class Unsupported extends Error {}

const sleep = abortableSleep;

const ordinalOf = (customId: unknown): number | null => {
  const m = typeof customId === 'string' ? /^ex-(\d+)$/.exec(customId) : null;
  return m ? Number(m[1]) : null;
};

interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

export async function runEvalBatches(ctx: BatchEvalContext): Promise<BatchEvalOutcome> {
  const { client, stats } = ctx;
  let sentAny = false;

  /** One Batch API call, retried like a single example's request; 404/405 (and a first refusal) mean no Batch API here. */
  async function call<T>(what: string, fn: () => Promise<T>, opts: { creating?: boolean; missingOk?: boolean } = {}): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      if (ctx.signal.aborted) throw new Stopped();
      stats.requests++;
      try {
        return await fn();
      } catch (e) {
        const c = classifyRequestError(e);
        if (c.status === 429) stats.rateLimited++;
        else if (c.status !== null && c.status >= 500) stats.serverErrors++;
        else if (c.kind === 'retry' && c.status === null) stats.connectionErrors++;
        if (c.kind === 'retry' && attempt < ctx.policy.maxAttempts) {
          stats.retries++;
          await sleep(backoffDelay(attempt, ctx.policy, c.retryAfterMs), ctx.signal);
          continue;
        }
        if (opts.missingOk && c.status === 404) return null;
        if (opts.creating && !sentAny && (c.status === 404 || c.status === 405 || c.status === 400 || c.status === 501))
          throw new Unsupported(`${ctx.providerName} refused ${what}: ${c.message}`);
        if (c.status === 401 || c.status === 403) throw new RunFailure(`${ctx.providerName}: ${c.message}`);
        // Transient trouble that outlasted the attempts, or an answer we cannot act on: the job is retried and follows the batches again.
        throw new Error(`${ctx.providerName}: ${what} failed: ${c.message}`);
      }
    }
  }

  const inflight = [...ctx.batchIds];
  // A resumed run's batches are followed to the end before new ones are written: new ones take
  // the examples still without a prediction, which those batches may be answering.
  let draining = inflight.length > 0;
  let cursor = 0;
  let exhausted = !ctx.createBatches;
  let pass = 1;
  let storedThisPass = 0;

  /** Writes, uploads and starts the next batch after `cursor`; null when no example is left. */
  async function sendNext(): Promise<string | null> {
    const file = path.join(os.tmpdir(), `studio-eval-${ctx.runId}-${process.pid}-${Date.now()}.jsonl`);
    const out = fs.createWriteStream(file);
    let n = 0;
    let bytes = 0;
    let first = 0;
    let last = cursor;
    try {
      const withLogprobs = ctx.useLogprobs();
      for (let full = false; !full;) {
        const want = Math.min(CHUNK, ctx.plan.maxRequests - n);
        const rows = await ctx.fetchExamples(last, want);
        let text = '';
        for (const ex of rows) {
          const body = labelRequestBody({
            model: ctx.model,
            messages: promptMessages(ctx.instructions, ex.userContent),
            maxTokens: ctx.settings.maxTokens,
            logprobs: withLogprobs,
            topLogprobs: ctx.settings.topLogprobs,
          });
          const line = `${JSON.stringify({ custom_id: `ex-${ex.ordinal}`, method: 'POST', url: ENDPOINT, body })}\n`;
          const size = Buffer.byteLength(line);
          if (n > 0 && bytes + size > ctx.plan.maxBytes) {
            full = true;
            break;
          }
          text += line;
          bytes += size;
          if (++n === 1) first = ex.ordinal;
          last = ex.ordinal;
        }
        if (text && !out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
        if (rows.length < want || n >= ctx.plan.maxRequests) full = true;
      }
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      if (n === 0) return null;
      cursor = last;
      // A file-backed Blob: the SDK's multipart body reads it from disk as it sends.
      const upload = await toFile(await fs.openAsBlob(file, { type: 'application/jsonl' }), `eval-run-${ctx.runId}-${first}-${last}.jsonl`);
      const input = await call(
        'the batch input file',
        () => client.files.create({ file: upload, purpose: 'batch' }, { timeout: Math.max(ctx.policy.timeoutMs, 600_000) }),
        {
          creating: true,
        },
      );
      const batch = await call(
        'the batch',
        () =>
          client.batches.create({
            input_file_id: input!.id,
            endpoint: ENDPOINT,
            completion_window: '24h',
            metadata: { studio_eval_run: String(ctx.runId), first_ordinal: String(first), last_ordinal: String(last) },
          }),
        { creating: true },
      ).catch(async (e: unknown) => {
        await client.files.delete(input!.id).catch(() => {});
        throw e;
      });
      sentAny = true;
      ctx.log(`run ${ctx.runId}: batch ${batch!.id} sent to ${ctx.providerName} (${n} examples, ordinals ${first}–${last}, ${(bytes / 1e6).toFixed(1)} MB)`);
      return batch!.id;
    } finally {
      out.destroy();
      fs.rmSync(file, { force: true });
    }
  }

  /** Polls a batch (with backoff) until it ends; null when it no longer exists. */
  async function follow(id: string): Promise<OpenAI.Batch | null> {
    let wait = 100;
    for (;;) {
      const b = await call('following the batch', () => client.batches.retrieve(id), { missingOk: true });
      if (!b) return null;
      const c = b.request_counts;
      ctx.showInFlight(c ? c.completed + c.failed : 0);
      if (TERMINAL.has(b.status)) return b;
      await sleep(wait, ctx.signal);
      if (ctx.signal.aborted) throw new Stopped();
      wait = Math.min(ctx.plan.pollMaxMs, Math.ceil(wait * 1.5));
    }
  }

  /** A file's lines as they arrive (pulled, so a large output is never held whole). */
  async function* lines(fileId: string): AsyncGenerator<string> {
    const res = await call('reading the batch output', () => client.files.content(fileId));
    if (!res?.body) return;
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const l of parts) if (l.trim()) yield l;
    }
    rest += decoder.decode();
    if (rest.trim()) yield rest;
  }

  /** One output line → a prediction to store, or null (left for a later pass). */
  function toRow(l: OutputLine, ex: Omit<BatchExample, 'userContent'>, runId: number): PredictionInput | null {
    const base = { runId, ordinal: ex.ordinal, conversationId: ex.conversationId, messageId: ex.messageId, truth: ex.label };
    const status = l.response?.status_code;
    if (status === 200) {
      const a = parseCompletion(l.response!.body as CompletionLike);
      return { ...base, ...a, latencyMs: null, error: null };
    }
    // No answer at all (the batch expired or was cancelled before this line): asked again later.
    if (typeof status !== 'number') return null;
    // The error the SDK would have thrown for the same response, handled as the per-request path handles it.
    const c = classifyRequestError(OpenAI.APIError.generate(status, l.response!.body as object, undefined, new Headers()));
    if (c.status === 429) stats.rateLimited++;
    else if (c.status !== null && c.status >= 500) stats.serverErrors++;
    if (c.kind === 'no-logprobs') {
      if (ctx.useLogprobs()) ctx.refuseLogprobs(c.message);
      stats.logprobsDropped = true;
      return null;
    }
    if (c.kind === 'fatal') throw new RunFailure(`${ctx.providerName}: ${c.message}`);
    if (c.kind === 'retry') return null;
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

  /** Stores what a finished batch answered; returns how many lines it read. */
  async function ingest(b: OpenAI.Batch): Promise<void> {
    if (b.status === 'failed') {
      const first = b.errors?.data?.[0];
      ctx.log(
        `run ${ctx.runId}: batch ${b.id} failed${first ? `: ${first.message}${first.line ? ` (line ${first.line})` : ''}` : ''}; its examples are asked again`,
      );
    } else if (b.status !== 'completed') {
      ctx.log(`run ${ctx.runId}: batch ${b.id} ${b.status}; what it answered is kept, the rest is asked again`);
    }
    const answered = b.request_counts ? b.request_counts.completed + b.request_counts.failed : 0;
    let read = 0;
    for (const fileId of [b.output_file_id, b.error_file_id]) {
      if (!fileId) continue;
      let chunk: OutputLine[] = [];
      const flush = async () => {
        const parsed = chunk.map((l) => ({ l, ordinal: ordinalOf(l.custom_id) })).filter((x): x is { l: OutputLine; ordinal: number } => x.ordinal !== null);
        chunk = [];
        const examples = new Map((await ctx.lookupExamples(parsed.map((x) => x.ordinal))).map((e) => [e.ordinal, e]));
        const rows: PredictionInput[] = [];
        for (const { l, ordinal } of parsed) {
          const ex = examples.get(ordinal);
          if (!ex) continue;
          const row = toRow(l, ex, ctx.runId);
          if (!row) continue;
          rows.push(row);
          ctx.answered(row.error);
        }
        await ctx.store(rows);
        storedThisPass += rows.length;
        read += parsed.length;
        ctx.showInFlight(Math.max(0, answered - read));
      };
      for await (const text of lines(fileId)) {
        try {
          chunk.push(JSON.parse(text) as OutputLine);
        } catch {
          ctx.log(`run ${ctx.runId}: batch ${b.id}: an output line is not JSON; skipped`);
        }
        if (chunk.length >= CHUNK) await flush();
        if (ctx.signal.aborted) throw new Stopped();
      }
      if (chunk.length) await flush();
    }
  }

  const cleanUp = (b: OpenAI.Batch) => {
    for (const id of [b.input_file_id, b.output_file_id, b.error_file_id]) if (id) void client.files.delete(id).catch(() => {});
  };

  try {
    for (;;) {
      while (!draining && !exhausted && inflight.length < ctx.plan.inFlight) {
        const id = await sendNext();
        if (id === null) exhausted = true;
        else {
          inflight.push(id);
          await ctx.saveBatchIds(inflight);
        }
      }
      if (inflight.length === 0) {
        // Lines that hit transient errors (or that a cancelled or expired batch never reached) go
        // into another pass of batches, as many passes as a single request gets attempts, while
        // there are enough of them and the last pass got anywhere; what is left goes per request.
        const left = ctx.remaining();
        if (!ctx.createBatches || left === 0 || left < ctx.plan.minExamples || storedThisPass === 0 || pass >= ctx.policy.maxAttempts) return 'done';
        pass++;
        ctx.log(`run ${ctx.runId}: ${left} examples still without an answer; batch pass ${pass} asks them again`);
        cursor = 0;
        exhausted = false;
        storedThisPass = 0;
        continue;
      }
      const b = await follow(inflight[0]);
      if (b) {
        await ingest(b);
        cleanUp(b);
      } else ctx.log(`run ${ctx.runId}: batch ${inflight[0]} is gone at ${ctx.providerName}; its examples are asked again`);
      inflight.shift();
      await ctx.saveBatchIds(inflight);
      ctx.showInFlight(0);
      if (draining && inflight.length === 0) {
        draining = false;
        cursor = 0;
      }
    }
  } catch (e) {
    if (e instanceof RunFailure) {
      for (const id of inflight) await client.batches.cancel(id).catch(() => {});
      await ctx.saveBatchIds([]);
      throw e;
    }
    if (e instanceof Unsupported) {
      ctx.log(`run ${ctx.runId}: ${e.message}; asking one request per example instead`);
      return 'unsupported';
    }
    if (e instanceof Stopped || ctx.signal.aborted) {
      if (ctx.endedElsewhere()) {
        // The run was cancelled: so are its batches (best effort; nothing will read them).
        for (const id of inflight) await client.batches.cancel(id).catch(() => {});
        await ctx.saveBatchIds([]);
      }
      // Otherwise (the worker stopping, a partial run) the batches stay on the run for the next attempt.
      if (e instanceof Stopped) return 'stopped';
    }
    throw e;
  } finally {
    ctx.showInFlight(0);
  }
}
