// The one list of base models each provider can fine-tune on our chat-format data. OpenAI's
// /v1/models lists every model the key can use; only these snapshots accept supervised
// fine-tuning jobs (the reference, §1.1 and the pricing table). Azure names the same models
// with its own spelling (gpt-35-turbo) and lists them per resource with capabilities.fine_tune;
// Together AI's fine-tuning catalogue (docs.together.ai "Supported models") names open models
// by their Hugging Face repo. Edit here when that changes.
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
  azure: ['gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-nano-2025-04-14', 'gpt-4o-2024-08-06', 'gpt-4o-mini-2024-07-18', 'gpt-35-turbo-0125'],
  together: [
    'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
    'meta-llama/Meta-Llama-3.1-70B-Instruct-Reference',
    'meta-llama/Llama-3.2-3B-Instruct',
    'Qwen/Qwen3-8B',
    'Qwen/Qwen2.5-7B-Instruct',
    'mistralai/Mistral-7B-Instruct-v0.2',
  ],
};

export function isFineTunable(provider: ProviderId, model: string): boolean {
  return FINE_TUNABLE_MODELS[provider].includes(model);
}
