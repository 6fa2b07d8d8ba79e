'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { requireActor } from '@/lib/auth/session';
import { AuthError } from '@/lib/auth/errors';
import { launchFineTune } from '@/lib/finetunes/launch-fine-tune';
import { cancelFineTune } from '@/lib/finetunes/cancel-fine-tune';
import { FineTuneInputError, FineTuneProviderError } from '@/lib/finetunes/errors';

export interface LaunchState {
  values: Record<string, string> | null;
  errors: Record<string, string>;
  formError: string | null;
  attempt: number;
}

/** "auto" stays "auto"; anything else must be a number (zod in lib/ says which range). */
function autoOrNumber(raw: string | undefined): 'auto' | number | string {
  const t = (raw ?? '').trim();
  if (t === '' || t === 'auto') return 'auto';
  return /^-?\d*\.?\d+$/.test(t) ? Number(t) : t;
}

export async function launchFineTuneAction(prev: LaunchState, form: FormData): Promise<LaunchState> {
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const fail = (errors: Record<string, string>, formError: string | null = null): LaunchState => ({ values, errors, formError, attempt: prev.attempt + 1 });
  let launched;
  try {
    const actor = await requireActor();
    const seed = values.seed?.trim();
    launched = await launchFineTune(actor, {
      datasetVersionId: Number(values.datasetVersionId),
      provider: values.provider,
      baseModel: values.baseModel ?? '',
      nEpochs: autoOrNumber(values.nEpochs),
      batchSize: autoOrNumber(values.batchSize),
      learningRateMultiplier: autoOrNumber(values.learningRateMultiplier),
      suffix: values.suffix?.trim() || undefined,
      seed: seed ? (/^-?\d+$/.test(seed) ? Number(seed) : seed) : undefined,
    });
  } catch (e) {
    if (e instanceof FineTuneInputError) return fail(Object.fromEntries(e.issues.map((i) => [i.field, i.message])));
    if (e instanceof AuthError) return fail({}, e.message);
    if (e instanceof FineTuneProviderError) return fail({}, e.message);
    console.error('launchFineTuneAction failed', e);
    return fail({}, 'Could not launch the fine-tune. Try again.');
  }
  redirect(`/fine-tunes/${launched.id}`);
}

export async function cancelFineTuneAction(id: number): Promise<{ ok: boolean; message: string }> {
  try {
    const actor = await requireActor();
    const r = await cancelFineTune(actor, id);
    revalidatePath(`/fine-tunes/${id}`);
    return { ok: true, message: r.note ?? (r.status === 'cancelled' ? 'Cancelled.' : 'Cancel requested.') };
  } catch (e) {
    if (e instanceof AuthError || e instanceof FineTuneInputError || e instanceof FineTuneProviderError) return { ok: false, message: e.message };
    console.error('cancelFineTuneAction failed', e);
    return { ok: false, message: 'Could not cancel; try again.' };
  }
}
