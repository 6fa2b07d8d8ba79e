// Run states. `pending` is ours (recorded, not yet on the provider); the rest are OpenAI's.
import type { FineTuneStatus } from '../generated/prisma/enums';
import type { ProviderJob } from './provider-schemas';

export type { FineTuneStatus };

export const TERMINAL_STATUSES: readonly FineTuneStatus[] = ['succeeded', 'failed', 'cancelled'];
export const ACTIVE_STATUSES: readonly FineTuneStatus[] = ['pending', 'validating_files', 'queued', 'running'];

export function isTerminal(status: FineTuneStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** A provider status as ours. A paused OpenAI job is waiting, like a queued one. */
export function mapProviderStatus(status: ProviderJob['status']): FineTuneStatus {
  return status === 'paused' ? 'queued' : status;
}
