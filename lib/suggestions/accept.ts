// Accepting a suggestion: the reviewer's own label, written by the one label write path with
// history source "suggestion". Checked against what is stored, so history never says a label
// came from a suggestion that no model made.
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { labelTurn, LabelRuleError, type LabelTurnResult } from '../labeling/label-turn';
import { labelValueSchema } from '../labeling/label-values';

export const acceptSuggestionInput = z.object({ messageId: z.number().int().positive(), value: labelValueSchema });

export async function acceptSuggestion(actor: Actor, rawInput: unknown): Promise<LabelTurnResult> {
  const input = acceptSuggestionInput.parse(rawInput);
  // Any model's: the advisor may have changed since the page was opened, and what the reviewer saw is what they accept.
  const made = await db().turnSuggestion.findFirst({ where: { messageId: input.messageId, value: input.value }, select: { id: true } });
  if (!made) throw new LabelRuleError(`No model suggested ${input.value} for this turn; label it yourself instead.`);
  return labelTurn(actor, { messageId: input.messageId, value: input.value }, { source: 'suggestion' });
}
