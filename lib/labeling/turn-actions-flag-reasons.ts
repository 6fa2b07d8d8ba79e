import { z } from 'zod';

// Why a reviewer flags a turn; the names are the enum TurnFlagReason in the schema.
export const TURN_FLAG_REASONS = {
  unclear: 'Unclear',
  needs_context: 'Needs context',
  bad_data: 'Bad data',
} as const;
export type TurnFlagReasonName = keyof typeof TURN_FLAG_REASONS;
export const turnFlagReasonSchema = z.enum(Object.keys(TURN_FLAG_REASONS) as [TurnFlagReasonName, ...TurnFlagReasonName[]], {
  error: `reason must be one of ${Object.keys(TURN_FLAG_REASONS).join(', ')}`,
});
