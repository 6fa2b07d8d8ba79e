'use client';

import { useActionState } from 'react';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { describedBy, FieldError, FormOutcome, inputClass } from '@/components/ui/form-errors';
import { SecretField } from '@/components/ui/secret-field';
import { removeProviderKeyAction, saveAzureSettingsAction } from './actions';

const FIELDS: { name: string; label: string; placeholder: string; group: 'data' | 'arm' }[] = [
  { name: 'endpoint', label: 'Endpoint', placeholder: 'https://my-resource.openai.azure.com', group: 'data' },
  { name: 'apiVersion', label: 'API version', placeholder: '2024-10-21', group: 'data' },
  { name: 'subscriptionId', label: 'Subscription id', placeholder: '00000000-0000-0000-0000-000000000000', group: 'arm' },
  { name: 'resourceGroup', label: 'Resource group', placeholder: 'my-rg', group: 'arm' },
  { name: 'account', label: 'Account (resource) name', placeholder: 'from the endpoint when empty', group: 'arm' },
  { name: 'tenantId', label: 'Tenant id', placeholder: 'the service principal’s tenant', group: 'arm' },
  { name: 'clientId', label: 'Client id', placeholder: 'the service principal’s application id', group: 'arm' },
  { name: 'deploymentSku', label: 'Deployment SKU', placeholder: 'standard', group: 'arm' },
  { name: 'deploymentCapacity', label: 'Deployment capacity', placeholder: '1', group: 'arm' },
];

/** Azure OpenAI: the data-plane endpoint and key (training), and the ARM access the deployment step needs. */
export function AzureForm({
  stored,
  storedKeyMasked,
  storedSecretMasked,
}: {
  stored: Record<string, string | number | null>;
  storedKeyMasked: string | null;
  storedSecretMasked: string | null;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveAzureSettingsAction, initialFormState());
  const e = state.fieldErrors;
  const field = (f: (typeof FIELDS)[number]) => (
    <div key={f.name} className="text-sm">
      <label htmlFor={`azure-${f.name}`}>{f.label}</label>
      <input
        id={`azure-${f.name}`}
        name={f.name}
        defaultValue={state.values?.[f.name] ?? (stored[f.name] == null ? '' : String(stored[f.name]))}
        placeholder={f.placeholder}
        className={inputClass}
        {...describedBy(e, f.name)}
      />
      <FieldError field={f.name} errors={e} />
    </div>
  );
  return (
    <div className="space-y-4">
      <p className="text-sm" data-testid="azure-stored-key">
        {storedKeyMasked ? (
          <>
            Stored key: <code className="font-mono">{storedKeyMasked}</code>
          </>
        ) : (
          'No key is stored.'
        )}
        {storedSecretMasked ? (
          <>
            {' '}
            · client secret <code className="font-mono">{storedSecretMasked}</code>
          </>
        ) : null}
      </p>
      <form key={state.attempt} action={action} className="space-y-4" noValidate>
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-1 text-sm font-medium">Training (data plane)</legend>
          {FIELDS.filter((f) => f.group === 'data').map(field)}
          <SecretField
            id="azure-apiKey"
            name="apiKey"
            label="API key"
            newLabel="New API key"
            stored={Boolean(storedKeyMasked)}
            keepHint="leave empty to keep the stored key"
            errors={e}
            className="text-sm sm:col-span-2"
          />
        </fieldset>
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-1 text-sm font-medium">Deployment (Azure Resource Manager, management.azure.com)</legend>
          <p className="text-xs text-slate-600 sm:col-span-2">
            A fine-tuned model serves only once deployed, and deployments are created through ARM with a Microsoft Entra token: give a service principal with
            the Cognitive Services OpenAI Contributor role on the resource.
          </p>
          {FIELDS.filter((f) => f.group === 'arm').map(field)}
          <SecretField
            id="azure-clientSecret"
            name="clientSecret"
            label="Client secret"
            newLabel="New client secret"
            stored={Boolean(storedSecretMasked)}
            keepHint="leave empty to keep the stored secret"
            errors={e}
          />
        </fieldset>
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          Save Azure settings
        </button>
        <FormOutcome ok={state.ok} message={state.message} formError={formError(state)} />
      </form>
      {(storedKeyMasked || storedSecretMasked) && (
        <div className="flex items-center gap-2 border-t border-slate-100 pt-3">
          <ConfirmAction
            action={removeProviderKeyAction}
            trigger="Remove the stored key and secret…"
            title="Remove the stored Azure OpenAI key and client secret?"
            confirm="Remove"
            hidden={{ provider: 'azure' }}
            danger
          >
            <p>Fine-tunes on Azure OpenAI stop working until they are stored again (or AZURE_OPENAI_API_KEY and AZURE_CLIENT_SECRET are set).</p>
          </ConfirmAction>
        </div>
      )}
    </div>
  );
}
