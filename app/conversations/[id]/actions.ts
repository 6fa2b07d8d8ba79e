'use server';

import { z } from 'zod';
import { authedAction } from '@/lib/boundary/server-action';
import { idNumber } from '@/lib/boundary/params';
import { labelValueSchema } from '@/lib/labeling/label-values';
import { labelTurn } from '@/lib/labeling/label-turn';
import { acceptSuggestion } from '@/lib/suggestions/accept';
import { claimInput, claimNextConversation } from '@/lib/labeling/queue';
import { otherLabelsOnTurn } from '@/lib/labeling/blind';
import { parseView } from '@/lib/conversations/list-params';

export const labelTurnAction = authedAction(
  {
    name: 'labelTurn',
    input: z.object({ messageId: idNumber('messageId'), value: labelValueSchema.nullable(), source: z.enum(['ui', 'suggestion']).optional() }),
    failureMessage: 'Could not save the label; retrying.',
  },
  // An accepted suggestion is checked against the stored one and marked "suggestion" in history.
  (input, { actor }) => (input.source === 'suggestion' && input.value ? acceptSuggestion(actor, input) : labelTurn(actor, input)),
);

// `view` is the list's query string (?view=…): the queue stays inside that search and filter.
export const nextConversationAction = authedAction(
  { name: 'nextConversation', input: claimInput.extend({ view: z.string().max(1000).default('') }) },
  ({ view, ...rest }, { actor }) => claimNextConversation(actor, parseView(view), rest),
);

export const otherLabelsAction = authedAction({ name: 'otherLabels', input: idNumber('messageId') }, (messageId, { actor }) =>
  otherLabelsOnTurn(actor, messageId),
);
