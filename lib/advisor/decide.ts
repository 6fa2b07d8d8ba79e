// One live decision: check the request, find the advisor, render the turn as training did, ask
// the model (within the promotion's timeout), log the decision durably, answer. A model that
// is slow or failing never fails the request: the answer is then "no decision" (the chatbot
// carries on as if the advisor had deferred) and the fallback is logged like any decision.
import type OpenAI from 'openai';
import type { AfterResponse } from '../after-response';
import { ConflictError, InputError, PayloadTooLargeError } from '../errors';
import { askForLabel } from '../evals/ask-label';
import { describeProviderError, providerClient, type ProviderHandle } from '../finetunes/providers';
import type { ProviderId } from '../finetunes/provider-ids';
import { decisionRequestSchema, type DecisionResponse, type FallbackReason } from './api-schema';
import type { ApiCaller } from './api-keys';
import { logDecision } from './decision-log';
import { kickLiveIngest } from './live-ingest';
import { modelFetch } from './model-fetch';
import { advisorPool } from './pool';
import { askShadowAfterResponse } from './shadow-runner';
import { toServing, type ServingPromotion } from './promotions';
import { decisionPrompt } from './render';
import { MAX_MESSAGES } from './settings';
import type { ImportConversation } from '../imports/schema';

/** The body as a conversation, or a 413 / 400 naming what is wrong and where. */
export function parseDecisionBody(raw: unknown): ImportConversation {
  const messages = (raw as { conversation?: { messages?: unknown } } | null)?.conversation?.messages;
  if (Array.isArray(messages) && messages.length > MAX_MESSAGES) {
    throw new PayloadTooLargeError(`conversation.messages holds ${messages.length} messages; a decision request may carry at most ${MAX_MESSAGES}.`);
  }
  const parsed = decisionRequestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ field: jsonPath([...i.path, k]), message: 'unknown property' }))
          : [{ field: jsonPath(i.path), message: i.message }],
      ),
    );
  }
  // Labels are ignored: live traffic is labeled by reviewers in the Studio.
  const c = parsed.data.conversation;
  return { ...c, messages: c.messages.map(({ label: _label, ...m }) => m) };
}

function jsonPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}.${String(k)}`), '$');
}

// Without a key's caller (tests, the CLI): the advisor and whether the conversation is golden,
// in one round trip.
const STATE_SQL = `
  SELECT p.id, p.model, p.provider, p.threshold, p.timeout_ms AS "timeoutMs", p.instructions, p.context,
         (SELECT c.is_golden FROM conversations c WHERE c.external_id = $1) AS golden
  FROM (SELECT 1) one LEFT JOIN (SELECT * FROM advisor_promotions ORDER BY id DESC LIMIT 1) p ON true`;

const PROMOTION_SQL = `SELECT id, model, provider, threshold, timeout_ms AS "timeoutMs", instructions, context FROM advisor_promotions WHERE id = $1`;

// The promotion row a process read is kept, keyed by id and row version (xmin: any change to
// the row, or a new row under a reused id, has another), so a request whose key check named
// the same advisor in the same version costs no round trip for it, and a change is seen at once.
let kept: { key: string; promotion: ServingPromotion } | null = null;

async function servingState(externalId: string, caller: ApiCaller | null): Promise<{ promotion: ServingPromotion | null; golden: boolean }> {
  if (caller?.serving !== undefined) {
    // The golden check is then part of logging the decision (logDecision writes nothing and
    // answers null for a golden conversation): one round trip less for every other request.
    const serving = caller.serving;
    if (serving === null) return { promotion: null, golden: false };
    const key = `${serving.id}@${serving.version}`;
    if (kept?.key !== key) {
      const { rows } = await advisorPool().query(PROMOTION_SQL, [serving.id]);
      // Gone meanwhile (only a test's reset does that): the newest one, as without a key.
      if (!rows[0]) return servingState(externalId, null);
      kept = { key, promotion: toServing(rows[0]) };
    }
    return { promotion: kept.promotion, golden: false };
  }
  const { rows } = await advisorPool().query(STATE_SQL, [externalId]);
  const r = rows[0];
  return { promotion: r.id === null ? null : toServing(r), golden: r.golden === true };
}

function goldenRefusal(externalId: string): ConflictError {
  return new ConflictError(
    `${externalId} is a conversation of the hand-written golden set, which live traffic may never change; send live conversations under their own external_id.`,
  );
}

// Clients are cheap but resolving one may read a key file or the database: keep each a moment.
const clients = new Map<ProviderId, { handle: ProviderHandle; until: number }>();
async function clientFor(provider: ProviderId): Promise<ProviderHandle> {
  const hit = clients.get(provider);
  if (hit && hit.until > Date.now()) return hit.handle;
  const resolved = await providerClient(provider);
  // One small JSON POST per decision: sent without Next's patched fetch (lib/advisor/model-fetch).
  const handle = { ...resolved, client: resolved.client.withOptions({ fetch: modelFetch }) };
  clients.set(provider, { handle, until: Date.now() + 5_000 });
  return handle;
}

export interface ModelAnswer {
  decision: 'END' | 'CONTINUE' | 'SCHEDULE' | null;
  confidence: number | null;
  modelLatencyMs: number | null;
  fallback: { reason: FallbackReason; detail: string } | null;
}

/** Asks `p`'s model for one decision within its timeout; never throws (a failure is a fallback). Shadow calls use it too. */
export async function askAdvisor(
  p: Pick<ServingPromotion, 'model' | 'provider' | 'timeoutMs'>,
  messages: ReturnType<typeof decisionPrompt>,
): Promise<ModelAnswer> {
  let handle: ProviderHandle | null = null;
  const t0 = performance.now();
  // The hard stop's timer is cleared on the answer (AbortSignal.timeout would fire for every
  // call, long after it, with an abort event and a DOMException); its reason is the same.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), p.timeoutMs);
  try {
    handle = await clientFor(p.provider);
    const client: OpenAI = handle.client;
    // The SDK's timeout and a hard stop: a provider that accepts the connection and never
    // answers must not hold the chatbot past the promotion's timeout.
    const a = await askForLabel(client, { model: p.model, messages }, { timeoutMs: p.timeoutMs, signal: stop.signal });
    if (a.predicted === 'invalid') {
      return {
        decision: null,
        confidence: null,
        modelLatencyMs: a.latencyMs,
        fallback: { reason: 'invalid_answer', detail: `the model answered ${JSON.stringify(a.rawOutput.slice(0, 100))}` },
      };
    }
    return { decision: a.predicted, confidence: a.confidence, modelLatencyMs: a.latencyMs, fallback: null };
  } catch (e) {
    const elapsed = Math.round(performance.now() - t0);
    const timedOut = elapsed >= p.timeoutMs - 5 || (e as Error)?.name === 'TimeoutError' || /timed? ?out/i.test((e as Error)?.message ?? '');
    const described = handle ? describeProviderError(e, handle) : null;
    const detail = timedOut ? `no answer within ${p.timeoutMs} ms` : (described?.message ?? (e as Error)?.message ?? 'the provider failed');
    return { decision: null, confidence: null, modelLatencyMs: null, fallback: { reason: 'advisor_unavailable', detail: detail.slice(0, 500) } };
  } finally {
    clearTimeout(timer);
  }
}

export interface DecideOptions {
  /** When the decided turn happens (default: now); tests pin it. */
  now?: Date;
  /** How the transport runs work once the answer is sent (the shadow call); after the current call stack unless said. */
  afterResponse?: AfterResponse;
  /**
   * The playground (lib/advisor/playground.ts): ask this model, rendered as it was trained,
   * instead of the advisor, and record nothing — no decision log, no live conversation, no
   * shadow call. Golden conversations may be tried, since nothing about them changes.
   */
  dryRun?: { serving: ServingPromotion };
}

/** A dry run's answer: the API's fields (no decision was logged) and what the model was shown. */
export type DryRunDecision = Omit<DecisionResponse, 'decision_id'> & {
  decision_id: null;
  prompt: ReturnType<typeof decisionPrompt>;
  modelLatencyMs: number | null;
};

export async function decide(caller: ApiCaller | null, raw: unknown, opts?: DecideOptions & { dryRun?: undefined }): Promise<DecisionResponse>;
export async function decide(caller: ApiCaller | null, raw: unknown, opts: DecideOptions & { dryRun: { serving: ServingPromotion } }): Promise<DryRunDecision>;
export async function decide(caller: ApiCaller | null, raw: unknown, opts: DecideOptions = {}): Promise<DecisionResponse | DryRunDecision> {
  const t0 = performance.now();
  const conversation = parseDecisionBody(raw);
  const state = opts.dryRun ? { promotion: opts.dryRun.serving, golden: false } : await servingState(conversation.external_id, caller);
  const { promotion, golden } = state;
  if (!promotion)
    throw new ConflictError('No advisor is promoted yet: an ML lead promotes a model on the Models page (or with npm run advisor -- promote --model <model>).');
  if (golden) throw goldenRefusal(conversation.external_id);
  const now = opts.now ?? new Date();
  const prompt = decisionPrompt(promotion.instructions, conversation, promotion.context, now);
  const answer = await askAdvisor(promotion, prompt);
  const acted = answer.decision !== null && answer.confidence !== null && answer.confidence >= promotion.threshold;
  if (opts.dryRun) {
    return {
      decision: answer.decision,
      confidence: answer.confidence,
      acted,
      threshold: promotion.threshold,
      model: promotion.model,
      promotion: promotion.id,
      decision_id: null,
      ...(answer.fallback ? { reason: answer.fallback.reason } : {}),
      prompt,
      modelLatencyMs: answer.modelLatencyMs,
    };
  }
  const decisionId = await logDecision({
    apiKeyId: caller?.keyId ?? null,
    externalId: conversation.external_id,
    position: conversation.messages.length,
    decision: answer.decision,
    confidence: answer.confidence,
    acted,
    threshold: promotion.threshold,
    model: promotion.model,
    promotionId: promotion.id,
    latencyMs: Math.round(performance.now() - t0),
    modelLatencyMs: answer.modelLatencyMs,
    fallbackReason: answer.fallback?.reason ?? null,
    fallbackDetail: answer.fallback?.detail ?? null,
    conversation,
  });
  if (decisionId === null) throw goldenRefusal(conversation.external_id);
  kickLiveIngest();
  // The shadow model (if one is attached) is asked after this answer is sent, never before.
  askShadowAfterResponse({ decisionId, conversation, now }, opts.afterResponse);
  return {
    decision: answer.decision,
    confidence: answer.confidence,
    acted,
    threshold: promotion.threshold,
    model: promotion.model,
    promotion: promotion.id,
    decision_id: decisionId,
    ...(answer.fallback ? { reason: answer.fallback.reason } : {}),
  };
}
