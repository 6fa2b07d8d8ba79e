'use server';

import { z } from 'zod';
import { authedAction } from '@/lib/boundary/server-action';
import { claimNextConversation } from '@/lib/labeling/queue';
import { parseView } from '@/lib/conversations/list-params';

// "Start labeling" on the list: the first conversation of this view that still needs the reviewer.
export const startLabelingAction = authedAction({ name: 'startLabeling', input: z.object({ view: z.string().max(1000) }) }, ({ view }, { actor }) =>
  claimNextConversation(actor, parseView(view), { currentId: null }),
);
