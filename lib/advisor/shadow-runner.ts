// Asking the shadow model, after the advisor's answer has gone out. The decision route hands
// each logged decision here and returns at once: nothing here is awaited by the request, can
// throw into it, or changes its answer. Calls run with bounded concurrency and their own
// timeout (the shadow's); when the process is too busy to queue one more, the call is dropped
// and counted (advisor_shadows.dropped_calls), because a shadow must never cost the chatbot.
import { afterCurrentStack, type AfterResponse } from '../after-response';
import type { ImportConversation } from '../imports/schema';
import { askAdvisor } from './decide';
import { advisorPool } from './pool';
import { decisionPrompt } from './render';
import { contextSchema, type ServingPromotion } from './promotions';
import { providerIdSchema } from '../finetunes/provider-ids';

export interface ShadowRequest {
  decisionId: number;
  conversation: ImportConversation;
  /** The time the advisor's transcript was rendered at, so both models see the same turn. */
  now: Date;
}

/** What a shadow call needs (the id is the attachment's). */
export type ServingShadow = Omit<ServingPromotion, 'threshold'>;

export function toServingShadow(row: {
  id: number;
  model: string;
  provider: string;
  timeoutMs: number;
  instructions: string;
  context: unknown;
}): ServingShadow {
  return {
    id: row.id,
    model: row.model,
    provider: providerIdSchema.parse(row.provider),
    timeoutMs: row.timeoutMs,
    instructions: row.instructions,
    context: contextSchema.parse(row.context),
  };
}

/** ADVISOR_SHADOW_CONCURRENCY (1..64, default 4): shadow calls in flight per process. */
function concurrency(): number {
  const n = Number(process.env.ADVISOR_SHADOW_CONCURRENCY);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 4;
}
/** ADVISOR_SHADOW_QUEUE (0..10000, default 200): calls waiting for a slot before new ones are dropped. */
function queueLimit(): number {
  const n = Number(process.env.ADVISOR_SHADOW_QUEUE);
  return process.env.ADVISOR_SHADOW_QUEUE && Number.isInteger(n) && n >= 0 && n <= 10_000 ? n : 200;
}

// The attached shadow, read at most once a second per process (attaching in one web process
// reaches the others within that second), so a Studio without a shadow pays one cheap query
// a second, not one per decision.
const CACHE_MS = 1_000;
let cached: { shadow: ServingShadow | null; until: number } | null = null;
let loading: Promise<ServingShadow | null> | null = null;

async function currentShadow(): Promise<ServingShadow | null> {
  if (cached && cached.until > Date.now()) return cached.shadow;
  loading ??= (async () => {
    try {
      const { rows } = await advisorPool().query(
        `SELECT id, model, provider, timeout_ms AS "timeoutMs", instructions, context FROM advisor_shadows WHERE detached_at IS NULL ORDER BY id DESC LIMIT 1`,
      );
      const shadow = rows[0] ? toServingShadow(rows[0]) : null;
      cached = { shadow, until: Date.now() + CACHE_MS };
      return shadow;
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/** Forgets the cached attachment (attach/detach in this process take effect at once). */
export function forgetShadowCache(): void {
  cached = null;
}

let accepting = 0; // handed over, attachment not yet looked up
let inFlight = 0;
const waiting: { shadow: ServingShadow; req: ShadowRequest }[] = [];
const dropped = new Map<number, number>();
let idle: (() => void)[] = [];
let flushTimer: NodeJS.Timeout | null = null;

/** Counters of this process (tests, the benchmark). */
export function shadowRunnerStats() {
  return { inFlight, waiting: waiting.length, droppedUnflushed: [...dropped.values()].reduce((a, b) => a + b, 0) };
}

const LOG_SQL = `
  INSERT INTO advisor_shadow_decisions (decision_id, shadow_id, model, decision, confidence, latency_ms, fell_back, fallback_reason, fallback_detail)
  VALUES ($1, $2, $3, $4::"LabelValue", $5, $6, $7::text IS NOT NULL, $7::text, $8::text)
  ON CONFLICT (decision_id, shadow_id) DO NOTHING`;

async function run(shadow: ServingShadow, req: ShadowRequest): Promise<void> {
  const answer = await askAdvisor(shadow, decisionPrompt(shadow.instructions, req.conversation, shadow.context, req.now));
  await advisorPool().query(LOG_SQL, [
    req.decisionId,
    shadow.id,
    shadow.model,
    answer.decision,
    answer.confidence,
    answer.modelLatencyMs,
    answer.fallback?.reason ?? null,
    answer.fallback?.detail ?? null,
  ]);
}

function pump(): void {
  while (inFlight < concurrency() && waiting.length) {
    const next = waiting.shift()!;
    inFlight++;
    run(next.shadow, next.req)
      .catch((e) => console.error(`[advisor] shadow decision for #${next.req.decisionId} not logged: ${(e as Error).message.split('\n')[0]}`))
      .finally(() => {
        inFlight--;
        pump();
      });
  }
  wakeIfIdle();
}

function wakeIfIdle(): void {
  if (accepting === 0 && inFlight === 0 && waiting.length === 0) {
    const wake = idle;
    idle = [];
    for (const w of wake) w();
  }
}

function countDrop(shadowId: number): void {
  dropped.set(shadowId, (dropped.get(shadowId) ?? 0) + 1);
  flushTimer ??= setTimeout(() => void flushDropped(), 2_000).unref();
}

/** Writes this process's dropped-call counts (every 2 s while there are any). */
export async function flushDropped(): Promise<void> {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  const counts = [...dropped.entries()];
  dropped.clear();
  for (const [id, n] of counts) {
    try {
      await advisorPool().query('UPDATE advisor_shadows SET dropped_calls = dropped_calls + $2 WHERE id = $1', [id, n]);
    } catch (e) {
      // Kept for the next flush: the count is what the comparison reports as skipped.
      dropped.set(id, (dropped.get(id) ?? 0) + n);
      console.error(`[advisor] could not record dropped shadow calls: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

async function accept(req: ShadowRequest): Promise<void> {
  const shadow = await currentShadow();
  if (!shadow) return;
  if (inFlight >= concurrency() && waiting.length >= queueLimit()) {
    countDrop(shadow.id);
    return;
  }
  waiting.push({ shadow, req });
  pump();
}

/**
 * Queues the shadow call for a logged decision, to start once the response is sent (the
 * transport's afterResponse: Next's after(), the web process's response 'finish'; the next
 * turn of the event loop elsewhere). Returns at once and never throws.
 */
export function askShadowAfterResponse(req: ShadowRequest, afterResponse: AfterResponse = afterCurrentStack): void {
  // No shadow attached at the last look (under a second ago): accept() would return at once,
  // so the transport's after-response step (a measurable share of a decision's CPU in Next) is not asked to run it.
  if (cached && cached.until > Date.now() && cached.shadow === null) return;
  accepting++;
  const start = () => {
    accept(req)
      .catch((e) => console.error(`[advisor] shadow call skipped: ${(e as Error).message.split('\n')[0]}`))
      .finally(() => {
        accepting--;
        wakeIfIdle();
      });
  };
  try {
    afterResponse(start);
  } catch {
    afterCurrentStack(start);
  }
}

/** Resolves once every queued and running shadow call of this process is done (tests). */
export async function settleShadowCalls(): Promise<void> {
  if (accepting > 0 || inFlight > 0 || waiting.length > 0) await new Promise<void>((resolve) => idle.push(resolve));
  await flushDropped();
}
