'use server';

import { z } from 'zod';
import { authedAction } from '@/lib/boundary/server-action';
import { idNumber } from '@/lib/boundary/params';
import { labelValueSchema } from '@/lib/labeling/label-values';
import { labelTurn } from '@/lib/labeling/label-turn';
import { nextConversationForReviewer } from '@/lib/conversations/get-conversation';
import { acceptSuggestion } from '@/lib/suggestions/accept';

export const labelTurnAction = authedAction(
  {
    name: 'labelTurn',
    input: z.object({ messageId: idNumber('messageId'), value: labelValueSchema.nullable(), source: z.enum(['ui', 'suggestion']).optional() }),
    failureMessage: 'Could not save the label; retrying.',
  },
  // An accepted suggestion is checked against the stored one and marked "suggestion" in history.
  (input, { actor }) => (input.source === 'suggestion' && input.value ? acceptSuggestion(actor, input) : labelTurn(actor, input)),
);

export const nextConversationAction = authedAction(
  { name: 'nextConversation', input: idNumber('the current conversation id').nullable() },
  (currentId, { actor }) => nextConversationForReviewer(actor, currentId),
);
