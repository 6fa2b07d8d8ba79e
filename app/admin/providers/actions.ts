'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { authedFormAction } from '@/lib/boundary/server-action';
import { saveProviderSettings } from '@/lib/finetunes/provider-settings';

const admin = ['admin'] as const;

// Empty key: keep the stored one (the base URL alone changes); a key stores or replaces it.
export const saveOpenAiSettingsAction = authedFormAction(
  { name: 'saveOpenAiSettings', roles: admin, input: z.object({ apiKey: z.string().trim().default(''), baseUrl: z.string().trim().default('') }) },
  async ({ apiKey, baseUrl }, { actor }) => {
    const views = await saveProviderSettings(actor, { provider: 'openai', apiKey: apiKey || undefined, baseUrl: baseUrl || null });
    revalidatePath('/admin/providers');
    const stored = views.find((v) => v.provider === 'openai')?.storedKeyMasked;
    return apiKey ? `Key ${stored ?? ''} stored encrypted; it is never shown again.` : 'Saved.';
  },
);

export const removeOpenAiKeyAction = authedFormAction({ name: 'removeOpenAiKey', roles: admin, input: z.object({}) }, async (_input, { actor }) => {
  await saveProviderSettings(actor, { provider: 'openai', apiKey: null });
  revalidatePath('/admin/providers');
  return 'Stored key removed.';
});
