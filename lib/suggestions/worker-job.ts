// The worker's side of suggestions: the `suggestions` job (work through the requests for a
// while, then hand on to a fresh job) and the sweep that notices an advisor change — whoever
// made it — and waiting requests (an import from the CLI, the browser or live traffic wrote them
// with its own transaction) and wakes the job.
import type { JobWithMetadata } from 'pg-boss';
import { z } from 'zod';
import { processSuggestionRequests, SuggestionProviderError } from './compute';
import { backfillIfSuggesterChanged, enqueueSuggestionsJob } from './requests';
import { JOB_BUDGET_MS, SWEEP_INTERVAL_MS } from './settings';
import { db } from '../db';

export const suggestionsJobSchema = z.object({ reason: z.enum(['sweep', 'continue', 'backfill']).default('sweep') });

type Log = (line: string) => void;

/**
 * Runs batches for up to JOB_BUDGET_MS, then queues a fresh job when requests remain (a 100k
 * backfill is many short jobs, each resumable: the requests are the state). A provider failure
 * is thrown so pg-boss retries with backoff; the requests stay.
 */
export async function handleSuggestionsJob(job: JobWithMetadata<unknown>, log: Log = () => {}): Promise<void> {
  const payload = suggestionsJobSchema.safeParse(job.data ?? {});
  if (!payload.success) {
    log(`suggestions job ${job.id}: ignoring a payload that is not {reason}`);
    return;
  }
  try {
    const r = await processSuggestionRequests({ budgetMs: JOB_BUDGET_MS, signal: job.signal });
    if (r.computed || r.conversations) log(`suggestions by ${r.model}: ${r.computed} stored for ${r.conversations} conversations, ${r.remaining} waiting`);
    if (r.remaining > 0 && !job.signal.aborted) await enqueueSuggestionsJob('continue');
  } catch (e) {
    if (e instanceof SuggestionProviderError) log(`suggestions: ${e.message}${job.retryCount < job.retryLimit ? '; retrying later' : ''}`);
    throw e;
  }
}

/** Advisor changed → backfill; requests waiting and none claimed → wake the job. */
export async function sweepSuggestions(log: Log = () => {}): Promise<void> {
  const backfill = await backfillIfSuggesterChanged();
  if (backfill) log(`suggestions: new suggester ${backfill.model} (${backfill.suggester}), ${backfill.requested} conversations queued`);
  const [w] = await db().$queryRaw<{ waiting: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM suggestion_requests WHERE claimed_until IS NULL OR claimed_until < now()) AS waiting`;
  if (w.waiting) await enqueueSuggestionsJob(backfill ? 'backfill' : 'sweep');
}

/** Every SWEEP_INTERVAL_MS in the worker. Returns a stop function. */
export function startSuggestionSweep(log: Log, everyMs = SWEEP_INTERVAL_MS): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await sweepSuggestions(log);
    } catch (e) {
      log(`suggestions sweep failed (will retry): ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
