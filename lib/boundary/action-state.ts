// What a server action answers (lib/boundary/server-action.ts fills it in). Shared with
// client components, so nothing server-side lives here.

export interface ActionFailure {
  ok: false;
  code: string;
  message: string;
  fieldErrors: Record<string, string>;
  /** false: trying the same thing again cannot help (bad input, not allowed, not found). */
  retryable: boolean;
}

export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

export interface FormState<V = Record<string, string>> {
  /** null before the first submission. */
  ok: boolean | null;
  /** On success what happened; on failure what went wrong that no field shows. */
  message: string | null;
  fieldErrors: Record<string, string>;
  /** The fields as sent (never passwords or keys), to fill the form again after a failure. */
  values: V | null;
  /** Bumped per submission: forms remount with the values sent (React resets them otherwise). */
  attempt: number;
}

export function initialFormState<V = Record<string, string>>(): FormState<V> {
  return { ok: null, message: null, fieldErrors: {}, values: null, attempt: 0 };
}

/** The failure message of a state, for the form's error summary. */
export function formError(state: FormState<unknown>): string | null {
  return state.ok === false ? state.message : null;
}
