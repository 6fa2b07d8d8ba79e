'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { authedFormAction } from '@/lib/boundary/server-action';
import { saveProviderSettings } from '@/lib/finetunes/provider-settings';

const admin = ['admin'] as const;
const keyed = z.enum(['openai', 'together'], { error: 'provider must be openai or together' });

// Empty key: keep the stored one (the base URL alone changes); a key stores or replaces it.
export const saveProviderKeyAction = authedFormAction(
  {
    name: 'saveProviderKey',
    roles: admin,
    input: z.object({ provider: keyed, apiKey: z.string().trim().default(''), baseUrl: z.string().trim().default('') }),
  },
  async ({ provider, apiKey, baseUrl }, { actor }) => {
    const views = await saveProviderSettings(actor, { provider, apiKey: apiKey || undefined, baseUrl: baseUrl || null });
    revalidatePath('/admin/providers');
    const stored = views.find((v) => v.provider === provider)?.storedKeyMasked;
    return apiKey ? `Key ${stored ?? ''} stored encrypted; it is never shown again.` : 'Saved.';
  },
);

export const removeProviderKeyAction = authedFormAction(
  { name: 'removeProviderKey', roles: admin, input: z.object({ provider: z.enum(['openai', 'together', 'azure']) }) },
  async ({ provider }, { actor }) => {
    await saveProviderSettings(actor, { provider, apiKey: null, ...(provider === 'azure' ? { clientSecret: null } : {}) });
    revalidatePath('/admin/providers');
    return provider === 'azure' ? 'Stored key and client secret removed.' : 'Stored key removed.';
  },
);

/** Empty secret fields keep what is stored; an empty text field removes that setting. */
const text = z.string().trim().default('');
export const saveAzureSettingsAction = authedFormAction(
  {
    name: 'saveAzureSettings',
    roles: admin,
    input: z.object({
      apiKey: text,
      clientSecret: text,
      endpoint: text,
      apiVersion: text,
      subscriptionId: text,
      resourceGroup: text,
      account: text,
      tenantId: text,
      clientId: text,
      deploymentSku: text,
      deploymentCapacity: z
        .string()
        .trim()
        .default('')
        .transform((s): number | string | null => (s === '' ? null : /^\d+$/.test(s) ? Number(s) : s)),
    }),
  },
  async ({ apiKey, clientSecret, deploymentCapacity, ...rest }, { actor }) => {
    const views = await saveProviderSettings(actor, {
      provider: 'azure',
      ...rest,
      deploymentCapacity,
      ...(apiKey ? { apiKey } : {}),
      ...(clientSecret ? { clientSecret } : {}),
    });
    revalidatePath('/admin/providers');
    const v = views.find((x) => x.provider === 'azure');
    return v?.configured ? 'Saved: Azure OpenAI can train and deploy.' : `Saved. ${v?.problem ?? ''}`;
  },
);
