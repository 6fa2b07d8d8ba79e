// One chat completion → one scored answer. Strict on purpose: the label is the content with
// surrounding whitespace removed and must then be EXACTLY one of END / CONTINUE / SCHEDULE.
// "End", "END." or "CONT" (a cut answer) are `invalid`, never quietly mapped to a label: a
// model that cannot answer in the trained format is a finding, not something to paper over.
import { isLabel, type PredictedLabel } from './metrics';

export interface TokenLogprob {
  token: string;
  logprob: number;
  top_logprobs?: { token: string; logprob: number }[] | null;
}

/** The parts of an OpenAI chat.completion this reads (the SDK type is wider). */
export interface CompletionLike {
  choices?: {
    message?: { content?: string | null } | null;
    logprobs?: { content?: TokenLogprob[] | null } | null;
  }[];
  usage?: { prompt_tokens?: number | null; completion_tokens?: number | null } | null;
}

export interface ParsedAnswer {
  predicted: PredictedLabel;
  /** Probability the model gave its answer, in [0, 1]; null without logprobs or for an invalid answer. */
  confidence: number | null;
  rawOutput: string;
  promptTokens: number | null;
  completionTokens: number | null;
}

/**
 * The model's probability for `label` from the answer's token logprobs:
 * - the first token is the whole label: exp(logprob) of that token (cookbook Using_logprobs);
 * - the label spans several tokens ("CON" + "TINUE"): the probability of that token sequence,
 *   exp(Σ logprob) over the tokens forming it (reference §4.1, "summing the logprobs").
 * Tokens are compared without surrounding whitespace, as the content is. null otherwise.
 */
export function labelConfidence(tokens: readonly TokenLogprob[] | null | undefined, label: string): number | null {
  if (!tokens || tokens.length === 0) return null;
  let text = '';
  let sum = 0;
  for (const t of tokens) {
    if (typeof t.token !== 'string' || typeof t.logprob !== 'number' || !Number.isFinite(t.logprob)) return null;
    text += t.token;
    sum += t.logprob;
    const trimmed = text.trim();
    if (trimmed === label) return clampProbability(Math.exp(sum));
    // Once the text read so far is no longer a prefix of the label, the label was not emitted.
    if (trimmed.length > 0 && !label.startsWith(trimmed)) return null;
  }
  return null;
}

function clampProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function tokenCount(n: number | null | undefined): number | null {
  return typeof n === 'number' && Number.isFinite(n) ? Math.round(n) : null;
}

export function parseCompletion(completion: CompletionLike): ParsedAnswer {
  const choice = completion.choices?.[0];
  const rawOutput = choice?.message?.content ?? '';
  const trimmed = rawOutput.trim();
  const predicted: PredictedLabel = isLabel(trimmed) ? trimmed : 'invalid';
  const confidence = predicted === 'invalid' ? null : labelConfidence(choice?.logprobs?.content, predicted);
  return {
    predicted,
    confidence,
    rawOutput,
    promptTokens: tokenCount(completion.usage?.prompt_tokens),
    completionTokens: tokenCount(completion.usage?.completion_tokens),
  };
}
