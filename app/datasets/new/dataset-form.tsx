'use client';

import { useActionState, useState } from 'react';
import type { DatasetFormValues } from '@/lib/datasets/form-values';
import { describedBy, FieldError, FormErrorSummary, inputClass } from '@/components/ui/form-errors';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { createDatasetAction } from './actions';

export function DatasetForm({ initial, nameLocked }: { initial: DatasetFormValues; nameLocked: boolean }) {
  const [state, action, pending] = useActionState<FormState<DatasetFormValues>, FormData>(createDatasetAction, initialFormState<DatasetFormValues>());
  const v = state.values ?? initial;
  const e = state.fieldErrors;
  const [policy, setPolicy] = useState(v.policy);
  const [contextMode, setContextMode] = useState(v.contextMode);
  const described = (field: string) => describedBy(e, field);

  return (
    // Keyed by attempt: React resets a form after its action, so remount with what was sent.
    <form key={state.attempt} action={action} className="space-y-6" noValidate>
      <FormErrorSummary formError={formError(state)} errors={e} nothing="Nothing was created." />
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <div className="text-sm">
          <label htmlFor="dataset-name">Name</label>
          <input
            id="dataset-name"
            name="name"
            defaultValue={v.name}
            readOnly={nameLocked}
            className={`${inputClass} ${nameLocked ? 'bg-slate-100' : ''}`}
            {...described('name')}
          />
          <p className="text-xs text-slate-500">{nameLocked ? 'A new version of this dataset.' : 'An existing name of yours adds a version.'}</p>
          <FieldError field="name" errors={e} />
        </div>
        <div className="text-sm">
          <label htmlFor="dataset-seed">Seed</label>
          <input id="dataset-seed" name="seed" defaultValue={v.seed} inputMode="numeric" className={inputClass} {...described('seed')} />
          <p className="text-xs text-slate-500">Fixes the split of new conversations; same labels + same parameters give identical files.</p>
          <FieldError field="seed" errors={e} />
        </div>
      </fieldset>

      <fieldset className="rounded-lg border border-slate-200 p-4" {...described('split')}>
        <legend className="px-1 text-sm font-medium">Splits (by conversation, stratified by label)</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          {(['train', 'validation', 'test'] as const).map((s) => (
            <label key={s} className="text-sm">
              {s[0].toUpperCase() + s.slice(1)}
              <input name={s} defaultValue={v[s]} inputMode="decimal" className={inputClass} />
            </label>
          ))}
        </div>
        <p className="mt-2 text-xs text-slate-500">
          Ratios must sum to 1. 0 / 0 / 1 makes an evaluation-only set. Conversations already placed by an earlier version keep their split.
        </p>
        <FieldError field="split" errors={e} />
      </fieldset>

      <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-2">
        <legend className="px-1 text-sm font-medium">Which label counts</legend>
        <label className="text-sm">
          Policy
          <select name="policy" value={policy} onChange={(ev) => setPolicy(ev.target.value)} className={inputClass} {...described('policy')}>
            <option value="latest">Latest label by anyone</option>
            <option value="majority">Majority (ties left out)</option>
            <option value="agree">At least k reviewers agree, nobody disagrees</option>
            <option value="adjudicated">Adjudicated label, else majority</option>
          </select>
        </label>
        <label className={`text-sm ${policy === 'agree' ? '' : 'opacity-50'}`}>
          k (reviewers)
          <input name="k" defaultValue={v.k} inputMode="numeric" disabled={policy !== 'agree'} className={inputClass} />
        </label>
        {policy === 'adjudicated' && (
          <p className="text-xs text-slate-500 sm:col-span-2">
            Where an ML lead set a final label in the adjudication queue (Agreement → Adjudication) that label counts; every other turn takes its majority, and
            ties are left out. The version page shows how many turns each source decided.
          </p>
        )}
        <div className="sm:col-span-2">
          <FieldError field="policy" errors={e} />
        </div>
      </fieldset>

      <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-2">
        <legend className="px-1 text-sm font-medium">Examples</legend>
        <label className="text-sm">
          Transcript before each turn
          <select name="contextMode" value={contextMode} onChange={(ev) => setContextMode(ev.target.value)} className={inputClass} {...described('context')}>
            <option value="all">All earlier messages</option>
            <option value="last">The last N messages</option>
          </select>
        </label>
        <label className={`text-sm ${contextMode === 'last' ? '' : 'opacity-50'}`}>
          N (messages)
          <input name="contextN" defaultValue={v.contextN} inputMode="numeric" disabled={contextMode !== 'last'} className={inputClass} />
        </label>
        <div className="sm:col-span-2">
          <FieldError field="context" errors={e} />
        </div>
        <label className="flex items-center gap-2 text-sm sm:col-span-2">
          <input type="checkbox" name="excludeTurnsWithoutCandidate" defaultChecked={v.excludeTurnsWithoutCandidate === 'on'} />
          Leave out turns with no candidate message before them (nudges to a silent candidate, the close after unanswered nudges). The opening message is never
          an example.
        </label>
        <div className="text-sm sm:col-span-2">
          <label htmlFor="dataset-search">Only conversations matching (optional)</label>
          <input
            id="dataset-search"
            name="search"
            defaultValue={v.search}
            placeholder="e.g. forklift"
            className={inputClass}
            {...described(e.search ? 'search' : 'selection')}
          />
          <FieldError field={e.search ? 'search' : 'selection'} errors={e} />
        </div>
      </fieldset>

      <div className="text-sm">
        <label htmlFor="dataset-instructions">Advisor instructions (the system message of every example)</label>
        <textarea
          id="dataset-instructions"
          name="instructions"
          defaultValue={v.instructions}
          rows={9}
          className={`${inputClass} font-mono text-xs`}
          {...described('instructions')}
        />
        <FieldError field="instructions" errors={e} />
      </div>

      <button
        type="submit"
        disabled={pending}
        className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {pending ? 'Creating…' : 'Create dataset version'}
      </button>
    </form>
  );
}
