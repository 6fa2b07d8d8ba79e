// One chat completion asking a model for a label, with the token logprobs that give its
// confidence: the request evaluations send for every example and the decision API sends for
// every live turn, so both ask exactly the same question the same way.
import type OpenAI from 'openai';
import { parseCompletion, type ParsedAnswer } from './parse-completion';
import { DEFAULT_MAX_TOKENS, TOP_LOGPROBS } from './settings';

export interface AskLabelRequest {
  model: string;
  messages: { role: 'system' | 'user'; content: string }[];
  maxTokens?: number;
  logprobs?: boolean;
  topLogprobs?: number;
}

export interface AskedLabel extends ParsedAnswer {
  latencyMs: number;
}

/** The request body: also what a batch line carries (batch-eval.ts), so both ask the same. */
export function labelRequestBody(req: AskLabelRequest): OpenAI.ChatCompletionCreateParamsNonStreaming {
  const withLogprobs = req.logprobs !== false;
  return {
    model: req.model,
    messages: req.messages,
    temperature: 0,
    max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...(withLogprobs ? { logprobs: true, top_logprobs: req.topLogprobs ?? TOP_LOGPROBS } : {}),
  };
}

export async function askForLabel(client: OpenAI, req: AskLabelRequest, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<AskedLabel> {
  const t0 = performance.now();
  const completion = await client.chat.completions.create(labelRequestBody(req), {
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const latencyMs = Math.round(performance.now() - t0);
  return { ...parseCompletion(completion), latencyMs };
}
