// The fine-tune adapter for a provider, built from its configuration. Every request a
// fine-tune step makes (SDK or fetch, data plane or Azure Resource Manager) holds one of the
// provider's global call slots (call-slots.ts).
import { providerIdSchema, type ProviderId } from '../provider-ids';
import type { FineTuneAdapter } from './adapter';
import { azureDeployer } from './azure-deployment';
import { cappedFetch } from './call-slots';
import { sdkClientFor, type ProviderHandle } from './client';
import { resolveProvider } from './config';
import { openAiProtocolAdapter } from './openai-protocol';
import { togetherAdapter } from './together';

export async function fineTuneAdapter(providerId: ProviderId | string): Promise<FineTuneAdapter> {
  const c = await resolveProvider(providerIdSchema.parse(providerId));
  const handle: ProviderHandle = { id: c.id, name: c.name, baseURL: c.baseURL, client: sdkClientFor(c, { capped: true }) };
  const capped = cappedFetch(c.id);
  switch (c.id) {
    case 'together':
      return togetherAdapter(c, handle, capped);
    case 'azure':
      return openAiProtocolAdapter(handle, 'azure', azureDeployer(c.management, { name: c.name, fetch: capped }));
    default:
      return openAiProtocolAdapter(handle, 'openai');
  }
}
