// An SDK client per provider. The local trainer, OpenAI and Together AI's OpenAI-compatible
// inference (chat completions, models) use the `openai` SDK at their base URL; Azure OpenAI
// uses the SDK's AzureOpenAI client (resource endpoint, api-key header, api-version query; a
// chat call's `model` is the deployment name, inserted into the path). Retries are the
// fine-tune steps' business (step.ts: lib/retry's backoff for a time budget, resumable across
// restarts), so a client makes exactly one attempt per call, bounded by
// FINETUNE_REQUEST_TIMEOUT_MS so a hung request fails (transiently) instead of stalling the run.
import OpenAI, { AzureOpenAI } from 'openai';
import { providerIdSchema, type ProviderId } from '../provider-ids';
import { requestTimeoutMs } from '../retry-settings';
import { cappedFetch } from './call-slots';
import { resolveProvider, type ProviderConfig } from './config';

export interface ProviderHandle {
  id: ProviderId;
  name: string;
  baseURL: string;
  client: OpenAI;
}

export interface ClientOptions {
  /** Hold one of the provider's global call slots for each request (fine-tune steps do; inference does not). */
  capped?: boolean;
}

export function sdkClientFor(c: ProviderConfig, opts: ClientOptions = {}): OpenAI {
  const common = { maxRetries: 0, timeout: requestTimeoutMs(), ...(opts.capped ? { fetch: cappedFetch(c.id) } : {}) };
  if (c.id === 'azure') return new AzureOpenAI({ endpoint: c.endpoint, apiKey: c.apiKey, apiVersion: c.apiVersion, ...common });
  return new OpenAI({ apiKey: c.apiKey, baseURL: c.baseURL, ...common });
}

/** A one-attempt SDK client for the provider (throws FineTuneProviderError when it cannot be built). */
export async function providerClient(providerId: ProviderId, opts: ClientOptions = {}): Promise<ProviderHandle> {
  const c = await resolveProvider(providerIdSchema.parse(providerId));
  return { id: c.id, name: c.name, baseURL: c.baseURL, client: sdkClientFor(c, opts) };
}
