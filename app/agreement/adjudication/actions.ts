'use server';

import { z } from 'zod';
import { adjudicateTurn, type AdjudicateFormValues } from '@/lib/agreement/adjudicate';
import { authedFormAction } from '@/lib/boundary/server-action';

const text = z.string().default('');

export const adjudicateAction = authedFormAction<z.ZodType<AdjudicateFormValues>, AdjudicateFormValues>(
  {
    name: 'adjudicateTurn',
    roles: ['ml_lead', 'admin'],
    input: z.object({ messageId: text, value: text, note: text }) satisfies z.ZodType<AdjudicateFormValues>,
    // messageId is a hidden field: its problems go to the form's summary.
    fields: ['value', 'note'],
    failureMessage: 'Could not save the final label; nothing was changed. Try again.',
  },
  async (values, { actor }) => {
    const r = await adjudicateTurn(actor, values);
    // No revalidatePath: both pages render per request anyway, and refreshing this one would
    // drop the row (no longer open) before its confirmation could be read.
    return r.previous && r.previous !== r.value ? `Final label changed from ${r.previous} to ${r.value}.` : `Final label ${r.value} saved.`;
  },
);
