// How a failed chat-completion request is handled, decided from the SDK's error alone:
//   retry  — 408/409/429/5xx, timeouts, connection trouble (the same request may well succeed);
//   fatal  — 401/403/404: the key or the model is wrong, every other request fails the same way;
//   no-logprobs — a 400 about logprobs: the provider does not offer them, ask again without;
//   example — anything else (e.g. a 400 for one over-long prompt): that example is recorded as
//             invalid with the error text and the run goes on.
import OpenAI from 'openai';
import { connectionCause, isTransientStatus, retryAfterMs } from '../retry';

export type RequestErrorKind = 'retry' | 'fatal' | 'no-logprobs' | 'example';

export interface ClassifiedError {
  kind: RequestErrorKind;
  status: number | null;
  message: string;
  /** What the provider asked us to wait (retry-after-ms / retry-after), in ms. */
  retryAfterMs: number | null;
}

const LOGPROBS_PARAMS = new Set(['logprobs', 'top_logprobs']);

export function classifyRequestError(e: unknown): ClassifiedError {
  if (e instanceof OpenAI.APIConnectionTimeoutError) {
    return { kind: 'retry', status: null, message: 'the request timed out', retryAfterMs: null };
  }
  if (e instanceof OpenAI.APIConnectionError) {
    const cause = connectionCause(e);
    return { kind: 'retry', status: null, message: `connection error${cause ? ` (${cause})` : ''}`, retryAfterMs: null };
  }
  if (e instanceof OpenAI.APIError) {
    const status = typeof e.status === 'number' ? e.status : null;
    const message = e.message || `HTTP ${status}`;
    const after = retryAfterMs(e.headers);
    if (isTransientStatus(status)) {
      return { kind: 'retry', status, message, retryAfterMs: after };
    }
    if (status === 401 || status === 403 || status === 404) return { kind: 'fatal', status, message, retryAfterMs: null };
    if (status === 400 && ((e.param && LOGPROBS_PARAMS.has(e.param)) || /logprob/i.test(message))) {
      return { kind: 'no-logprobs', status, message, retryAfterMs: null };
    }
    return { kind: 'example', status, message, retryAfterMs: null };
  }
  // fetch-level failures that did not come through the SDK's wrappers.
  const name = (e as { name?: unknown })?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'retry', status: null, message: 'the request timed out', retryAfterMs: null };
  const cause = connectionCause(e);
  if (cause && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(cause)) {
    return { kind: 'retry', status: null, message: `connection error (${cause})`, retryAfterMs: null };
  }
  return { kind: 'example', status: null, message: (e as Error)?.message ?? String(e), retryAfterMs: null };
}
