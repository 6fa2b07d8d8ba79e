'use server';

import { revalidatePath } from 'next/cache';
import { requireActor } from '@/lib/auth/session';
import { AuthError } from '@/lib/auth/errors';
import { saveProviderSettings } from '@/lib/finetunes/provider-settings';
import { FineTuneInputError } from '@/lib/finetunes/errors';

export interface ProviderFormState {
  message: string | null;
  error: string | null;
}

export async function saveOpenAiSettingsAction(_prev: ProviderFormState, form: FormData): Promise<ProviderFormState> {
  try {
    const actor = await requireActor();
    const apiKey = String(form.get('apiKey') ?? '').trim();
    const baseUrl = String(form.get('baseUrl') ?? '').trim();
    const remove = form.get('remove') === 'on';
    await saveProviderSettings(actor, {
      apiKey: remove ? null : apiKey || undefined,
      baseUrl: baseUrl || null,
    });
    revalidatePath('/admin/providers');
    return { message: remove ? 'Stored key removed.' : 'Saved. The key is stored encrypted and never shown again.', error: null };
  } catch (e) {
    if (e instanceof AuthError) return { message: null, error: e.message };
    if (e instanceof FineTuneInputError) return { message: null, error: e.issues.map((i) => `${i.field}: ${i.message}`).join('; ') };
    console.error('saveOpenAiSettingsAction failed', e);
    return { message: null, error: 'Could not save the settings.' };
  }
}
