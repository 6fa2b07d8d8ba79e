'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { rollbackToPromotion } from '@/lib/advisor/promotions';
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
