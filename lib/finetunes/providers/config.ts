// Where each trainer lives and which credentials reach it. Server-only: keys are read here,
// handed to a client and nowhere else (never logged, returned, or written to a job payload).
// For every hosted provider the environment wins over what an admin stored (a stored base URL
// or option goes with the stored key only); the local trainer is set by TRAINER_URL /
// TRAINER_API_KEY or its key file.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { db } from '../../db';
import { FineTuneProviderError } from '../errors';
import { PROVIDER_NAMES, type ProviderId, type StoredProviderId } from '../provider-ids';
import { openSecret } from '../secret-box';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const TOGETHER_DEFAULT_BASE_URL = 'https://api.together.xyz/v1';
/** The GA data-plane version that has fine-tuning, events and checkpoints (Azure OpenAI REST reference). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';
/** Deployments - Create Or Update (Cognitive Services account management REST API). */
export const AZURE_DEFAULT_ARM_API_VERSION = '2024-10-01';
export const AZURE_DEFAULT_MANAGEMENT_URL = 'https://management.azure.com';
export const AZURE_DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export type KeySource = 'env' | 'file' | 'stored';

export interface BasicProviderConfig {
  id: 'local' | 'openai' | 'together';
  name: string;
  baseURL: string;
  apiKey: string;
  keySource: KeySource;
}

/** Azure Resource Manager access for the deployment step (management.azure.com, a bearer token). */
export interface AzureManagementConfig {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
  managementUrl: string;
  armApiVersion: string;
  auth: { kind: 'token'; token: string } | { kind: 'client'; tenantId: string; clientId: string; clientSecret: string; authorityHost: string };
  sku: { name: string; capacity: number };
}

export interface AzureProviderConfig {
  id: 'azure';
  name: string;
  /** The resource endpoint, e.g. https://my-resource.openai.azure.com (the SDK appends /openai). */
  endpoint: string;
  baseURL: string;
  apiKey: string;
  apiVersion: string;
  keySource: KeySource;
  management: AzureManagementConfig;
}

export type ProviderConfig = BasicProviderConfig | AzureProviderConfig;

/** The non-secret Azure settings an admin may store (options column). */
export const azureOptionsSchema = z.looseObject({
  apiVersion: z.string().optional(),
  subscriptionId: z.string().optional(),
  resourceGroup: z.string().optional(),
  account: z.string().optional(),
  tenantId: z.string().optional(),
  clientId: z.string().optional(),
  deploymentSku: z.string().optional(),
  deploymentCapacity: z.number().int().optional(),
});
export type AzureOptions = z.infer<typeof azureOptionsSchema>;

/** TRAINER_URL (default http://127.0.0.1:$TRAINER_PORT, port 4010) with /v1 appended once. */
export function localTrainerBaseUrl(): string {
  const root = process.env.TRAINER_URL || `http://127.0.0.1:${process.env.TRAINER_PORT || 4010}`;
  return `${root.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1`;
}

export function localTrainerKeyFile(): string {
  return path.resolve(process.env.TRAINER_DATA_DIR || path.join('.data', 'trainer'), 'api-key');
}

export interface StoredProviderSetting {
  baseUrl: string | null;
  apiKey: string | null;
  secret: string | null;
  options: Record<string, unknown>;
  updatedAt: Date;
  updatedById: string | null;
  unreadable: boolean;
}

/** An admin-stored setting, decrypted; null when none. `unreadable`: sealed with another secret. */
export async function storedProviderSetting(provider: StoredProviderId): Promise<StoredProviderSetting | null> {
  const row = await db().providerSetting.findUnique({ where: { provider } });
  if (!row) return null;
  let unreadable = false;
  const open = (sealed: string | null, context: string) => {
    if (!sealed) return null;
    try {
      return openSecret(sealed, context);
    } catch {
      unreadable = true;
      return null;
    }
  };
  const apiKey = open(row.apiKeyEncrypted, `provider:${provider}`);
  const secret = open(row.secretEncrypted, `provider:${provider}:secret`);
  const options = row.options && typeof row.options === 'object' && !Array.isArray(row.options) ? (row.options as Record<string, unknown>) : {};
  return { baseUrl: row.baseUrl, apiKey, secret, options, updatedAt: row.updatedAt, updatedById: row.updatedById, unreadable };
}

/** The stored (admin-entered) OpenAI setting, decrypted; null when none. */
export async function storedOpenAiSetting() {
  return storedProviderSetting('openai');
}

function unconfigured(message: string): never {
  throw new FineTuneProviderError(message, false);
}

function unreadableKey(name: string): never {
  unconfigured(`The stored ${name} key cannot be decrypted (was BETTER_AUTH_SECRET changed?); an admin must save it again.`);
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

function resolveLocal(): BasicProviderConfig {
  const baseURL = localTrainerBaseUrl();
  const name = PROVIDER_NAMES.local;
  if (process.env.TRAINER_API_KEY) return { id: 'local', name, baseURL, apiKey: process.env.TRAINER_API_KEY, keySource: 'env' };
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
  return { id: 'local', name, baseURL, apiKey, keySource: 'file' };
}

async function resolveOpenAi(): Promise<BasicProviderConfig> {
  const name = PROVIDER_NAMES.openai;
  if (process.env.OPENAI_API_KEY) {
    return { id: 'openai', name, baseURL: process.env.OPENAI_BASE_URL || OPENAI_DEFAULT_BASE_URL, apiKey: process.env.OPENAI_API_KEY, keySource: 'env' };
  }
  const stored = await storedProviderSetting('openai');
  if (stored?.unreadable) unreadableKey(name);
  if (!stored?.apiKey) {
    unconfigured(
      'OpenAI is not configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for another compatible server), or have an admin save a key in the settings.',
    );
  }
  return { id: 'openai', name, baseURL: stored.baseUrl || OPENAI_DEFAULT_BASE_URL, apiKey: stored.apiKey, keySource: 'stored' };
}

async function resolveTogether(): Promise<BasicProviderConfig> {
  const name = PROVIDER_NAMES.together;
  if (process.env.TOGETHER_API_KEY) {
    return {
      id: 'together',
      name,
      baseURL: trimSlash(process.env.TOGETHER_BASE_URL || TOGETHER_DEFAULT_BASE_URL),
      apiKey: process.env.TOGETHER_API_KEY,
      keySource: 'env',
    };
  }
  const stored = await storedProviderSetting('together');
  if (stored?.unreadable) unreadableKey(name);
  if (!stored?.apiKey) unconfigured('Together AI is not configured: set TOGETHER_API_KEY, or have an admin save a key in the settings.');
  return { id: 'together', name, baseURL: stored.baseUrl || TOGETHER_DEFAULT_BASE_URL, apiKey: stored.apiKey, keySource: 'stored' };
}

/** The account name is the endpoint's first host label (https://<account>.openai.azure.com). */
export function azureAccountFromEndpoint(endpoint: string): string | null {
  try {
    const host = new URL(endpoint).hostname;
    return /\.(openai|cognitiveservices)\.azure\.com$/.test(host) ? host.split('.')[0] : null;
  } catch {
    return null;
  }
}

interface AzureFields {
  endpoint?: string | null;
  apiKey?: string | null;
  apiVersion?: string | null;
  subscriptionId?: string | null;
  resourceGroup?: string | null;
  account?: string | null;
  tenantId?: string | null;
  clientId?: string | null;
  clientSecret?: string | null;
  managementToken?: string | null;
  deploymentSku?: string | null;
  deploymentCapacity?: number | null;
}

function azureFromFields(f: AzureFields, keySource: KeySource, where: string): AzureProviderConfig {
  const name = PROVIDER_NAMES.azure;
  if (!f.endpoint || !f.apiKey) unconfigured(`Azure OpenAI is not configured: ${where}`);
  const endpoint = trimSlash(f.endpoint);
  const account = f.account || azureAccountFromEndpoint(endpoint);
  const missing: string[] = [];
  if (!f.subscriptionId) missing.push('subscription id');
  if (!f.resourceGroup) missing.push('resource group');
  if (!account) missing.push('account (resource) name');
  const token = f.managementToken;
  const client = f.tenantId && f.clientId && f.clientSecret;
  if (!token && !client) missing.push('a service principal (tenant id, client id, client secret) or a management token');
  if (missing.length) {
    unconfigured(
      `Azure OpenAI can train but not deploy: a fine-tuned model must be deployed through Azure Resource Manager before it serves, which needs ${missing.join(', ')} (${where}).`,
    );
  }
  const capacity = f.deploymentCapacity ?? 1;
  return {
    id: 'azure',
    name,
    endpoint,
    baseURL: `${endpoint}/openai`,
    apiKey: f.apiKey,
    apiVersion: f.apiVersion || AZURE_DEFAULT_API_VERSION,
    keySource,
    management: {
      subscriptionId: f.subscriptionId!,
      resourceGroup: f.resourceGroup!,
      account: account!,
      managementUrl: trimSlash(process.env.AZURE_MANAGEMENT_URL || AZURE_DEFAULT_MANAGEMENT_URL),
      armApiVersion: process.env.AZURE_ARM_API_VERSION || AZURE_DEFAULT_ARM_API_VERSION,
      auth: token
        ? { kind: 'token', token }
        : {
            kind: 'client',
            tenantId: f.tenantId!,
            clientId: f.clientId!,
            clientSecret: f.clientSecret!,
            authorityHost: trimSlash(process.env.AZURE_AUTHORITY_HOST || AZURE_DEFAULT_AUTHORITY_HOST),
          },
      sku: { name: f.deploymentSku || 'standard', capacity: Number.isInteger(capacity) && capacity > 0 ? capacity : 1 },
    },
  };
}

async function resolveAzure(): Promise<AzureProviderConfig> {
  const env = process.env;
  if (env.AZURE_OPENAI_API_KEY) {
    const capacity = env.AZURE_DEPLOYMENT_CAPACITY ? Number(env.AZURE_DEPLOYMENT_CAPACITY) : null;
    return azureFromFields(
      {
        endpoint: env.AZURE_OPENAI_ENDPOINT,
        apiKey: env.AZURE_OPENAI_API_KEY,
        apiVersion: env.AZURE_OPENAI_API_VERSION,
        subscriptionId: env.AZURE_SUBSCRIPTION_ID,
        resourceGroup: env.AZURE_RESOURCE_GROUP,
        account: env.AZURE_OPENAI_ACCOUNT,
        tenantId: env.AZURE_TENANT_ID,
        clientId: env.AZURE_CLIENT_ID,
        clientSecret: env.AZURE_CLIENT_SECRET,
        managementToken: env.AZURE_MANAGEMENT_TOKEN,
        deploymentSku: env.AZURE_DEPLOYMENT_SKU,
        deploymentCapacity: capacity,
      },
      'env',
      'set AZURE_OPENAI_ENDPOINT, AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET beside AZURE_OPENAI_API_KEY',
    );
  }
  const stored = await storedProviderSetting('azure');
  if (stored?.unreadable) unreadableKey(PROVIDER_NAMES.azure);
  if (!stored?.apiKey) {
    unconfigured('Azure OpenAI is not configured: set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY (see the README), or have an admin save its settings.');
  }
  const o = azureOptionsSchema.safeParse(stored.options);
  const opts: AzureOptions = o.success ? o.data : {};
  return azureFromFields(
    {
      endpoint: stored.baseUrl,
      apiKey: stored.apiKey,
      apiVersion: opts.apiVersion,
      subscriptionId: opts.subscriptionId,
      resourceGroup: opts.resourceGroup,
      account: opts.account,
      tenantId: opts.tenantId,
      clientId: opts.clientId,
      clientSecret: stored.secret,
      deploymentSku: opts.deploymentSku,
      deploymentCapacity: opts.deploymentCapacity,
    },
    'stored',
    'complete its settings on the providers page',
  );
}

/** The provider's configuration; throws FineTuneProviderError (transient for a trainer that has not started yet). */
export async function resolveProvider(id: ProviderId): Promise<ProviderConfig> {
  switch (id) {
    case 'local':
      return resolveLocal();
    case 'openai':
      return resolveOpenAi();
    case 'azure':
      return resolveAzure();
    case 'together':
      return resolveTogether();
  }
}
