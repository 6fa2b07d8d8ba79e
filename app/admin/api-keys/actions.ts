'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { apiKeyInputSchema, createApiKey, revokeApiKey } from '@/lib/advisor/api-keys';
import { authedAction, authedFormAction } from '@/lib/boundary/server-action';

const admin = ['admin'] as const;

// Returns the key itself once, to the admin who made it; it is never stored or shown again.
export const createApiKeyAction = authedAction({ name: 'createApiKey', roles: admin, input: apiKeyInputSchema }, async (input, { actor }) => {
  const k = await createApiKey(actor, input);
  revalidatePath('/admin/api-keys');
  return { name: k.name, prefix: k.prefix, key: k.key };
});

export const revokeApiKeyAction = authedFormAction(
  { name: 'revokeApiKey', roles: admin, input: z.object({ id: z.coerce.number().int().positive() }) },
  async ({ id }, { actor }) => {
    await revokeApiKey(actor, id);
    revalidatePath('/admin/api-keys');
    return 'Revoked: requests with this key now get 401.';
  },
);
