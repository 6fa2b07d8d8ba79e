// The provider boundary's front door (kept at this path so callers import one module). The
// trainers themselves live in providers/: configuration and credentials (config.ts), SDK
// clients (client.ts), fine-tune adapters per protocol (openai-protocol.ts, together.ts, with
// Azure's deployment step in azure-deployment.ts), the global call cap (call-slots.ts), and
// error description (errors.ts).
export { PROVIDER_IDS, PROVIDER_NAMES, type ProviderId } from './provider-ids';
export {
  OPENAI_DEFAULT_BASE_URL,
  TOGETHER_DEFAULT_BASE_URL,
  localTrainerBaseUrl,
  localTrainerKeyFile,
  storedOpenAiSetting,
  storedProviderSetting,
  type KeySource,
} from './providers/config';
export { providerClient, type ProviderHandle } from './providers/client';
export { describeProviderError, parseProviderResponse } from './providers/errors';
export { isProviderConfigured, listFineTunableModels, listProviders, type FineTunableModel, type ProviderSummary } from './providers/models';
export { fineTuneAdapter } from './providers/registry';
export type { FineTuneAdapter, ProviderJobState } from './providers/adapter';
