// Computing suggestions: claim a batch of requested conversations, render every unlabeled
// decision turn without a suggestion from the current suggester exactly as training rendered it
// (lib/datasets/transcript.ts, the suggester's instructions and context), ask the model with a
// bounded pool of requests (the evaluations' request, lib/evals/ask-label.ts), then store the
// answers, refresh the conversations' least-confident value and drop the requests — in one short
// transaction that follows the lock order. Idempotent per (turn, model): a retried or resumed
// batch asks only for what is missing, and two workers may run side by side.
import type OpenAI from 'openai';
import { db } from '../db';
import { promptMessages } from '../datasets/example-line';
import { renderTranscript, type TranscriptMessage } from '../datasets/transcript';
import { askForLabel } from '../evals/ask-label';
import { classifyRequestError } from '../evals/request-errors';
import { FineTuneProviderError } from '../finetunes/errors';
import { providerClient } from '../finetunes/providers';
import { LOCK_CONVERSATIONS_SQL } from '../labeling/lock-order';
import { backoffDelay } from '../retry';
import {
  BATCH_CONVERSATIONS,
  CLAIM_SECONDS,
  suggestionConcurrency,
  suggestionRequestPolicy,
  suggestionYieldRate,
  YIELD_MAX_WAIT_MS,
  YIELD_WINDOW_S,
} from './settings';
import { REFRESH_MIN_SUGGESTION_CONFIDENCE } from './suggester-sql';
import { currentSuggester, type Suggester } from './suggester';

/** The provider cannot be used (bad key, unknown model, down past every retry): the batch stays requested. */
export class SuggestionProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'SuggestionProviderError';
  }
}

export interface ProcessOptions {
  /** Stop claiming new batches after this long (the batch under way finishes). */
  budgetMs?: number;
  signal?: AbortSignal;
  concurrency?: number;
  log?: (line: string) => void;
  onBatch?: (p: ProcessResult) => void;
}

export interface ProcessResult {
  suggester: string | null;
  model: string | null;
  /** Times it waited for live decision traffic to calm down before a batch. */
  yielded?: number;
  /** Conversations whose requests this call completed. */
  conversations: number;
  /** Suggestions stored (invalid answers included). */
  computed: number;
  /** Answers that were not one label (stored with no value, so they are not asked again). */
  invalid: number;
  /** Requests still waiting when it stopped. */
  remaining: number;
}

interface Claimed {
  conversationId: number;
  /** requested_at as PostgreSQL text: microseconds, which a JS Date would round away. */
  token: string;
}

interface ThreadRow {
  conversation_id: number;
  is_golden: boolean;
  message_id: number;
  sender: 'recruiter' | 'candidate';
  text: string;
  sent_at: Date | null;
  position: number;
  labeled: boolean;
  suggested: boolean;
}

interface Turn {
  conversationId: number;
  messageId: number;
  messages: { role: 'system' | 'user'; content: string }[];
}

interface Answer {
  conversationId: number;
  messageId: number;
  value: string | null;
  confidence: number | null;
  rawOutput: string;
}

async function claimBatch(): Promise<Claimed[]> {
  return db().$queryRawUnsafe<Claimed[]>(
    `UPDATE suggestion_requests r SET claimed_until = now() + make_interval(secs => $2)
     WHERE r.conversation_id IN (
       SELECT conversation_id FROM suggestion_requests
       WHERE claimed_until IS NULL OR claimed_until < now()
       ORDER BY requested_at, conversation_id LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING r.conversation_id AS "conversationId", r.requested_at::text AS token`,
    BATCH_CONVERSATIONS,
    CLAIM_SECONDS,
  );
}

async function releaseClaims(ids: number[]): Promise<void> {
  if (ids.length) await db().$executeRawUnsafe(`UPDATE suggestion_requests SET claimed_until = NULL WHERE conversation_id = ANY($1::int[])`, ids);
}

/** The turns of these conversations still waiting for `model`: decision turns nobody labeled, without its suggestion. */
async function turnsToAsk(conversationIds: number[], suggester: Suggester): Promise<Turn[]> {
  const rows = await db().$queryRawUnsafe<ThreadRow[]>(
    `SELECT c.id AS conversation_id, c.is_golden, m.id AS message_id, m.sender::text AS sender, m.text, m.sent_at, m.position,
            EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id) AS labeled,
            EXISTS (SELECT 1 FROM turn_suggestions ts WHERE ts.message_id = m.id AND ts.model = $2) AS suggested
     FROM conversations c JOIN messages m ON m.conversation_id = c.id
     WHERE c.id = ANY($1::int[])
     ORDER BY c.id, m.position`,
    conversationIds,
    suggester.model,
  );
  const turns: Turn[] = [];
  let i = 0;
  while (i < rows.length) {
    let j = i;
    while (j < rows.length && rows[j].conversation_id === rows[i].conversation_id) j++;
    const thread = rows.slice(i, j);
    // Golden conversations are fully labeled by the golden set and never shown for labeling.
    if (!thread[0].is_golden) {
      const messages: TranscriptMessage[] = thread.map((r) => ({ sender: r.sender, text: r.text, sentAt: r.sent_at }));
      thread.forEach((r, k) => {
        // A decision turn: a recruiter message after the first (the opening has nothing before it).
        if (r.sender !== 'recruiter' || k === 0 || r.labeled || r.suggested) return;
        turns.push({
          conversationId: r.conversation_id,
          messageId: r.message_id,
          messages: promptMessages(suggester.instructions, renderTranscript(messages, k, suggester.context)),
        });
      });
    }
    i = j;
  }
  return turns;
}

/** True while the decision API has served at least SUGGESTIONS_YIELD_DECISIONS_PER_S over the last few seconds (one index range count). */
async function liveTrafficIsBusy(): Promise<boolean> {
  const rate = suggestionYieldRate();
  if (rate === 0) return false;
  // Counting stops at the threshold: a busy minute costs the same small scan as a quiet one.
  const [r] = await db().$queryRawUnsafe<{ busy: boolean }[]>(
    `SELECT count(*) >= $1 AS busy FROM (SELECT 1 FROM advisor_decisions WHERE created_at > now() - make_interval(secs => $2) LIMIT $1) d`,
    rate * YIELD_WINDOW_S,
    YIELD_WINDOW_S,
  );
  return r.busy;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** One turn's answer, with the evaluations' retries; throws SuggestionProviderError when the provider cannot answer at all. */
async function ask(client: OpenAI, model: string, turn: Turn, signal: AbortSignal | undefined): Promise<Answer> {
  const policy = suggestionRequestPolicy();
  let logprobs = true;
  for (let attempt = 1; ; attempt++) {
    try {
      const a = await askForLabel(
        client,
        { model, messages: turn.messages, maxTokens: policy.maxTokens, logprobs },
        { timeoutMs: policy.timeoutMs, ...(signal ? { signal } : {}) },
      );
      const valid = a.predicted !== 'invalid';
      return {
        conversationId: turn.conversationId,
        messageId: turn.messageId,
        value: valid ? a.predicted : null,
        // Millionths: the list's uncertainty cursor carries them exactly (lib/conversations/list-params.ts).
        confidence: valid && a.confidence !== null ? Math.round(a.confidence * 1e6) / 1e6 : null,
        rawOutput: a.rawOutput.slice(0, 500),
      };
    } catch (e) {
      if (signal?.aborted) throw e;
      const c = classifyRequestError(e);
      if (c.kind === 'no-logprobs' && logprobs) {
        logprobs = false; // a provider without logprobs still suggests, without a confidence
        continue;
      }
      if (c.kind === 'retry' && attempt < policy.maxAttempts) {
        await sleep(backoffDelay(attempt, policy, c.retryAfterMs));
        continue;
      }
      // One prompt the provider refuses (say too long): stored as an answer that is no label.
      if (c.kind === 'example')
        return {
          conversationId: turn.conversationId,
          messageId: turn.messageId,
          value: null,
          confidence: null,
          rawOutput: `error: ${c.message}`.slice(0, 500),
        };
      throw new SuggestionProviderError(`${model}: ${c.message}`, c.kind === 'retry');
    }
  }
}

/** Asks for every turn, `concurrency` at a time; the first provider failure stops the pool. */
async function askAll(client: OpenAI, model: string, turns: Turn[], concurrency: number, signal: AbortSignal | undefined): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (failure === null && next < turns.length && !signal?.aborted) {
      const turn = turns[next++];
      try {
        answers.push(await ask(client, model, turn, signal));
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, turns.length) }, lane));
  if (failure !== null) throw failure;
  return answers;
}

/**
 * Stores the answers of the conversations whose request is unchanged since the claim, refreshes
 * the least-confident value of all of them and finishes their requests. A conversation requested
 * again meanwhile (a re-import changed it, a new suggester) keeps its request, unclaimed: its
 * answers may describe a thread that is gone, so they are dropped and asked again.
 */
async function storeBatch(claimed: Claimed[], answers: Answer[], suggester: Suggester): Promise<{ done: number; stored: number; invalid: number }> {
  const ids = claimed.map((c) => c.conversationId);
  return db().$transaction(
    async (tx) => {
      // Lock order (lib/labeling/lock-order.ts): the conversation rows first, in id order.
      await tx.$queryRawUnsafe(LOCK_CONVERSATIONS_SQL, ids);
      const current = await tx.$queryRawUnsafe<{ conversation_id: number; token: string }[]>(
        `SELECT conversation_id, requested_at::text AS token FROM suggestion_requests WHERE conversation_id = ANY($1::int[]) ORDER BY conversation_id FOR UPDATE`,
        ids,
      );
      const tokenNow = new Map(current.map((r) => [r.conversation_id, r.token]));
      const fresh = new Set(claimed.filter((c) => tokenNow.get(c.conversationId) === c.token).map((c) => c.conversationId));
      const kept = answers.filter((a) => fresh.has(a.conversationId));
      let stored = 0;
      if (kept.length) {
        // Only turns that still exist and still belong to their conversation (under its lock).
        stored = await tx.$executeRawUnsafe(
          `INSERT INTO turn_suggestions (message_id, conversation_id, model, provider, promotion_id, fine_tune_job_id, value, confidence, raw_output)
           SELECT a.message_id, a.conversation_id, $6, $7, $8, $9, a.value::"LabelValue", a.confidence, a.raw_output
           FROM unnest($1::int[], $2::int[], $3::text[], $4::float8[], $5::text[]) AS a(message_id, conversation_id, value, confidence, raw_output)
           JOIN messages m ON m.id = a.message_id AND m.conversation_id = a.conversation_id
           ORDER BY a.message_id
           ON CONFLICT (message_id, model) DO NOTHING`,
          kept.map((a) => a.messageId),
          kept.map((a) => a.conversationId),
          kept.map((a) => a.value),
          kept.map((a) => a.confidence),
          kept.map((a) => a.rawOutput),
          suggester.model,
          suggester.provider,
          suggester.promotionId,
          suggester.fineTuneJobId,
        );
      }
      await tx.$executeRawUnsafe(REFRESH_MIN_SUGGESTION_CONFIDENCE, ids);
      const freshClaims = claimed.filter((c) => fresh.has(c.conversationId));
      if (freshClaims.length) {
        await tx.$executeRawUnsafe(
          `DELETE FROM suggestion_requests r USING unnest($1::int[], $2::text[]) AS f(id, token)
           WHERE r.conversation_id = f.id AND r.requested_at = f.token::timestamp`,
          freshClaims.map((c) => c.conversationId),
          freshClaims.map((c) => c.token),
        );
      }
      const again = ids.filter((id) => !fresh.has(id) && tokenNow.has(id));
      if (again.length) await tx.$executeRawUnsafe(`UPDATE suggestion_requests SET claimed_until = NULL WHERE conversation_id = ANY($1::int[])`, again);
      return { done: freshClaims.length, stored, invalid: kept.filter((a) => a.value === null).length };
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/**
 * Works through the requests until none is left unclaimed, the budget is spent or the signal
 * aborts. Throws SuggestionProviderError when the provider fails (the batch's requests are
 * released for the next attempt) and database errors as they come.
 */
export async function processSuggestionRequests(opts: ProcessOptions = {}): Promise<ProcessResult> {
  const started = Date.now();
  const concurrency = opts.concurrency ?? suggestionConcurrency();
  const result: ProcessResult = { suggester: null, model: null, conversations: 0, computed: 0, invalid: 0, remaining: 0 };
  const checkedAt = await db().$queryRaw<{ t: string }[]>`SELECT clock_timestamp()::text AS t`;
  const suggester = await currentSuggester();
  if (!suggester) {
    // Nothing can suggest yet; the first suggester's backfill asks for every conversation anyway.
    await db().$executeRaw`DELETE FROM suggestion_requests WHERE requested_at < ${checkedAt[0].t}::timestamp`;
    return result;
  }
  result.suggester = suggester.key;
  result.model = suggester.model;
  let handle;
  try {
    handle = await providerClient(suggester.provider);
  } catch (e) {
    throw new SuggestionProviderError((e as Error).message, e instanceof FineTuneProviderError ? e.transient : false);
  }
  const withinBudget = () => !opts.signal?.aborted && (opts.budgetMs === undefined || Date.now() - started < opts.budgetMs);
  let lastBatchAt = Date.now();
  while (withinBudget()) {
    if (await liveTrafficIsBusy()) {
      if (Date.now() - lastBatchAt < YIELD_MAX_WAIT_MS) {
        if (!result.yielded) opts.log?.(`suggestions: waiting while the decision API is busy (≥ ${suggestionYieldRate()} decisions/s)`);
        result.yielded = (result.yielded ?? 0) + 1;
        await sleep(1_000);
        continue;
      }
    }
    lastBatchAt = Date.now();
    const claimed = await claimBatch();
    if (claimed.length === 0) break;
    try {
      const turns = await turnsToAsk(
        claimed.map((c) => c.conversationId),
        suggester,
      );
      const answers = await askAll(handle.client, suggester.model, turns, concurrency, opts.signal);
      if (opts.signal?.aborted) {
        await releaseClaims(claimed.map((c) => c.conversationId));
        break;
      }
      const { done, stored, invalid } = await storeBatch(claimed, answers, suggester);
      result.conversations += done;
      result.computed += stored;
      result.invalid += invalid;
      opts.onBatch?.({ ...result });
    } catch (e) {
      await releaseClaims(claimed.map((c) => c.conversationId)).catch(() => {});
      throw e;
    }
  }
  result.remaining = await db().suggestionRequest.count();
  opts.log?.(`suggestions by ${suggester.model}: ${result.computed} stored for ${result.conversations} conversations, ${result.remaining} waiting`);
  return result;
}
