'use client';

import { useActionState } from 'react';
import { saveOpenAiSettingsAction, type ProviderFormState } from './actions';

export function OpenAiForm({ baseUrl }: { baseUrl: string | null }) {
  const [state, action, pending] = useActionState<ProviderFormState, FormData>(saveOpenAiSettingsAction, { message: null, error: null });
  return (
    <form action={action} className="space-y-3">
      <div className="text-sm">
        <label htmlFor="openai-key">API key</label>
        <input id="openai-key" name="apiKey" type="password" autoComplete="off" placeholder="sk-… (leave empty to keep the stored key)" className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
      </div>
      <div className="text-sm">
        <label htmlFor="openai-base">Base URL (optional: Azure OpenAI or any compatible server)</label>
        <input id="openai-base" name="baseUrl" defaultValue={baseUrl ?? ''} placeholder="https://api.openai.com/v1" className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="remove" /> Remove the stored key
      </label>
      <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
        Save
      </button>
      {state.message && <p className="text-sm text-emerald-700">{state.message}</p>}
      {state.error && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}
