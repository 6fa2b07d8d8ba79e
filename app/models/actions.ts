'use server';

import { revalidatePath } from 'next/cache';
import { promoteInputSchema, promoteModel } from '@/lib/advisor/promotions';
import { playgroundInputSchema, tryDecision } from '@/lib/advisor/playground';
import { authedAction } from '@/lib/boundary/server-action';

export const promoteModelAction = authedAction({ name: 'promoteModel', roles: ['ml_lead', 'admin'], input: promoteInputSchema }, async (input, { actor }) => {
  const p = await promoteModel(actor, input);
  revalidatePath('/models');
  revalidatePath('/advisor');
  return { promotionId: p.id, model: p.model, threshold: p.threshold };
});

// The playground: one decision, through the decision API's own path, recording nothing.
export const tryDecisionAction = authedAction({ name: 'tryDecision', roles: ['ml_lead', 'admin'], input: playgroundInputSchema }, async (input, { actor }) =>
  tryDecision(actor, input),
);
