// Cancelling a run. Before it reaches the provider it is cancelled on the spot (when no
// launcher holds it; otherwise the launcher sees the request before creating, or cancels what
// it just created). On the provider we ask at once; if that fails for a transient reason the
// request stays recorded and the poller asks again.
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { FineTuneInputError, FineTuneNotFoundError } from './errors';
import { tryLaunchLock } from './job-lock';
import { runFineTunePoll } from './poll-job';
import { describeProviderError, fineTuneAdapter, type FineTuneAdapter } from './providers';
import { isTerminal, TERMINAL_STATUSES, type FineTuneStatus } from './status';

export interface CancelResult {
  id: number;
  status: FineTuneStatus;
  cancelRequested: boolean;
  /** Why the provider has not confirmed yet, when it has not. */
  note: string | null;
}

const idSchema = z.number({ error: 'a run id is a whole number' }).int('a run id is a whole number').positive('a run id is a whole number');

export async function cancelFineTune(actor: Actor, jobId: number): Promise<CancelResult> {
  assertRole(actor, 'ml_lead', 'admin');
  const id = idSchema.safeParse(jobId);
  if (!id.success) throw FineTuneInputError.fromZod(id.error, 'jobId');
  const run = await db().fineTuneJob.findUnique({ where: { id: id.data } });
  if (!run) throw new FineTuneNotFoundError(`Fine-tune ${id.data} does not exist.`);
  if (run.status === 'cancelled') return { id: run.id, status: run.status, cancelRequested: run.cancelRequested, note: null };
  if (isTerminal(run.status))
    throw new FineTuneInputError([{ field: 'jobId', message: `fine-tune ${run.id} has already ${run.status}; there is nothing to cancel` }]);
  if (run.status === 'deploying')
    throw new FineTuneInputError([
      { field: 'jobId', message: `fine-tune ${run.id} has finished training and is being deployed; remove the deployment on the provider instead` },
    ]);

  await db().fineTuneJob.update({ where: { id: run.id }, data: { cancelRequested: true } });

  if (!run.providerJobId) {
    const direct = await tryLaunchLock(run.id, async (locked) => {
      if (!locked) return false;
      const r = await db().fineTuneJob.updateMany({
        where: { id: run.id, status: 'pending', providerJobId: null },
        data: { status: 'cancelled', finishedAt: new Date(), error: null },
      });
      return r.count === 1;
    });
    const now = await db().fineTuneJob.findUniqueOrThrow({ where: { id: run.id } });
    if (direct || !now.providerJobId) {
      return {
        id: now.id,
        status: now.status,
        cancelRequested: true,
        note: direct ? null : 'The launch is in progress; it stops before creating the provider job.',
      };
    }
    return cancelOnProvider(now.id, now.provider, now.providerJobId);
  }
  return cancelOnProvider(run.id, run.provider, run.providerJobId);
}

async function cancelOnProvider(jobId: number, provider: string, providerJobId: string): Promise<CancelResult> {
  let adapter: FineTuneAdapter | undefined;
  let note: string | null = null;
  try {
    adapter = await fineTuneAdapter(provider);
    const pj = await adapter.cancelJob(providerJobId);
    const status = pj.status;
    // One poll records the end together with the provider's last events; if it cannot, the status alone.
    await runFineTunePoll(jobId).catch(() => null);
    if (isTerminal(status)) {
      await db().fineTuneJob.updateMany({
        where: { id: jobId, status: { notIn: [...TERMINAL_STATUSES] } },
        data: { status, finishedAt: pj.finishedAt ?? new Date(), error: null },
      });
    }
  } catch (e) {
    const pe = adapter ? describeProviderError(e, adapter.handle) : null;
    if (!pe && adapter) throw e;
    // Transient: the poller asks again. Final (e.g. it finished meanwhile): the poller records how it ended.
    note = `${pe?.message ?? (e as Error).message} — the cancel is recorded and will be retried.`;
  }
  const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id: jobId } });
  return { id: run.id, status: run.status, cancelRequested: run.cancelRequested, note };
}
