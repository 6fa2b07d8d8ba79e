// How every form shows bad input: one summary at the top (nothing was saved), and each
// message beside its field, linked to the control by aria-describedby.

export const inputClass = 'mt-1 w-full rounded border border-slate-300 px-2 py-1';

/** Props for a control whose field may carry an error. */
export function describedBy(errors: Record<string, string>, field: string) {
  return errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${field}-error` } : {};
}

export function FieldError({ field, errors }: { field: string; errors: Record<string, string> }) {
  if (!errors[field]) return null;
  return (
    <p id={`${field}-error`} role="alert" className="mt-1 text-xs text-red-700">
      {errors[field]}
    </p>
  );
}

/** `nothing` says what did not happen, e.g. "Nothing was created." */
export function FormErrorSummary({ formError, errors, nothing }: { formError: string | null; errors: Record<string, string>; nothing: string }) {
  const n = Object.keys(errors).length;
  return (
    <>
      {formError && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {formError}
        </p>
      )}
      {n > 0 && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {nothing} Fix the {n === 1 ? 'field' : 'fields'} marked below.
        </p>
      )}
    </>
  );
}

/** After a submit: the saved message, or the form-level error (field errors sit by their fields). */
export function FormOutcome({ ok, message, formError }: { ok: boolean | null; message?: string | null; formError?: string | null }) {
  return (
    <>
      {ok && message && (
        <p role="status" className="text-sm text-emerald-700">
          {message}
        </p>
      )}
      {formError && (
        <p role="alert" className="text-sm text-red-700">
          {formError}
        </p>
      )}
    </>
  );
}
