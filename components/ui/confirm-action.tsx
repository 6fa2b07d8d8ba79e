'use client';

// A button that asks first: it opens a modal dialog saying what will happen, and only the
// dialog's confirm button submits the form action (passed in by the page's feature). The
// dialog stays open with the reason when the action is refused, and closes when it succeeds.
import { useActionState, useEffect, useId, useRef, type ReactNode } from 'react';
import { initialFormState, type FormState } from '@/lib/boundary/action-state';

export type FormAction = (prev: FormState, form: FormData) => Promise<FormState>;

export function ConfirmAction({
  action,
  trigger,
  title,
  children,
  confirm,
  hidden,
  danger = false,
  disabled = false,
  triggerClassName,
}: {
  action: FormAction;
  /** The label of the button that opens the dialog. */
  trigger: string;
  title: string;
  /** What will happen, and any fields the action needs (e.g. a new password). */
  children: ReactNode;
  confirm: string;
  hidden: Record<string, string>;
  danger?: boolean;
  /** The trigger is greyed out (nothing to confirm yet). */
  disabled?: boolean;
  triggerClassName?: string;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, initialFormState());
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    if (state.ok) dialog.current?.close();
  }, [state]);

  return (
    <>
      <button
        type="button"
        disabled={disabled}
        onClick={() => dialog.current?.showModal()}
        className={triggerClassName ?? 'rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50'}
      >
        {trigger}
      </button>
      {state.ok && state.message && (
        <span role="status" className="text-xs text-emerald-700">
          {state.message}
        </span>
      )}
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        {/* Keyed by attempt: a refused submission remounts with fresh fields. */}
        <form key={state.attempt} action={formAction} className="space-y-3 p-5 text-sm">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {children}
          {state.ok === false && (
            <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-red-800">
              {state.message ?? Object.values(state.fieldErrors).join(' ')}
            </p>
          )}
          <div className="flex justify-end gap-2 pt-2">
            <button type="button" onClick={() => dialog.current?.close()} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100">
              Cancel
            </button>
            <button
              type="submit"
              disabled={pending}
              className={`rounded px-3 py-1.5 font-medium text-white disabled:opacity-60 ${danger ? 'bg-red-600 hover:bg-red-700' : 'bg-indigo-600 hover:bg-indigo-700'}`}
            >
              {confirm}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
