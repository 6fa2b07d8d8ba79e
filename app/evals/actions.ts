'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { authedAction, authedFormAction } from '@/lib/boundary/server-action';
import { idNumber } from '@/lib/boundary/params';
import { cancelEvalRun, startEvalRun } from '@/lib/evals/start-eval-run';

const startEvalForm = z.object({
  datasetVersionId: z.string().default(''),
  model: z.string().default(''),
  provider: z.string().default(''),
  split: z.string().default(''),
  concurrency: z.string().trim().default(''),
});

export const startEvalAction = authedFormAction(
  { name: 'startEval', roles: ['ml_lead', 'admin'], input: startEvalForm, failureMessage: 'Could not start the evaluation. Try again.' },
  async (f, { actor }) => {
    const started = await startEvalRun(actor, {
      datasetVersionId: Number(f.datasetVersionId),
      model: f.model,
      provider: f.provider as 'local' | 'openai',
      split: f.split as 'train' | 'validation' | 'test',
      // Anything that is not a whole number is passed on for lib/ to reject with its message.
      concurrency: f.concurrency ? ((/^-?\d+$/.test(f.concurrency) ? Number(f.concurrency) : f.concurrency) as number) : undefined,
    });
    redirect(`/evals/${started.runId}`);
  },
);

export const cancelEvalAction = authedAction({ name: 'cancelEval', input: idNumber('the evaluation id') }, async (runId, { actor }) => {
  const cancelled = await cancelEvalRun(actor, runId);
  return { cancelled, message: cancelled ? 'Cancelling…' : 'This run has already finished.' };
});
