'use client';

import { useActionState } from 'react';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { describedBy, FieldError, FormErrorSummary, FormOutcome, inputClass } from '@/components/ui/form-errors';
import { saveLabelingSettingsAction } from './actions';

export function LabelingSettingsForm({ reviewersPerTurn, blind, max }: { reviewersPerTurn: number; blind: 'auto' | 'on' | 'off'; max: number }) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveLabelingSettingsAction, initialFormState());
  const e = state.fieldErrors;
  const v = state.values ?? {};
  return (
    <form key={state.attempt} action={action} className="space-y-4" noValidate>
      <FormErrorSummary formError={formError(state)} errors={e} nothing="Nothing was saved." />
      <div className="text-sm">
        <label htmlFor="reviewersPerTurn" className="font-medium">
          Reviewers per turn
        </label>
        <input
          id="reviewersPerTurn"
          name="reviewersPerTurn"
          type="number"
          min={1}
          max={max}
          defaultValue={v.reviewersPerTurn ?? String(reviewersPerTurn)}
          className={`${inputClass} max-w-32`}
          {...describedBy(e, 'reviewersPerTurn')}
        />
        <FieldError field="reviewersPerTurn" errors={e} />
        <p className="mt-1 text-xs text-slate-500">
          How many people label every decision turn. The work queue hands a conversation to at most this many reviewers at once, and takes it out of the queue
          once every turn has this many labels. 1 spreads the team over the most conversations; 2 or 3 measure agreement (κ) and feed the majority and agree:K
          dataset policies.
        </p>
      </div>
      <fieldset className="text-sm">
        <legend className="font-medium">Blind labeling</legend>
        {(
          [
            ['auto', 'On when more than one reviewer labels each turn (default)'],
            ['on', 'Always on'],
            ['off', 'Off: reviewers see others’ labels before labeling'],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="mt-1 flex items-center gap-2">
            <input type="radio" name="blind" value={value} defaultChecked={(v.blind ?? blind) === value} />
            {text}
          </label>
        ))}
        <FieldError field="blind" errors={e} />
        <p className="mt-1 text-xs text-slate-500">
          While on, a reviewer sees other people&apos;s labels on a turn (imported ones too) only after giving their own, so nobody is anchored by a label they
          saw first. ML leads and admins always see every label.
        </p>
      </fieldset>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {pending ? 'Saving…' : 'Save settings'}
      </button>
      <FormOutcome ok={state.ok} message={state.message} />
    </form>
  );
}
