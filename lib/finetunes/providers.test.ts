// Providers and their credentials: the local trainer from TRAINER_URL / TRAINER_API_KEY or its
// key file, OpenAI from the environment or an admin-stored key (sealed at rest, shown masked,
// overridden by the environment), the fine-tunable model list, and clear connection errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../auth/errors';
import { db } from '../db';
import { resetWithUsers } from '../datasets/test-fixtures';
import { startLocalTrainer, type LocalTrainer } from '../local-trainer/server';
import { freePort } from '../testing/free-port';
import { FineTuneInputError, FineTuneProviderError } from './errors';
import { getProviderSettingsView, saveProviderSettings } from './provider-settings';
import { listFineTunableModels, listProviders, providerClient } from './providers';
import { maskSecret, openSecret, sealSecret } from './secret-box';
import { admin, mlLead, reviewer } from './test-fixtures';

const KEY = 'sk-local-trainer-key-wxyz';
const ENV = ['TRAINER_URL', 'TRAINER_API_KEY', 'TRAINER_DATA_DIR', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'] as const;
let trainer: LocalTrainer;
let dataDir: string;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET ??= 'finetune-tests-secret-0123456789abcdef';
  for (const k of ENV) saved[k] = process.env[k];
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'finetune-providers-'));
  // No apiKey option: the trainer writes its key file, as `npm run trainer` does.
  trainer = await startLocalTrainer({ port: 0, dataDir });
  await resetWithUsers();
});
afterEach(() => {
  for (const k of ENV) delete process.env[k];
  process.env.TRAINER_URL = trainer.url;
  process.env.TRAINER_DATA_DIR = dataDir;
});
afterAll(async () => {
  await trainer.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe('secret box', () => {
  it('round-trips, binds the context, detects tampering and masks to a short prefix', () => {
    const sealed = sealSecret(KEY, 'provider:openai');
    expect(sealed).not.toContain(KEY);
    expect(sealSecret(KEY, 'provider:openai')).not.toBe(sealed);
    expect(openSecret(sealed, 'provider:openai')).toBe(KEY);
    expect(() => openSecret(sealed, 'provider:other')).toThrow();
    const [v, iv, tag, ct] = sealed.split('.');
    const flipped = ct.slice(0, -2) + (ct.at(-2) === 'A' ? 'B' : 'A') + ct.at(-1);
    expect(() => openSecret([v, iv, tag, flipped].join('.'), 'provider:openai')).toThrow();
    expect(maskSecret(KEY)).toBe('sk-lo…');
    expect(maskSecret('sk-proj-0123456789abcdefghijklmnop')).toBe('sk-pro…');
    expect(maskSecret('short')).toBe('…');
  });
});

describe('the local trainer', () => {
  it('is reached with the key from its key file (or TRAINER_API_KEY) and lists local-base as fine-tunable', async () => {
    process.env.TRAINER_URL = trainer.url;
    process.env.TRAINER_DATA_DIR = dataDir;
    expect(await listFineTunableModels(mlLead, 'local')).toEqual([expect.objectContaining({ id: 'local-base' })]);
    const handle = await providerClient('local');
    expect(handle.baseURL).toBe(`${trainer.url}/v1`);
    expect(handle.client.apiKey).toBe(trainer.apiKey);
    process.env.TRAINER_URL = `${trainer.url}/v1/`;
    expect((await providerClient('local')).baseURL).toBe(`${trainer.url}/v1`);
    process.env.TRAINER_API_KEY = 'from-env';
    expect((await providerClient('local')).client.apiKey).toBe('from-env');
    await expect(listFineTunableModels(reviewer, 'local')).rejects.toBeInstanceOf(AuthError);
  });

  it('explains an unreachable trainer and a missing key file', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    process.env.TRAINER_URL = closed;
    const e = await listFineTunableModels(mlLead, 'local').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FineTuneProviderError);
    expect((e as Error).message).toBe(
      `The local trainer at ${closed}/v1 is not reachable (ECONNREFUSED). Start it with npm run trainer (npm start runs it too).`,
    );
    process.env.TRAINER_DATA_DIR = path.join(dataDir, 'nowhere');
    const missing = await providerClient('local').catch((x: unknown) => x);
    expect(missing).toMatchObject({ transient: true, message: expect.stringMatching(/no API key yet/) });
  });
});

describe('OpenAI settings', () => {
  it('admins store a key sealed and see it masked; the environment wins; others may not look', async () => {
    expect((await listProviders()).find((p) => p.id === 'openai')).toMatchObject({
      configured: false,
      problem: expect.stringMatching(/OpenAI is not configured/),
    });
    await expect(getProviderSettingsView(mlLead)).rejects.toBeInstanceOf(AuthError);
    await expect(saveProviderSettings(mlLead, { provider: 'openai', apiKey: KEY })).rejects.toBeInstanceOf(AuthError);

    // An "OpenAI-compatible server" that happens to be our trainer: the stored base URL is used.
    const view = await saveProviderSettings(admin, { provider: 'openai', apiKey: trainer.apiKey, baseUrl: `${trainer.url}/v1/` });
    const openai = view.find((v) => v.provider === 'openai')!;
    expect(openai).toMatchObject({ configured: true, source: 'stored', baseUrl: `${trainer.url}/v1`, storedOverriddenByEnv: false, updatedBy: admin.email });
    expect(openai.keyMasked).toMatch(/^.{1,7}…$/);
    expect(trainer.apiKey.startsWith(openai.keyMasked!.slice(0, -1))).toBe(true);
    expect(openai.keyMasked).not.toContain(trainer.apiKey.slice(-4));
    expect(JSON.stringify(view)).not.toContain(trainer.apiKey);
    const row = await db().providerSetting.findUniqueOrThrow({ where: { provider: 'openai' } });
    expect(row.apiKeyEncrypted).not.toContain(trainer.apiKey);
    expect(openSecret(row.apiKeyEncrypted!, 'provider:openai')).toBe(trainer.apiKey);
    expect(await listFineTunableModels(mlLead, 'openai')).toEqual([]); // the trainer serves no OpenAI base model

    process.env.OPENAI_API_KEY = KEY;
    const envView = (await getProviderSettingsView(admin)).find((v) => v.provider === 'openai')!;
    expect(envView).toMatchObject({ source: 'env', baseUrl: 'https://api.openai.com/v1', keyMasked: 'sk-lo…', storedOverriddenByEnv: true });
    const handle = await providerClient('openai');
    expect(handle.baseURL).toBe('https://api.openai.com/v1');
    expect(handle.client.apiKey).toBe(KEY);
    process.env.OPENAI_BASE_URL = `${trainer.url}/v1`;
    // The env key is not the trainer's: a 401 from "OpenAI", named so.
    await expect(listFineTunableModels(mlLead, 'openai')).rejects.toThrow(/^OpenAI: 401 /);

    const bad = await saveProviderSettings(admin, { provider: 'openai', apiKey: 'has spaces in it', baseUrl: 'ftp://x' }).catch((x: unknown) => x);
    expect(bad).toBeInstanceOf(FineTuneInputError);
    expect((bad as FineTuneInputError).issues.map((i) => i.field).sort()).toEqual(['apiKey', 'baseUrl']);

    delete process.env.OPENAI_API_KEY;
    const cleared = await saveProviderSettings(admin, { provider: 'openai', apiKey: null, baseUrl: '' });
    expect(cleared.find((v) => v.provider === 'openai')).toMatchObject({ configured: false, source: null, storedKeyMasked: null, storedBaseUrl: null });
  });
});
