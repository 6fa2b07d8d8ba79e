'use server';

import { ZodError } from 'zod';
import { requireActor } from '@/lib/auth/session';
import { AuthError } from '@/lib/auth/errors';
import { labelTurn, LabelRuleError, type LabelTurnResult } from '@/lib/labeling/label-turn';
import { nextConversationForReviewer } from '@/lib/conversations/get-conversation';

export type LabelTurnResponse =
  | { ok: true; result: LabelTurnResult }
  // retryable: false means trying again cannot help (bad input, not allowed).
  | { ok: false; error: string; retryable: boolean };

export async function labelTurnAction(input: { messageId: number; value: string | null }): Promise<LabelTurnResponse> {
  try {
    const actor = await requireActor();
    return { ok: true, result: await labelTurn(actor, input) };
  } catch (e) {
    if (e instanceof AuthError) return { ok: false, error: e.message, retryable: false };
    if (e instanceof LabelRuleError) return { ok: false, error: e.message, retryable: false };
    if (e instanceof ZodError) return { ok: false, error: 'Invalid label request.', retryable: false };
    console.error('labelTurnAction failed', e);
    return { ok: false, error: 'Could not save the label; retrying.', retryable: true };
  }
}

export async function nextConversationAction(currentId: number): Promise<number | null> {
  const actor = await requireActor();
  return nextConversationForReviewer(actor, Number.isInteger(currentId) ? currentId : null);
}
