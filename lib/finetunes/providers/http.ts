// A small JSON-over-HTTP client for the providers the SDK does not speak (Together AI's
// /fine-tunes, Azure Resource Manager, Microsoft Entra tokens). It fails the way the SDK does —
// the SDK's own error classes, built from the status, headers and error body — so one
// describeProviderError (errors.ts) and one retry policy (lib/retry reads retry-after from the
// error's headers) cover every provider.
import OpenAI from 'openai';

export type Fetch = typeof fetch;

export interface JsonRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (serialised here) or a ready body (FormData, URLSearchParams). */
  json?: unknown;
  body?: FormData | URLSearchParams;
  timeoutMs: number;
}

/** The error body in OpenAI's shape ({ error: { message, code } }), whatever shape the provider used. */
function errorBody(parsed: unknown, text: string): Record<string, unknown> {
  if (parsed && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    if (o.error && typeof o.error === 'object') return o;
    if (typeof o.error === 'string') return { error: { message: o.error } };
    if (typeof o.message === 'string') return { error: { message: o.message, code: o.code ?? null } };
    // Entra's token errors: { error: "invalid_client", error_description: "…" } is handled above via `error`.
  }
  return { error: { message: text.trim().slice(0, 500) || null } };
}

/** Sends one request; a 2xx answer's JSON (null for an empty body), else the SDK's APIError for its status. */
export async function requestJson(fetchImpl: Fetch, req: JsonRequest): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  let res: Response;
  let text: string;
  try {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: BodyInit | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.body) {
      body = req.body;
    }
    res = await fetchImpl(req.url, { method: req.method ?? 'GET', headers, body, signal: controller.signal });
    text = await res.text();
  } catch (e) {
    if (controller.signal.aborted) throw new OpenAI.APIConnectionTimeoutError();
    if (e instanceof OpenAI.APIError) throw e;
    throw new OpenAI.APIConnectionError({ cause: e as Error });
  } finally {
    clearTimeout(timer);
  }
  let parsed: unknown = null;
  if (text.trim()) {
    try {
      parsed = JSON.parse(text);
    } catch {
      if (res.ok) throw OpenAI.APIError.generate(res.status, { error: { message: `the answer is not JSON: ${text.slice(0, 200)}` } }, undefined, res.headers);
    }
  }
  if (!res.ok) {
    const b = errorBody(parsed, text);
    // Entra: { error: "invalid_client", error_description: "AADSTS…" }.
    const desc = (parsed as { error_description?: unknown } | null)?.error_description;
    if (typeof desc === 'string') b.error = { message: desc, code: (parsed as { error?: unknown }).error };
    throw OpenAI.APIError.generate(res.status, b, undefined, res.headers);
  }
  return parsed;
}
