'use server';

import { revalidatePath } from 'next/cache';
import { promoteInputSchema, promoteModel } from '@/lib/advisor/promotions';
import { authedAction } from '@/lib/boundary/server-action';

export const promoteModelAction = authedAction({ name: 'promoteModel', roles: ['ml_lead', 'admin'], input: promoteInputSchema }, async (input, { actor }) => {
  const p = await promoteModel(actor, input);
  revalidatePath('/models');
  revalidatePath('/advisor');
  return { promotionId: p.id, model: p.model, threshold: p.threshold };
});
