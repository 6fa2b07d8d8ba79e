// The one list of base models each provider can fine-tune on our chat-format data. OpenAI's
// /v1/models lists every model the key can use; only these snapshots accept supervised
// fine-tuning jobs (the reference, §1.1 and the pricing table). Edit here when that changes.
import type { ProviderId } from './provider-ids';

export const FINE_TUNABLE_MODELS: Record<ProviderId, readonly string[]> = {
  local: ['local-base'],
  openai: [
    'gpt-4.1-2025-04-14',
    'gpt-4.1-mini-2025-04-14',
    'gpt-4.1-nano-2025-04-14',
    'gpt-4o-2024-08-06',
    'gpt-4o-mini-2024-07-18',
    'gpt-3.5-turbo-0125',
    'gpt-3.5-turbo-1106',
    'gpt-3.5-turbo-0613',
  ],
};

export function isFineTunable(provider: ProviderId, model: string): boolean {
  return FINE_TUNABLE_MODELS[provider].includes(model);
}
