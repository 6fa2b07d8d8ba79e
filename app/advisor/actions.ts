'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { rollbackToPromotion } from '@/lib/advisor/promotions';
import { requestRetrain } from '@/lib/advisor/retrain';
import { attachShadow, detachShadow, promoteShadow } from '@/lib/advisor/shadow';
import { authedFormAction } from '@/lib/boundary/server-action';

export const rollbackAction = authedFormAction(
  {
    name: 'rollbackAdvisor',
    roles: ['ml_lead', 'admin'],
    input: z.object({ promotionId: z.coerce.number().int().positive(), note: z.string().trim().max(500).default('') }),
  },
  async ({ promotionId, note }, { actor }) => {
    const p = await rollbackToPromotion(actor, promotionId, note || undefined);
    revalidatePath('/advisor');
    revalidatePath('/models');
    return `Promotion #${p.id}: ${p.model} is the advisor again.`;
  },
);

// Empty form fields mean "not given" (the lib's defaults apply); lib/advisor validates the rest.
const blank = (v: string) => (v.trim() === '' ? undefined : v.trim());

export const attachShadowAction = authedFormAction(
  {
    name: 'attachShadow',
    roles: ['ml_lead', 'admin'],
    input: z.object({ model: z.string().default(''), provider: z.string().default(''), timeoutMs: z.string().default(''), note: z.string().default('') }),
  },
  async ({ model, provider, timeoutMs, note }, { actor }) => {
    const s = await attachShadow(actor, {
      model,
      provider: blank(provider) as 'local' | 'openai' | undefined,
      timeoutMs: blank(timeoutMs) as number | undefined,
      note: blank(note),
    });
    revalidatePath('/advisor');
    return `${s.model} is attached in shadow: every decision request now also asks it, after the answer is sent.`;
  },
);

export const detachShadowAction = authedFormAction({ name: 'detachShadow', roles: ['ml_lead', 'admin'], input: z.object({}) }, async (_input, { actor }) => {
  const s = await detachShadow(actor);
  revalidatePath('/advisor');
  return `${s.model} is no longer asked; its logged decisions stay.`;
});

export const promoteShadowAction = authedFormAction(
  {
    name: 'promoteShadow',
    roles: ['ml_lead', 'admin'],
    input: z.object({
      shadowId: z.coerce.number().int().positive(),
      threshold: z.coerce
        .number({ error: 'the threshold must be a number between 0 and 1' })
        .min(0, 'the threshold must be between 0 and 1')
        .max(1, 'the threshold must be between 0 and 1'),
      note: z.string().trim().max(500).default(''),
    }),
  },
  async ({ shadowId, threshold, note }, { actor }) => {
    const p = await promoteShadow(actor, { shadowId, threshold, note: note || undefined });
    revalidatePath('/advisor');
    revalidatePath('/models');
    return `Promotion #${p.id}: ${p.model} is the advisor, acting at ≥ ${p.threshold}.`;
  },
);

export const retrainAction = authedFormAction({ name: 'retrainAdvisor', roles: ['ml_lead', 'admin'], input: z.object({}) }, async (_input, { actor }) => {
  const r = await requestRetrain(actor);
  revalidatePath('/advisor');
  return `Retrain #${r.retrainId} started (${r.datasetName} v${r.version}).`;
});
