// Azure OpenAI's deployment step. A fine-tuned model on Azure serves only once deployed, and
// deployments are Azure Resource Manager resources, not data-plane ones: the API key cannot
// create them. So this talks to management.azure.com with fetch, in the documented REST shape
// ("Deployments - Create Or Update", Cognitive Services account management, api-version
// 2024-10-01):
//   PUT/GET {management}/subscriptions/{sub}/resourceGroups/{rg}/providers/
//           Microsoft.CognitiveServices/accounts/{account}/deployments/{name}?api-version=…
//   body { sku: { name: "standard", capacity: 1 }, properties: { model: { format: "OpenAI", name: <fine-tuned model>, version: "1" } } }
// and reads properties.provisioningState. The bearer token is a Microsoft Entra token for
// https://management.azure.com/.default, from a service principal (client-credentials grant
// at login.microsoftonline.com/{tenant}/oauth2/v2.0/token) or given as AZURE_MANAGEMENT_TOKEN.
import OpenAI from 'openai';
import { z } from 'zod';
import { requestTimeoutMs } from '../retry-settings';
import type { AzureManagementConfig } from './config';
import { parseProviderResponse } from './errors';
import { requestJson, type Fetch } from './http';
import type { DeploymentState, ModelDeployer, RequestRunner } from './adapter';

/** ARM's provisioning states for a deployment (the REST reference's DeploymentProvisioningState). */
const PROVISIONING_STATES = ['Accepted', 'Creating', 'Updating', 'Moving', 'Succeeded', 'Failed', 'Canceled', 'Deleting', 'Disabled'] as const;

export const armDeploymentSchema = z.looseObject({
  name: z.string().min(1),
  properties: z.looseObject({
    provisioningState: z.enum(PROVISIONING_STATES),
    model: z.looseObject({ name: z.string().optional() }).optional(),
  }),
});

const tokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

const tokens = new Map<string, { token: string; until: number }>();

/** A bearer token for ARM (cached per client until a minute before it expires). */
async function managementToken(m: AzureManagementConfig, fetchImpl: Fetch): Promise<string> {
  if (m.auth.kind === 'token') return m.auth.token;
  const key = `${m.auth.authorityHost}|${m.auth.tenantId}|${m.auth.clientId}`;
  const hit = tokens.get(key);
  if (hit && hit.until > Date.now()) return hit.token;
  const raw = await requestJson(fetchImpl, {
    method: 'POST',
    url: `${m.auth.authorityHost}/${encodeURIComponent(m.auth.tenantId)}/oauth2/v2.0/token`,
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: m.auth.clientId,
      client_secret: m.auth.clientSecret,
      scope: `${m.managementUrl}/.default`,
    }),
    timeoutMs: requestTimeoutMs(),
  });
  const t = parseProviderResponse(tokenSchema, raw, { name: 'Microsoft Entra ID' }, 'token response');
  tokens.set(key, { token: t.access_token, until: Date.now() + Math.max(0, t.expires_in - 60) * 1000 });
  return t.access_token;
}

function stateOf(d: z.infer<typeof armDeploymentSchema>): DeploymentState {
  const raw = d.properties.provisioningState;
  if (raw === 'Succeeded') return { state: 'succeeded', raw, message: null };
  if (['Failed', 'Canceled', 'Deleting', 'Disabled'].includes(raw)) {
    return { state: 'failed', raw, message: `the deployment ${d.name} is ${raw.toLowerCase()}` };
  }
  return { state: 'deploying', raw, message: null };
}

export function azureDeployer(m: AzureManagementConfig, opts: { name: string; fetch?: Fetch; secrets?: string[] }): ModelDeployer {
  const fetchImpl = opts.fetch ?? fetch;
  const who = { name: `${opts.name} (Azure Resource Manager)` };
  const url = (deployment: string) =>
    `${m.managementUrl}/subscriptions/${encodeURIComponent(m.subscriptionId)}/resourceGroups/${encodeURIComponent(m.resourceGroup)}/providers/Microsoft.CognitiveServices/accounts/${encodeURIComponent(m.account)}/deployments/${encodeURIComponent(deployment)}?api-version=${encodeURIComponent(m.armApiVersion)}`;

  return {
    deploymentNameFor(run) {
      // ARM deployment names: letters, digits, "-", "_", "."; stable per run so a retry finds it.
      return `studio-ft-${run.id}${run.suffix ? `-${run.suffix}` : ''}`.slice(0, 64);
    },

    async ensureDeployed(ctx: RequestRunner, deploymentName: string, model: string) {
      const headers = async () => ({ authorization: `Bearer ${await managementToken(m, fetchImpl)}` });
      // Not found (404) is an answer here, not a failure: the deployment is created below.
      const existing = await ctx.request(async () => {
        try {
          return await requestJson(fetchImpl, { url: url(deploymentName), headers: await headers(), timeoutMs: requestTimeoutMs() });
        } catch (e) {
          if (e instanceof OpenAI.NotFoundError) return null;
          throw e;
        }
      });
      if (existing) return stateOf(parseProviderResponse(armDeploymentSchema, existing, who, 'deployment'));
      // PUT is idempotent in ARM: a repeat (after a timeout) updates the same deployment.
      const created = await ctx.request(async () =>
        requestJson(fetchImpl, {
          method: 'PUT',
          url: url(deploymentName),
          headers: await headers(),
          json: { sku: { name: m.sku.name, capacity: m.sku.capacity }, properties: { model: { format: 'OpenAI', name: model, version: '1' } } },
          timeoutMs: requestTimeoutMs(),
        }),
      );
      return stateOf(parseProviderResponse(armDeploymentSchema, created, who, 'deployment'));
    },
  };
}
