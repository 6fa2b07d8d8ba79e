'use server';

import { z } from 'zod';
import { authedAction } from '@/lib/boundary/server-action';
import { idNumber } from '@/lib/boundary/params';
import { labelValueSchema } from '@/lib/labeling/label-values';
import { labelTurn } from '@/lib/labeling/label-turn';
import { nextConversationForReviewer } from '@/lib/conversations/get-conversation';

export const labelTurnAction = authedAction(
  {
    name: 'labelTurn',
    input: z.object({ messageId: idNumber('messageId'), value: labelValueSchema.nullable() }),
    failureMessage: 'Could not save the label; retrying.',
  },
  (input, { actor }) => labelTurn(actor, input),
);

export const nextConversationAction = authedAction(
  { name: 'nextConversation', input: idNumber('the current conversation id').nullable() },
  (currentId, { actor }) => nextConversationForReviewer(actor, currentId),
);
