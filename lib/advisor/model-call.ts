// A decision's chat completion from the local trainer, without the `openai` SDK's per-call
// machinery (its request builder, header merging, logging and response wrappers cost about
// 0.25 ms of CPU per call beside a 0.2 ms HTTP round trip; measured against a stub server).
// Only for the local trainer, whose API is this project's own (lib/local-trainer): OpenAI,
// Together and Azure keep the SDK, whose auth schemes (workload identity, Azure's api-key and
// deployments) this does not reproduce. It fails the way the SDK does — APIError.generate from
// the status and body, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError — so
// describeProviderError and the decision's fallbacks read it unchanged.
import OpenAI from 'openai';
import { modelFetch } from './model-fetch';

export interface SendOptions {
  timeout?: number;
  signal?: AbortSignal;
}

function safeJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** POST {baseURL}/chat/completions with the client's key; the parsed completion as the SDK returns it. */
export async function directChatCompletion(
  client: OpenAI,
  body: OpenAI.ChatCompletionCreateParamsNonStreaming,
  opts: SendOptions = {},
): Promise<OpenAI.ChatCompletion> {
  // A timer cleared on the answer, not AbortSignal.timeout: that one fires in every case, long
  // after the answer (an abort event and a DOMException per call, seen in the profile).
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeout ?? client.timeout);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  const aborted = () => (opts.signal?.aborted && !timeout.signal.aborted ? new OpenAI.APIUserAbortError() : new OpenAI.APIConnectionTimeoutError());
  let res: Response;
  let text: string;
  try {
    res = await modelFetch(`${client.baseURL.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    text = await res.text();
  } catch (e) {
    if (signal.aborted) throw aborted();
    throw new OpenAI.APIConnectionError({ cause: e as Error });
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    const errJSON = safeJSON(text);
    throw OpenAI.APIError.generate(res.status, errJSON as object | undefined, errJSON ? undefined : text, res.headers);
  }
  const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (res.status === 204) return null as unknown as OpenAI.ChatCompletion;
  if (!(mediaType?.includes('application/json') || mediaType?.endsWith('+json'))) return text as unknown as OpenAI.ChatCompletion;
  if (!text) return undefined as unknown as OpenAI.ChatCompletion;
  return JSON.parse(text) as OpenAI.ChatCompletion;
}
