// The one door for server actions: who is calling (session, role), what they sent (zod), and
// what they get back when it fails (form state, mapped in lib/boundary/outcome.ts). Actions
// stay one-liners over lib/; nothing else catches errors. Modelled on inbox-zero's
// next-safe-action client (actor in ctx), kept small because our forms need the submitted
// values and an attempt counter back, which its result shape does not carry.
import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { InputError, UnauthenticatedError } from '../errors';
import { assertRole, getActor, type Actor } from '../auth/session';
import type { Role } from '../auth/roles';
import { describeFailure, fieldErrorsOf } from './outcome';
import type { ActionFailure, ActionResult, FormState } from './action-state';

export type { ActionFailure, ActionResult, FormState } from './action-state';

export interface ActionContext {
  actor: Actor;
}

interface ActionOptions<S extends z.ZodType> {
  /** Names the action in server logs. */
  name: string;
  /** Any of these roles may call it; omitted: anyone signed in. lib/ checks again. */
  roles?: readonly Role[];
  input: S;
  /** Shown instead of the generic message when something unexpected fails. */
  failureMessage?: string;
}

function failure(e: unknown, opts: { name: string; failureMessage?: string }): ActionFailure {
  const f = describeFailure(e, `action ${opts.name}`, opts.failureMessage);
  return { ok: false, code: f.code, message: f.message, fieldErrors: fieldErrorsOf(f.issues), retryable: f.retryable };
}

function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  return parsed.data;
}

// Never echo these back into the page.
const SECRET_FIELD = /password|secret|api.?key|token/i;

function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string' && !k.startsWith('$ACTION')) out[k] = v;
  return out;
}

/**
 * The wrappers, given how to find the caller: the session for real requests (below); tests
 * pass the actor they act as.
 */
export function createActionClient(resolveActor: () => Promise<Actor | null>) {
  async function authorise(roles: readonly Role[] | undefined): Promise<Actor> {
    const actor = await resolveActor();
    if (!actor) throw new UnauthenticatedError();
    if (roles?.length) assertRole(actor, ...roles);
    return actor;
  }

  /** An action called with one argument (an object or a value) from client code. */
  function authedAction<S extends z.ZodType, T>(
    opts: ActionOptions<S>,
    handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
  ): (input: z.input<S>) => Promise<ActionResult<T>> {
    return async (raw) => {
      try {
        const actor = await authorise(opts.roles);
        return { ok: true, data: await handler(parseOrThrow(opts.input, raw), { actor }) };
      } catch (e) {
        unstable_rethrow(e); // redirect() and notFound() are Next's control flow, not failures
        return failure(e, opts);
      }
    };
  }

  /**
   * An action for `useActionState(action, initialFormState())`: the form's string fields are
   * parsed with `input`; the handler returns the success message (or redirects).
   */
  function authedFormAction<S extends z.ZodType, V = Record<string, string>>(
    opts: ActionOptions<S> & {
      /** The fields the form shows a message beside; default: the ones it sent. */
      fields?: readonly string[];
    },
    handler: (input: z.output<S>, ctx: ActionContext) => Promise<string | void>,
  ): (prev: FormState<V>, form: FormData) => Promise<FormState<V>> {
    return async (prev, form) => {
      const values = form instanceof FormData ? formValues(form) : null;
      const echoed = values ? (Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET_FIELD.test(k))) as V) : null;
      const attempt = (typeof prev?.attempt === 'number' ? prev.attempt : 0) + 1;
      try {
        const actor = await authorise(opts.roles);
        if (!values) throw InputError.of('input', 'This needs a form submission.');
        const message = await handler(parseOrThrow(opts.input, values), { actor });
        return { ok: true, message: message ?? null, fieldErrors: {}, values: null, attempt };
      } catch (e) {
        unstable_rethrow(e);
        const f = describeFailure(e, `action ${opts.name}`, opts.failureMessage);
        // An issue about a field the form has is shown beside it; the rest (a whole-form rule,
        // a field the form does not have) in the summary, so no message is ever lost.
        const sent = new Set(opts.fields ?? Object.keys(values ?? {}));
        const besideField = f.issues.filter((i) => sent.has(i.field.split('.')[0]));
        const elsewhere = f.issues.filter((i) => !sent.has(i.field.split('.')[0]));
        const message = f.code !== 'input' || f.issues.length === 0 ? f.message : elsewhere.length ? elsewhere.map((i) => i.message).join(' ') : null;
        return { ok: false, message, fieldErrors: fieldErrorsOf(besideField), values: echoed, attempt };
      }
    };
  }

  return { authedAction, authedFormAction };
}

export const { authedAction, authedFormAction } = createActionClient(getActor);
