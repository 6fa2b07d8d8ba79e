// The trainers the Studio can launch fine-tunes on. Both speak OpenAI's fine-tuning API; they
// differ only in where the base URL and the key come from (providers.ts).
import { z } from 'zod';

export const PROVIDER_IDS = ['local', 'openai'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const providerIdSchema = z.enum(PROVIDER_IDS, { error: `provider must be one of ${PROVIDER_IDS.join(', ')}` });

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  local: 'Local trainer',
  openai: 'OpenAI',
};
