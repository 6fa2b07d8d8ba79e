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
import { setTurnFlag, setTurnSkipped } from '@/lib/labeling/turn-actions';
import { turnFlagReasonSchema } from '@/lib/labeling/turn-actions-flag-reasons';
import { addTurnComment, deleteTurnComment } from '@/lib/labeling/comments';
import { undoLastChange } from '@/lib/labeling/undo';
import { turnHistory } from '@/lib/labeling/history';

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

// Skip, flag, comment, undo and history (lib/labeling): the role checks and rules live there.
export const setTurnSkippedAction = authedAction(
  { name: 'setTurnSkipped', input: z.object({ messageId: idNumber('messageId'), skipped: z.boolean() }), failureMessage: 'Could not save the skip.' },
  (input, { actor }) => setTurnSkipped(actor, input),
);

export const setTurnFlagAction = authedAction(
  {
    name: 'setTurnFlag',
    input: z.object({ messageId: idNumber('messageId'), reason: turnFlagReasonSchema.nullable() }),
    failureMessage: 'Could not save the flag.',
  },
  (input, { actor }) => setTurnFlag(actor, input),
);

export const addTurnCommentAction = authedAction(
  // The body's rules (empty, too long) are checked in lib/ so every caller gets the same message.
  { name: 'addTurnComment', input: z.object({ messageId: idNumber('messageId'), body: z.string() }), failureMessage: 'Could not post the comment.' },
  (input, { actor }) => addTurnComment(actor, input),
);

export const deleteTurnCommentAction = authedAction(
  { name: 'deleteTurnComment', input: idNumber('commentId'), failureMessage: 'Could not delete the comment.' },
  (commentId, { actor }) => deleteTurnComment(actor, { commentId }),
);

export const undoLastChangeAction = authedAction(
  { name: 'undoLastChange', input: idNumber('conversationId'), failureMessage: 'Could not undo.' },
  (conversationId, { actor }) => undoLastChange(actor, { conversationId }),
);

export const turnHistoryAction = authedAction(
  { name: 'turnHistory', input: z.object({ messageId: idNumber('messageId'), before: z.string().max(60).nullable() }) },
  (input, { actor }) => turnHistory(actor, input),
);
