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

/** Empty: not given (the provider's default); else a number, or the text for lib/ to name what is wrong. */
const optionalNumber = z
  .string()
  .optional()
  .transform((raw): number | string | undefined => {
    const t = (raw ?? '').trim();
    if (t === '') return undefined;
    return /^-?\d*\.?\d+(e-?\d+)?$/i.test(t) ? Number(t) : t;
  });

const launchFields = z.object({
  datasetVersionId: z.string().default('').transform(Number),
  provider: z.string().optional(),
  baseModel: z.string().default(''),
  nEpochs: autoOrNumber,
  batchSize: autoOrNumber,
  learningRateMultiplier: autoOrNumber.optional(),
  // Together AI's own (sent only for it).
  learningRate: z.string().optional(),
  lora: z.string().optional(),
  loraSent: z.string().optional(),
  loraR: optionalNumber,
  loraAlpha: optionalNumber,
  loraDropout: optionalNumber,
  warmupRatio: optionalNumber,
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

// The form shows Together AI's fields only for it; a checkbox sends nothing when off, hence loraSent.
const launchForm = launchFields.transform(({ learningRate, lora, loraSent, loraR, loraAlpha, loraDropout, warmupRatio, learningRateMultiplier, ...rest }) => {
  if (rest.provider !== 'together') return { ...rest, learningRateMultiplier: learningRateMultiplier ?? 'auto' };
  const lr = (learningRate ?? '').trim();
  return {
    ...rest,
    learningRate: lr === '' || lr === 'auto' ? 'auto' : /^\d*\.?\d+(e-?\d+)?$/i.test(lr) ? Number(lr) : lr,
    ...(loraSent ? { lora: lora === 'on' } : {}),
    ...(loraR !== undefined ? { loraR } : {}),
    ...(loraAlpha !== undefined ? { loraAlpha } : {}),
    ...(loraDropout !== undefined ? { loraDropout } : {}),
    ...(warmupRatio !== undefined ? { warmupRatio } : {}),
  };
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
