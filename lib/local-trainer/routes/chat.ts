// POST /v1/chat/completions: the classifier behind OpenAI's chat shape. The answer to the last
// user message is one of the labels the model was trained on; `logprobs` gives the class
// probabilities (what an eval uses for confidence), `temperature` samples from them.
import { z } from 'zod';
import type { Deps } from '../deps';
import { invalidRequest, modelNotFound } from '../errors';
import { readJson, sendJson } from '../http';
import { newCompletionId, nowSeconds } from '../ids';
import { createRng, hashString } from '../../prng';
import type { RequestContext, Router } from '../router';
import { approxMessageTokens, labelPieces } from '../tokens';
import { parseWith } from '../zod-errors';

const contentPart = z.object({ type: z.string(), text: z.string().optional() });
const chatSchema = z.object({
  model: z.string().min(1),
  messages: z
    .array(
      z.object({
        role: z.string(),
        content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
        name: z.string().optional(),
      }),
    )
    .min(1),
  temperature: z.number().min(0).max(2).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stream: z.boolean().nullable().optional(),
});
type ChatRequest = z.infer<typeof chatSchema>;

/** The spec's floor for "very unlikely" (ChatCompletionTokenLogprob.logprob). */
const MIN_LOGPROB = -9999;

function lastUserText(messages: ChatRequest['messages']): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p) => p.text ?? '').join('\n');
    return '';
  }
  return '';
}

const tokenEntry = (token: string, p: number) => ({
  token,
  logprob: p > 0 ? Math.max(MIN_LOGPROB, Math.log(p)) : MIN_LOGPROB,
  bytes: [...Buffer.from(token, 'utf8')],
});

/**
 * The answer to one chat-completions request body: what POST /v1/chat/completions sends, and
 * what a batch writes for each of its lines (batch-runner.ts), so both answer identically.
 * Throws ApiError for a request OpenAI would refuse.
 */
export function chatCompletion(body: unknown, deps: Pick<Deps, 'models'>): Record<string, unknown> {
  const p = parseWith(chatSchema, body);
  if (p.stream) throw invalidRequest('Streaming is not supported by the local trainer; send stream: false.', 'stream', 'unsupported_value');
  if (p.top_logprobs != null && !p.logprobs)
    throw invalidRequest("Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.", 'top_logprobs', 'invalid_value');

  const predictor = deps.models.predictor(p.model);
  if (!predictor) throw modelNotFound(p.model);
  const text = lastUserText(p.messages);
  const probs = predictor.proba(text);
  const labels = predictor.labels;
  const K = labels.length;
  const ranked = [...labels.keys()].sort((a, b) => probs[b] - probs[a]);

  const temperature = p.temperature ?? 1;
  // Same request, same answer: sampling is seeded by `seed` or else by the request itself.
  const rng = createRng(p.seed ?? hashString(`${p.model}\u0000${text}`));
  const choose = (): number => {
    if (temperature === 0) return predictor.choose(probs);
    const w = Array.from(probs, (x) => Math.pow(x, 1 / temperature));
    let r = rng() * w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) if ((r -= w[k]) < 0) return k;
    return ranked[0];
  };

  const maxTokens = p.max_completion_tokens ?? p.max_tokens ?? Infinity;
  let completionTokens = 0;
  const choices = Array.from({ length: p.n ?? 1 }, (_, index) => {
    const k = choose();
    const pieces = labelPieces(labels[k]);
    const emitted = Math.min(pieces.length, maxTokens);
    completionTokens += emitted;
    const cut = (label: string) => labelPieces(label).slice(0, emitted).join('');
    const content = cut(labels[k]);
    const logprobs = p.logprobs
      ? {
          content: [{ ...tokenEntry(content, probs[k]), top_logprobs: ranked.slice(0, p.top_logprobs ?? 0).map((j) => tokenEntry(cut(labels[j]), probs[j])) }],
          refusal: null,
        }
      : null;
    return {
      index,
      message: { role: 'assistant' as const, content, refusal: null, annotations: [] },
      logprobs,
      finish_reason: emitted < pieces.length ? ('length' as const) : ('stop' as const),
    };
  });

  const promptTokens = approxMessageTokens(p.messages);
  return {
    id: newCompletionId(),
    object: 'chat.completion',
    created: nowSeconds(),
    model: p.model,
    choices,
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

async function complete({ req, res }: RequestContext, deps: Deps): Promise<void> {
  sendJson(res, 200, chatCompletion(await readJson(req), deps));
}

export function chatRoutes(r: Router<Deps>): void {
  r.add('POST', '/v1/chat/completions', complete);
}
