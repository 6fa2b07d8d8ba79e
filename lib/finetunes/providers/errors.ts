// Provider failures in one shape. The SDK's errors (OpenAI, Azure, the local trainer) and our
// own fetch clients' (Together AI, Azure Resource Manager, which raise the SDK's error classes
// too: http.ts) become a FineTuneProviderError with a message a user can act on, transient for
// 408/409/429/5xx and connection trouble.
import OpenAI from 'openai';
import type { z } from 'zod';
import { connectionCause, isTransientStatus } from '../../retry';
import { FineTuneProviderError } from '../errors';
import { requestTimeoutMs } from '../retry-settings';
import { maskSecret } from '../secret-box';
import type { ProviderId } from '../provider-ids';

/** What describing a failure needs to know about where it came from. */
export interface ProviderRef {
  id: ProviderId;
  name: string;
  baseURL: string;
  /** Its key, so a provider echoing it in a message never passes it on. */
  client?: { apiKey?: string | null; timeout?: number };
  secrets?: readonly string[];
}

/**
 * An SDK or HTTP failure as a FineTuneProviderError with a message a user can act on, or null
 * when `e` did not come from the provider. 408/409/429/5xx and connection trouble are transient.
 */
export function describeProviderError(e: unknown, provider: ProviderRef): FineTuneProviderError | null {
  const described = describe(e, provider);
  if (!described) return null;
  // Providers echo a (usually masked) key in 401 messages; make sure ours never travels on.
  let message = described.message;
  for (const key of [provider.client?.apiKey, ...(provider.secrets ?? [])]) {
    if (key && message.includes(key)) message = message.replaceAll(key, maskSecret(key));
  }
  return message === described.message ? described : new FineTuneProviderError(message, described.transient, described.status);
}

function describe(e: unknown, provider: ProviderRef): FineTuneProviderError | null {
  if (e instanceof FineTuneProviderError) return e;
  if (e instanceof OpenAI.APIConnectionTimeoutError) {
    const timeout = provider.client?.timeout ?? requestTimeoutMs();
    return new FineTuneProviderError(`${provider.name} at ${provider.baseURL} did not answer within ${Number((timeout / 1000).toFixed(1))} s.`, true);
  }
  if (e instanceof OpenAI.APIConnectionError) {
    const hint = provider.id === 'local' ? ' Start it with npm run trainer (npm start runs it too).' : '';
    const who = provider.id === 'local' ? 'The local trainer' : provider.name;
    return new FineTuneProviderError(`${who} at ${provider.baseURL} is not reachable (${connectionCause(e) ?? 'no response'}).${hint}`, true);
  }
  if (e instanceof OpenAI.APIError) {
    const status = e.status ?? 0;
    return new FineTuneProviderError(`${provider.name}: ${e.message}`, isTransientStatus(status), status || undefined);
  }
  return null;
}

/** A provider response checked against `schema`; a mismatch is a final provider error. */
export function parseProviderResponse<S extends z.ZodType>(schema: S, value: unknown, provider: { name: string }, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new FineTuneProviderError(`${provider.name} returned an unexpected ${what}: ${issue.path.join('.') || 'value'}: ${issue.message}`, false);
}
