'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { authedAction, authedFormAction } from '@/lib/boundary/server-action';
import { idNumber } from '@/lib/boundary/params';
import { launchFineTune } from '@/lib/finetunes/launch-fine-tune';
import { cancelFineTune } from '@/lib/finetunes/cancel-fine-tune';

/** "auto" stays "auto"; anything else must be a number (zod in lib/ says which range). */
const autoOrNumber = z
  .string()
  .default('')
  .transform((raw): 'auto' | number | string => {
    const t = raw.trim();
    if (t === '' || t === 'auto') return 'auto';
    return /^-?\d*\.?\d+$/.test(t) ? Number(t) : t;
  });

const launchForm = z.object({
  datasetVersionId: z.string().default('').transform(Number),
  provider: z.string().optional(),
  baseModel: z.string().default(''),
  nEpochs: autoOrNumber,
  batchSize: autoOrNumber,
  learningRateMultiplier: autoOrNumber,
  suffix: z
    .string()
    .trim()
    .optional()
    .transform((s) => s || undefined),
  seed: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? (/^-?\d+$/.test(s) ? Number(s) : s) : undefined)),
});

export const launchFineTuneAction = authedFormAction(
  { name: 'launchFineTune', roles: ['ml_lead', 'admin'], input: launchForm, failureMessage: 'Could not launch the fine-tune. Try again.' },
  async (input, { actor }) => {
    const launched = await launchFineTune(actor, input);
    redirect(`/fine-tunes/${launched.id}`);
  },
);

export const cancelFineTuneAction = authedAction({ name: 'cancelFineTune', input: idNumber('the fine-tune id') }, async (id, { actor }) => {
  const r = await cancelFineTune(actor, id);
  revalidatePath(`/fine-tunes/${id}`);
  return { message: r.note ?? (r.status === 'cancelled' ? 'Cancelled.' : 'Cancel requested.') };
});
