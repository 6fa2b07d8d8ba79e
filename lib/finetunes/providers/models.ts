// Which providers can be used now, and which base models each can fine-tune.
import { assertRole, type Actor } from '../../auth/session';
import { FineTuneProviderError } from '../errors';
import { FINE_TUNABLE_MODELS } from '../fine-tunable-models';
import { PROVIDER_IDS, PROVIDER_NAMES, providerIdSchema, type ProviderId } from '../provider-ids';
import { providerModelSchema } from '../provider-schemas';
import { providerClient } from './client';
import { localTrainerBaseUrl, resolveProvider, type KeySource } from './config';
import { describeProviderError, parseProviderResponse } from './errors';

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

export interface FineTunableModel {
  id: string;
  ownedBy: string | null;
  created: number | null;
}

/**
 * The provider's models that it can fine-tune, as its model list reports them: FINE_TUNABLE_MODELS
 * for the local trainer and OpenAI; on Azure, what the resource marks capabilities.fine_tune.
 * Together AI's /models lists inference models, not its fine-tuning catalogue, so its list is ours.
 */
export async function listFineTunableModels(actor: Actor, providerId: ProviderId): Promise<FineTunableModel[]> {
  assertRole(actor, 'ml_lead', 'admin');
  const id = providerIdSchema.parse(providerId);
  const known = FINE_TUNABLE_MODELS[id];
  if (id === 'together') {
    await resolveProvider(id); // not configured → the caller shows why
    return known.map((m) => ({ id: m, ownedBy: m.split('/')[0], created: null }));
  }
  const handle = await providerClient(id);
  const allowed = new Set(known);
  const out: FineTunableModel[] = [];
  try {
    for await (const raw of handle.client.models.list()) {
      const m = parseProviderResponse(providerModelSchema, raw, handle, 'model');
      const ok = id === 'azure' ? m.capabilities?.fine_tune === true || (m.capabilities == null && allowed.has(m.id)) : allowed.has(m.id);
      if (ok) out.push({ id: m.id, ownedBy: m.owned_by ?? null, created: m.created ?? null });
    }
  } catch (e) {
    throw describeProviderError(e, handle) ?? e;
  }
  const rank = (m: string) => (known.includes(m) ? known.indexOf(m) : known.length);
  return out.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}
