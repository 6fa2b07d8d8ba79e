'use client';

import { useActionState } from 'react';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { describedBy, FieldError, FormOutcome, inputClass } from '@/components/ui/form-errors';
import { SecretField } from '@/components/ui/secret-field';
import { removeProviderKeyAction, saveProviderKeyAction } from './actions';

/** Store, replace (a new key over the old) or remove a provider's key (OpenAI, Together AI); the key is never shown back. */
export function KeyForm({
  provider,
  name,
  baseUrl,
  defaultBaseUrl,
  baseUrlHint,
  storedKeyMasked,
  envVar,
}: {
  provider: 'openai' | 'together';
  name: string;
  baseUrl: string | null;
  defaultBaseUrl: string;
  baseUrlHint: string;
  storedKeyMasked: string | null;
  envVar: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveProviderKeyAction, initialFormState());
  const e = state.fieldErrors;
  return (
    <div className="space-y-4">
      <p className="text-sm" data-testid="stored-key">
        {storedKeyMasked ? (
          <>
            Stored key: <code className="font-mono">{storedKeyMasked}</code>
          </>
        ) : (
          'No key is stored.'
        )}
      </p>
      <form key={state.attempt} action={action} className="space-y-3" noValidate>
        <input type="hidden" name="provider" value={provider} />
        <SecretField
          id={`${provider}-key`}
          name="apiKey"
          label="API key"
          newLabel="New API key"
          stored={Boolean(storedKeyMasked)}
          keepHint="leave empty to keep the stored key"
          placeholder={provider === 'openai' ? 'sk-…' : ''}
          errors={e}
        />
        <div className="text-sm">
          <label htmlFor={`${provider}-base`}>Base URL ({baseUrlHint})</label>
          <input
            id={`${provider}-base`}
            name="baseUrl"
            defaultValue={state.values?.baseUrl ?? baseUrl ?? ''}
            placeholder={defaultBaseUrl}
            className={inputClass}
            {...describedBy(e, 'baseUrl')}
          />
          <FieldError field="baseUrl" errors={e} />
        </div>
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          Save
        </button>
        <FormOutcome ok={state.ok} message={state.message} formError={formError(state)} />
      </form>
      {storedKeyMasked && (
        <div className="flex items-center gap-2 border-t border-slate-100 pt-3">
          <ConfirmAction
            action={removeProviderKeyAction}
            trigger="Remove the stored key…"
            title={`Remove the stored ${name} key?`}
            confirm="Remove key"
            hidden={{ provider }}
            danger
          >
            <p>
              Fine-tunes and evaluations on {name} stop working until a key is stored again (or {envVar} is set).
            </p>
          </ConfirmAction>
        </div>
      )}
    </div>
  );
}
