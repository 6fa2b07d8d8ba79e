'use server';

import { redirect } from 'next/navigation';
import { requireActor } from '@/lib/auth/session';
import { AuthError } from '@/lib/auth/errors';
import { cancelEvalRun, startEvalRun } from '@/lib/evals/start-eval-run';
import { EvalInputError } from '@/lib/evals/errors';

export interface StartEvalState {
  values: Record<string, string> | null;
  errors: Record<string, string>;
  formError: string | null;
  attempt: number;
}

export async function startEvalAction(prev: StartEvalState, form: FormData): Promise<StartEvalState> {
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const fail = (errors: Record<string, string>, formError: string | null = null): StartEvalState => ({ values, errors, formError, attempt: prev.attempt + 1 });
  let started;
  try {
    const actor = await requireActor();
    const concurrency = values.concurrency?.trim();
    started = await startEvalRun(actor, {
      datasetVersionId: Number(values.datasetVersionId),
      model: values.model ?? '',
      provider: values.provider as 'local' | 'openai',
      split: values.split as 'train' | 'validation' | 'test',
      // Anything that is not a whole number is passed on for lib/ to reject with its message.
      concurrency: concurrency ? ((/^-?\d+$/.test(concurrency) ? Number(concurrency) : concurrency) as number) : undefined,
    });
  } catch (e) {
    if (e instanceof EvalInputError) return fail(Object.fromEntries(e.issues.map((i) => [i.field, i.message])));
    if (e instanceof AuthError) return fail({}, e.message);
    console.error('startEvalAction failed', e);
    return fail({}, 'Could not start the evaluation. Try again.');
  }
  redirect(`/evals/${started.runId}`);
}

export async function cancelEvalAction(runId: number): Promise<{ ok: boolean; message: string }> {
  try {
    const actor = await requireActor();
    const cancelled = await cancelEvalRun(actor, runId);
    return { ok: cancelled, message: cancelled ? 'Cancelling…' : 'This run has already finished.' };
  } catch (e) {
    if (e instanceof AuthError || e instanceof EvalInputError) return { ok: false, message: e.message };
    console.error('cancelEvalAction failed', e);
    return { ok: false, message: 'Could not cancel; try again.' };
  }
}
