// Where each trainer lives and how to reach it. Server-only: keys are read here, handed to the
// SDK and nowhere else (never logged, returned, or written to a job payload). Both providers
// are reached through the official `openai` SDK. Retries are the fine-tune steps' business
// (step.ts: lib/retry's backoff for a time budget, resumable across restarts), so the client
// makes exactly one attempt per call, bounded by FINETUNE_REQUEST_TIMEOUT_MS so a hung
// request fails (transiently) instead of stalling the run.
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import type { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { connectionCause, isTransientStatus } from '../retry';
import { FineTuneProviderError } from './errors';
import { FINE_TUNABLE_MODELS } from './fine-tunable-models';
import { providerModelSchema } from './provider-schemas';
import { requestTimeoutMs } from './retry-settings';
import { PROVIDER_IDS, PROVIDER_NAMES, providerIdSchema, type ProviderId } from './provider-ids';
import { maskSecret, openSecret } from './secret-box';

export { PROVIDER_IDS, PROVIDER_NAMES, type ProviderId } from './provider-ids';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export type KeySource = 'env' | 'file' | 'stored';

interface ProviderConfig {
  id: ProviderId;
  name: string;
  baseURL: string;
  apiKey: string;
  keySource: KeySource;
}

/** TRAINER_URL (default http://127.0.0.1:$TRAINER_PORT, port 4010) with /v1 appended once. */
export function localTrainerBaseUrl(): string {
  const root = process.env.TRAINER_URL || `http://127.0.0.1:${process.env.TRAINER_PORT || 4010}`;
  return `${root.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1`;
}

export function localTrainerKeyFile(): string {
  return path.resolve(process.env.TRAINER_DATA_DIR || path.join('.data', 'trainer'), 'api-key');
}

/** The stored (admin-entered) OpenAI setting, decrypted; null when none. */
export async function storedOpenAiSetting(): Promise<{
  baseUrl: string | null;
  apiKey: string | null;
  updatedAt: Date;
  updatedById: string | null;
  unreadable: boolean;
} | null> {
  const row = await db().providerSetting.findUnique({ where: { provider: 'openai' } });
  if (!row) return null;
  let apiKey: string | null = null;
  let unreadable = false;
  if (row.apiKeyEncrypted) {
    try {
      apiKey = openSecret(row.apiKeyEncrypted, 'provider:openai');
    } catch {
      unreadable = true;
    }
  }
  return { baseUrl: row.baseUrl, apiKey, updatedAt: row.updatedAt, updatedById: row.updatedById, unreadable };
}

async function resolveProvider(id: ProviderId): Promise<ProviderConfig> {
  if (id === 'local') {
    const baseURL = localTrainerBaseUrl();
    if (process.env.TRAINER_API_KEY) return { id, name: PROVIDER_NAMES.local, baseURL, apiKey: process.env.TRAINER_API_KEY, keySource: 'env' };
    const file = localTrainerKeyFile();
    let apiKey = '';
    try {
      apiKey = fs.readFileSync(file, 'utf8').trim();
    } catch {
      // The trainer writes its key on first start; until then, retrying is the right thing.
    }
    if (!apiKey) {
      throw new FineTuneProviderError(
        `The local trainer has no API key yet (${file} is missing): start it with npm run trainer (npm start runs it too), or set TRAINER_API_KEY.`,
        true,
      );
    }
    return { id, name: PROVIDER_NAMES.local, baseURL, apiKey, keySource: 'file' };
  }
  // The environment wins over what an admin stored; a stored base URL goes with the stored key only.
  if (process.env.OPENAI_API_KEY) {
    return {
      id,
      name: PROVIDER_NAMES.openai,
      baseURL: process.env.OPENAI_BASE_URL || OPENAI_DEFAULT_BASE_URL,
      apiKey: process.env.OPENAI_API_KEY,
      keySource: 'env',
    };
  }
  const stored = await storedOpenAiSetting();
  if (stored?.unreadable) {
    throw new FineTuneProviderError('The stored OpenAI key cannot be decrypted (was BETTER_AUTH_SECRET changed?); an admin must save it again.', false);
  }
  if (!stored?.apiKey) {
    throw new FineTuneProviderError(
      'OpenAI is not configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for Azure or another compatible server), or have an admin save a key in the settings.',
      false,
    );
  }
  return { id, name: PROVIDER_NAMES.openai, baseURL: stored.baseUrl || OPENAI_DEFAULT_BASE_URL, apiKey: stored.apiKey, keySource: 'stored' };
}

export interface ProviderSummary {
  id: ProviderId;
  name: string;
  configured: boolean;
  baseUrl: string | null;
  keySource: KeySource | null;
  /** Why it cannot be used yet, when it cannot. */
  problem: string | null;
}

/** Every provider, whether it can be used now, and from where — never a key. */
export async function listProviders(): Promise<ProviderSummary[]> {
  const out: ProviderSummary[] = [];
  for (const id of PROVIDER_IDS) {
    try {
      const c = await resolveProvider(id);
      out.push({ id, name: c.name, configured: true, baseUrl: c.baseURL, keySource: c.keySource, problem: null });
    } catch (e) {
      if (!(e instanceof FineTuneProviderError)) throw e;
      out.push({
        id,
        name: PROVIDER_NAMES[id],
        configured: false,
        baseUrl: id === 'local' ? localTrainerBaseUrl() : null,
        keySource: null,
        problem: e.message,
      });
    }
  }
  return out;
}

export async function isProviderConfigured(id: ProviderId): Promise<{ configured: true } | { configured: false; problem: string }> {
  try {
    await resolveProvider(id);
    return { configured: true };
  } catch (e) {
    if (!(e instanceof FineTuneProviderError)) throw e;
    // A local trainer that has not started yet is still the right choice: the launch waits for it.
    return e.transient ? { configured: true } : { configured: false, problem: e.message };
  }
}

export interface ProviderHandle {
  id: ProviderId;
  name: string;
  baseURL: string;
  client: OpenAI;
}

/** A one-attempt SDK client for the provider (throws FineTuneProviderError when it cannot be built). */
export async function providerClient(providerId: ProviderId): Promise<ProviderHandle> {
  const c = await resolveProvider(providerIdSchema.parse(providerId));
  return {
    id: c.id,
    name: c.name,
    baseURL: c.baseURL,
    client: new OpenAI({ apiKey: c.apiKey, baseURL: c.baseURL, maxRetries: 0, timeout: requestTimeoutMs() }),
  };
}

/**
 * An SDK failure as a FineTuneProviderError with a message a user can act on, or null when
 * `e` did not come from the provider. 408/409/429/5xx and connection trouble are transient.
 */
export function describeProviderError(
  e: unknown,
  provider: Pick<ProviderHandle, 'id' | 'name' | 'baseURL'> & { client?: OpenAI },
): FineTuneProviderError | null {
  const described = describe(e, provider);
  // Providers echo a (usually masked) key in 401 messages; make sure ours never travels on.
  const key = provider.client?.apiKey;
  if (described && key && described.message.includes(key)) {
    return new FineTuneProviderError(described.message.replaceAll(key, maskSecret(key)), described.transient, described.status);
  }
  return described;
}

function describe(e: unknown, provider: Pick<ProviderHandle, 'id' | 'name' | 'baseURL'> & { client?: OpenAI }): FineTuneProviderError | null {
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
    const transient = isTransientStatus(status);
    return new FineTuneProviderError(`${provider.name}: ${e.message}`, transient, status || undefined);
  }
  return null;
}

/** A provider response checked against `schema`; a mismatch is a final provider error. */
export function parseProviderResponse<S extends z.ZodType>(schema: S, value: unknown, provider: Pick<ProviderHandle, 'name'>, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new FineTuneProviderError(`${provider.name} returned an unexpected ${what}: ${issue.path.join('.') || 'value'}: ${issue.message}`, false);
}

export interface FineTunableModel {
  id: string;
  ownedBy: string | null;
  created: number | null;
}

/** The provider's models that it can fine-tune (FINE_TUNABLE_MODELS), as /v1/models reports them. */
export async function listFineTunableModels(actor: Actor, providerId: ProviderId): Promise<FineTunableModel[]> {
  assertRole(actor, 'ml_lead', 'admin');
  const id = providerIdSchema.parse(providerId);
  const handle = await providerClient(id);
  const allowed = new Set(FINE_TUNABLE_MODELS[id]);
  const out: FineTunableModel[] = [];
  try {
    for await (const raw of handle.client.models.list()) {
      const m = parseProviderResponse(providerModelSchema, raw, handle, 'model');
      if (allowed.has(m.id)) out.push({ id: m.id, ownedBy: m.owned_by ?? null, created: m.created ?? null });
    }
  } catch (e) {
    throw describeProviderError(e, handle) ?? e;
  }
  return out.sort((a, b) => FINE_TUNABLE_MODELS[id].indexOf(a.id) - FINE_TUNABLE_MODELS[id].indexOf(b.id));
}
