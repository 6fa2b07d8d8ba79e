'use client';

import { useActionState } from 'react';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { LABEL_VALUES, type LabelValueName } from '@/lib/labeling/label-values';
import type { AdjudicateFormValues as Values } from '@/lib/agreement/adjudicate';
import { FieldError } from '@/components/ui/form-errors';

const TONE: Record<LabelValueName, string> = {
  END: 'peer-checked:bg-rose-600 peer-checked:text-white border-rose-300',
  CONTINUE: 'peer-checked:bg-sky-600 peer-checked:text-white border-sky-300',
  SCHEDULE: 'peer-checked:bg-emerald-600 peer-checked:text-white border-emerald-300',
};

/** Sets the final label of one queued turn. The action is passed in (components do not import app/). */
export function AdjudicateForm({
  messageId,
  current,
  action,
}: {
  messageId: number;
  current: { value: LabelValueName; note: string } | null;
  action: (prev: FormState<Values>, form: FormData) => Promise<FormState<Values>>;
}) {
  // After a success the form keeps showing what was sent (the action echoes values only on failure).
  const [state, submit, pending] = useActionState(async (prev: FormState<Values>, form: FormData) => {
    const r = await action(prev, form);
    return r.ok ? { ...r, values: { messageId: String(messageId), value: String(form.get('value') ?? ''), note: String(form.get('note') ?? '') } } : r;
  }, initialFormState<Values>());
  const v = state.values ?? { messageId: String(messageId), value: current?.value ?? '', note: current?.note ?? '' };
  const saved = state.ok === true || current !== null;
  const e = Object.fromEntries(Object.entries(state.fieldErrors).map(([k, m]) => [`${k}-${messageId}`, m]));
  const failed = formError(state);
  return (
    <form key={state.attempt} action={submit} className="space-y-2" noValidate aria-label={`Final label for turn ${messageId}`}>
      <input type="hidden" name="messageId" value={messageId} />
      <fieldset aria-describedby={e[`value-${messageId}`] ? `value-${messageId}-error` : undefined}>
        <legend className="sr-only">Final label</legend>
        <div className="flex gap-1">
          {LABEL_VALUES.map((l) => (
            <label key={l} className="cursor-pointer">
              <input type="radio" name="value" value={l} defaultChecked={v.value === l} className="peer sr-only" />
              <span
                className={`inline-block rounded border px-2 py-1 text-xs font-medium peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 ${TONE[l]}`}
              >
                {l}
              </span>
            </label>
          ))}
        </div>
        <FieldError field={`value-${messageId}`} errors={e} />
      </fieldset>
      <label className="block text-xs text-slate-600">
        Note (why)
        <input
          name="note"
          defaultValue={v.note}
          maxLength={1000}
          placeholder="e.g. candidate asked about pay: keep going"
          className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm"
          aria-invalid={e[`note-${messageId}`] ? true : undefined}
          aria-describedby={e[`note-${messageId}`] ? `note-${messageId}-error` : undefined}
        />
      </label>
      <FieldError field={`note-${messageId}`} errors={e} />
      {failed && (
        <p role="alert" className="text-xs text-red-700">
          {failed}
        </p>
      )}
      <div className="flex items-center gap-2">
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-indigo-600 px-3 py-1 text-xs font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? 'Saving…' : saved ? 'Change final label' : 'Set final label'}
        </button>
        {state.ok && state.message && (
          <span role="status" className="text-xs text-emerald-700">
            ✓ {state.message}
          </span>
        )}
      </div>
    </form>
  );
}
