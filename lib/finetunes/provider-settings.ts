// The admin's view and edit of provider credentials. A stored key (and Azure's client secret)
// is sealed (secret-box.ts) before it reaches the database and only ever comes back masked;
// the environment, when it sets the provider's key (OPENAI_API_KEY, AZURE_OPENAI_API_KEY,
// TOGETHER_API_KEY), wins over whatever is stored here.
import 'server-only';
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { FineTuneInputError, FineTuneProviderError } from './errors';
import { PROVIDER_IDS, PROVIDER_NAMES, type ProviderId, type StoredProviderId } from './provider-ids';
import { azureOptionsSchema, localTrainerBaseUrl, resolveProvider, storedProviderSetting, type KeySource } from './providers/config';
import { maskSecret, sealSecret } from './secret-box';

/** The environment variable whose presence makes the environment win for a provider. */
const ENV_KEY: Record<StoredProviderId, string> = { openai: 'OPENAI_API_KEY', azure: 'AZURE_OPENAI_API_KEY', together: 'TOGETHER_API_KEY' };

export interface ProviderSettingView {
  provider: ProviderId;
  name: string;
  configured: boolean;
  /** Why it cannot be used, when it cannot. */
  problem: string | null;
  /** Where the key in use comes from. */
  source: KeySource | null;
  baseUrl: string | null;
  /** e.g. "sk-…"; never more. */
  keyMasked: string | null;
  /** An admin-stored key exists but the environment overrides it. */
  storedOverriddenByEnv: boolean;
  storedKeyMasked: string | null;
  storedBaseUrl: string | null;
  /** Azure's non-secret stored settings (API version, subscription, resource group …). */
  storedOptions: Record<string, string | number>;
  /** Azure's stored client secret, masked. */
  storedSecretMasked: string | null;
  storedUnreadable: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

async function viewOf(id: ProviderId): Promise<ProviderSettingView> {
  let configured = false;
  let problem: string | null = null;
  let source: KeySource | null = null;
  let baseUrl: string | null = id === 'local' ? localTrainerBaseUrl() : null;
  let keyMasked: string | null = null;
  try {
    const c = await resolveProvider(id);
    configured = true;
    source = c.keySource;
    baseUrl = c.baseURL;
    keyMasked = maskSecret(c.apiKey);
  } catch (e) {
    if (!(e instanceof FineTuneProviderError)) throw e;
    problem = e.message;
  }
  const base: ProviderSettingView = {
    provider: id,
    name: PROVIDER_NAMES[id],
    configured,
    problem,
    source,
    baseUrl,
    keyMasked,
    storedOverriddenByEnv: false,
    storedKeyMasked: null,
    storedBaseUrl: null,
    storedOptions: {},
    storedSecretMasked: null,
    storedUnreadable: false,
    updatedAt: null,
    updatedBy: null,
  };
  if (id === 'local') return base;
  const stored = await storedProviderSetting(id);
  if (!stored) return base;
  const updatedBy = stored.updatedById ? ((await db().user.findUnique({ where: { id: stored.updatedById }, select: { email: true } }))?.email ?? null) : null;
  const options = Object.fromEntries(Object.entries(stored.options).filter((e): e is [string, string | number] => ['string', 'number'].includes(typeof e[1])));
  return {
    ...base,
    storedOverriddenByEnv: Boolean(process.env[ENV_KEY[id]] && (stored.apiKey || stored.unreadable)),
    storedKeyMasked: stored.apiKey ? maskSecret(stored.apiKey) : null,
    storedBaseUrl: stored.baseUrl,
    storedOptions: options,
    storedSecretMasked: stored.secret ? maskSecret(stored.secret) : null,
    storedUnreadable: stored.unreadable,
    updatedAt: stored.updatedAt,
    updatedBy,
  };
}

export async function getProviderSettingsView(actor: Actor): Promise<ProviderSettingView[]> {
  assertRole(actor, 'admin');
  return Promise.all(PROVIDER_IDS.map(viewOf));
}

const secretText = (what: string) =>
  z
    .string({ error: `the ${what} must be text` })
    .trim()
    .min(8, `the ${what} is too short`)
    .max(1000, `the ${what} is too long`)
    .regex(/^\S+$/, `the ${what} cannot contain spaces`);

const httpUrl = (example: string) =>
  z
    .union([
      z.literal('').transform(() => null),
      z
        .string()
        .trim()
        .max(500, 'the URL is too long')
        .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), `must be an http(s) URL, e.g. ${example}`),
    ])
    .nullable()
    .optional();

// A string sets a value, null (or "") removes it, absent keeps it.
const optionalText = (what: string, pattern: RegExp, hint: string) =>
  z
    .union([
      z.literal('').transform(() => null),
      z
        .string({ error: `the ${what} must be text` })
        .trim()
        .max(200, `the ${what} is too long`)
        .regex(pattern, `the ${what} ${hint}`),
    ])
    .nullable()
    .optional();

const openAiSave = z
  .object({
    provider: z.literal('openai'),
    apiKey: secretText('API key').nullable().optional(),
    baseUrl: httpUrl('https://api.openai.com/v1'),
  })
  .strict();

const togetherSave = z
  .object({
    provider: z.literal('together'),
    apiKey: secretText('API key').nullable().optional(),
    baseUrl: httpUrl('https://api.together.xyz/v1'),
  })
  .strict();

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.()-]*$/;
const GUID = /^[0-9a-fA-F-]{8,64}$/;
const azureSave = z
  .object({
    provider: z.literal('azure'),
    apiKey: secretText('API key').nullable().optional(),
    endpoint: httpUrl('https://my-resource.openai.azure.com'),
    apiVersion: optionalText('API version', /^\d{4}-\d{2}-\d{2}(-preview)?$/, 'looks like 2024-10-21'),
    subscriptionId: optionalText('subscription id', GUID, 'is a GUID'),
    resourceGroup: optionalText('resource group', NAME, 'may hold letters, digits, "_", ".", "(", ")" and "-"'),
    account: optionalText('account name', NAME, 'may hold letters, digits, "_", "." and "-"'),
    tenantId: optionalText('tenant id', /^[0-9a-zA-Z.-]{3,100}$/, 'is a GUID or a domain'),
    clientId: optionalText('client id', GUID, 'is a GUID'),
    clientSecret: secretText('client secret').nullable().optional(),
    deploymentSku: optionalText('deployment SKU', /^[A-Za-z]+$/, 'is a name such as standard or GlobalStandard'),
    deploymentCapacity: z
      .number({ error: 'the deployment capacity must be a whole number' })
      .int('the deployment capacity must be a whole number')
      .min(1, 'the deployment capacity must be at least 1')
      .max(1000, 'the deployment capacity must be at most 1000')
      .nullable()
      .optional(),
  })
  .strict();

const saveSchema = z.discriminatedUnion('provider', [openAiSave, azureSave, togetherSave], {
  error: 'provider must be openai, azure or together; the local trainer is set through TRAINER_URL / TRAINER_API_KEY',
});

const OPTION_KEYS = ['apiVersion', 'subscriptionId', 'resourceGroup', 'account', 'tenantId', 'clientId', 'deploymentSku', 'deploymentCapacity'] as const;

/** Admin only. Stores (sealed) or removes a provider's key, URL and options; returns the new views. */
export async function saveProviderSettings(actor: Actor, input: unknown): Promise<ProviderSettingView[]> {
  assertRole(actor, 'admin');
  const parsed = saveSchema.safeParse(input);
  if (!parsed.success) throw FineTuneInputError.fromZod(parsed.error);
  const p = parsed.data;
  const provider = p.provider;
  const data: { apiKeyEncrypted?: string | null; baseUrl?: string | null; options?: object; secretEncrypted?: string | null; updatedById: string } = {
    updatedById: actor.id,
  };
  if (p.apiKey !== undefined) data.apiKeyEncrypted = p.apiKey === null ? null : sealSecret(p.apiKey, `provider:${provider}`);
  const url = p.provider === 'azure' ? p.endpoint : p.baseUrl;
  if (url !== undefined) data.baseUrl = url ? url.replace(/\/+$/, '') : null;
  if (p.provider === 'azure') {
    if (p.clientSecret !== undefined) data.secretEncrypted = p.clientSecret === null ? null : sealSecret(p.clientSecret, `provider:azure:secret`);
    const current = (await storedProviderSetting('azure'))?.options ?? {};
    const next: Record<string, unknown> = { ...(azureOptionsSchema.safeParse(current).data ?? {}) };
    for (const k of OPTION_KEYS) {
      const v = p[k];
      if (v === undefined) continue;
      if (v === null) delete next[k];
      else next[k] = v;
    }
    data.options = next;
  }
  await db().providerSetting.upsert({ where: { provider }, create: { provider, ...data }, update: data });
  return getProviderSettingsView(actor);
}
