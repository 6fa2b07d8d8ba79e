'use client';

import { useActionState } from 'react';
import { describedBy, FieldError, FormErrorSummary, inputClass } from '@/components/ui/form-errors';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { startEvalAction } from '../actions';

export function StartEvalForm({
  versions,
  models,
  initial,
}: {
  versions: { id: number; label: string }[];
  models: { id: string; provider: string }[];
  initial: { datasetVersionId?: number; model?: string; provider?: string };
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(startEvalAction, initialFormState());
  const v = state.values ?? {};
  const e = state.fieldErrors;
  const described = (field: string) => describedBy(e, field);
  return (
    <form key={state.attempt} action={action} className="space-y-4" noValidate>
      <FormErrorSummary formError={formError(state)} errors={e} nothing="Nothing was started." />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="text-sm">
          <label htmlFor="ev-version">Dataset version</label>
          <select
            id="ev-version"
            name="datasetVersionId"
            defaultValue={v.datasetVersionId ?? initial.datasetVersionId ?? versions[0]?.id}
            className={inputClass}
            {...described('datasetVersionId')}
          >
            {versions.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          <FieldError field="datasetVersionId" errors={e} />
        </div>
        <div className="text-sm">
          <label htmlFor="ev-split">Split</label>
          <select id="ev-split" name="split" defaultValue={v.split ?? 'test'} className={inputClass} {...described('split')}>
            <option value="test">test</option>
            <option value="validation">validation</option>
            <option value="train">train</option>
          </select>
          <FieldError field="split" errors={e} />
        </div>
        <div className="text-sm">
          <label htmlFor="ev-provider">Provider</label>
          <select id="ev-provider" name="provider" defaultValue={v.provider ?? initial.provider ?? 'local'} className={inputClass} {...described('provider')}>
            <option value="local">Local trainer</option>
            <option value="openai">OpenAI or compatible</option>
          </select>
          <FieldError field="provider" errors={e} />
        </div>
        <div className="text-sm">
          <label htmlFor="ev-model">Model</label>
          <input
            id="ev-model"
            name="model"
            list="ev-models"
            defaultValue={v.model ?? initial.model ?? 'local-base'}
            className={inputClass}
            {...described('model')}
          />
          <datalist id="ev-models">
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id === 'local-base' ? 'keyword rule (a regex, not a model) · local' : m.provider}
              </option>
            ))}
          </datalist>
          <FieldError field="model" errors={e} />
        </div>
        <div className="text-sm">
          <label htmlFor="ev-concurrency">Concurrency (parallel requests)</label>
          <input
            id="ev-concurrency"
            name="concurrency"
            defaultValue={v.concurrency ?? ''}
            placeholder="8"
            inputMode="numeric"
            className={inputClass}
            {...described('concurrency')}
          />
          <FieldError field="concurrency" errors={e} />
        </div>
      </div>
      <p className="text-xs text-slate-500">
        One chat completion per example at temperature 0 with the version&apos;s advisor instructions; answers that are not exactly one label count as invalid.
      </p>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {pending ? 'Starting…' : 'Start evaluation'}
      </button>
    </form>
  );
}
