// Run states. `pending` is ours (recorded, not yet on the provider); validating_files, queued,
// running, succeeded, failed and cancelled are OpenAI's words, which every adapter maps its
// provider's statuses to (providers/); `deploying` is a trained model the provider is still
// deploying before it can serve (Azure OpenAI).
import type { FineTuneStatus } from '../generated/prisma/enums';

export type { FineTuneStatus };

export const TERMINAL_STATUSES: readonly FineTuneStatus[] = ['succeeded', 'failed', 'cancelled'];
export const ACTIVE_STATUSES: readonly FineTuneStatus[] = ['pending', 'validating_files', 'queued', 'running', 'deploying'];

export function isTerminal(status: FineTuneStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
