// The admin's view and edit of provider credentials. A stored key is sealed (secret-box.ts)
// before it reaches the database and only ever comes back masked; the environment, when it
// sets OPENAI_API_KEY, wins over whatever is stored here.
import 'server-only';
import fs from 'node:fs';
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { FineTuneInputError } from './errors';
import { localTrainerBaseUrl, localTrainerKeyFile, OPENAI_DEFAULT_BASE_URL, storedOpenAiSetting } from './providers';
import { maskSecret, sealSecret } from './secret-box';

export interface ProviderSettingView {
  provider: 'local' | 'openai';
  configured: boolean;
  /** Where the key in use comes from. */
  source: 'env' | 'file' | 'stored' | null;
  baseUrl: string | null;
  /** e.g. "sk-…abcd"; never more. */
  keyMasked: string | null;
  /** An admin-stored key exists but the environment overrides it. */
  storedOverriddenByEnv: boolean;
  storedKeyMasked: string | null;
  storedBaseUrl: string | null;
  storedUnreadable: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export async function getProviderSettingsView(actor: Actor): Promise<ProviderSettingView[]> {
  assertRole(actor, 'admin');
  const localKey = process.env.TRAINER_API_KEY || readKeyFile(localTrainerKeyFile());
  const local: ProviderSettingView = {
    provider: 'local',
    configured: Boolean(localKey),
    source: process.env.TRAINER_API_KEY ? 'env' : localKey ? 'file' : null,
    baseUrl: localTrainerBaseUrl(),
    keyMasked: localKey ? maskSecret(localKey) : null,
    storedOverriddenByEnv: false,
    storedKeyMasked: null,
    storedBaseUrl: null,
    storedUnreadable: false,
    updatedAt: null,
    updatedBy: null,
  };

  const stored = await storedOpenAiSetting();
  const updatedBy = stored?.updatedById ? ((await db().user.findUnique({ where: { id: stored.updatedById }, select: { email: true } }))?.email ?? null) : null;
  const envKey = process.env.OPENAI_API_KEY || null;
  const key = envKey ?? stored?.apiKey ?? null;
  const openai: ProviderSettingView = {
    provider: 'openai',
    configured: Boolean(key),
    source: envKey ? 'env' : stored?.apiKey ? 'stored' : null,
    baseUrl: envKey ? process.env.OPENAI_BASE_URL || OPENAI_DEFAULT_BASE_URL : stored?.apiKey ? stored.baseUrl || OPENAI_DEFAULT_BASE_URL : null,
    keyMasked: key ? maskSecret(key) : null,
    storedOverriddenByEnv: Boolean(envKey && (stored?.apiKey || stored?.unreadable)),
    storedKeyMasked: stored?.apiKey ? maskSecret(stored.apiKey) : null,
    storedBaseUrl: stored?.baseUrl ?? null,
    storedUnreadable: stored?.unreadable ?? false,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy,
  };
  return [local, openai];
}

function readKeyFile(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

const saveSchema = z
  .object({
    provider: z.literal('openai', { error: 'only the openai provider has stored settings; the local trainer is set through TRAINER_URL / TRAINER_API_KEY' }),
    // A string sets the key, null removes the stored key, absent keeps it.
    apiKey: z
      .string({ error: 'the API key must be text' })
      .trim()
      .min(8, 'the API key is too short')
      .max(1000, 'the API key is too long')
      .regex(/^\S+$/, 'the API key cannot contain spaces')
      .nullable()
      .optional(),
    // A URL sets it, null or "" goes back to https://api.openai.com/v1, absent keeps it.
    baseUrl: z
      .union([
        z.literal('').transform(() => null),
        z
          .string()
          .trim()
          .max(500, 'the base URL is too long')
          .refine(
            (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
            'the base URL must be an http(s) URL, e.g. https://my-resource.openai.azure.com/openai/v1',
          ),
      ])
      .nullable()
      .optional(),
  })
  .strict();

/** Admin only. Stores (sealed) or removes the OpenAI key and base URL; returns the new view. */
export async function saveProviderSettings(actor: Actor, input: unknown): Promise<ProviderSettingView[]> {
  assertRole(actor, 'admin');
  const parsed = saveSchema.safeParse(input);
  if (!parsed.success) throw FineTuneInputError.fromZod(parsed.error);
  const { apiKey, baseUrl } = parsed.data;
  const data: { apiKeyEncrypted?: string | null; baseUrl?: string | null; updatedById: string } = { updatedById: actor.id };
  if (apiKey !== undefined) data.apiKeyEncrypted = apiKey === null ? null : sealSecret(apiKey, 'provider:openai');
  if (baseUrl !== undefined) data.baseUrl = baseUrl ? baseUrl.replace(/\/+$/, '') : null;
  await db().providerSetting.upsert({ where: { provider: 'openai' }, create: { provider: 'openai', ...data }, update: data });
  return getProviderSettingsView(actor);
}
