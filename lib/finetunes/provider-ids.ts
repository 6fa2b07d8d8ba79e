// The trainers the Studio can launch fine-tunes on. The local trainer, OpenAI and Azure OpenAI
// speak OpenAI's fine-tuning API (Azure adds a deployment step before a model serves); Together
// AI has its own /fine-tunes API. Adapters live in providers/ (one file per protocol).
import { z } from 'zod';

export const PROVIDER_IDS = ['local', 'openai', 'azure', 'together'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const providerIdSchema = z.enum(PROVIDER_IDS, { error: `provider must be one of ${PROVIDER_IDS.join(', ')}` });

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  local: 'Local trainer',
  openai: 'OpenAI',
  azure: 'Azure OpenAI',
  together: 'Together AI',
};

/** Providers an admin can configure in the Studio (the local trainer is set by TRAINER_URL / TRAINER_API_KEY). */
export const STORED_PROVIDER_IDS = ['openai', 'azure', 'together'] as const;
export type StoredProviderId = (typeof STORED_PROVIDER_IDS)[number];
