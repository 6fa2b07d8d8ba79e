// The background worker: one process runs every queue's handler. Started by `npm run worker`
// and by `npm start`; more than one may run against the same database.
import { buildDatasetVersion, DatasetBuildError } from '../datasets/build-dataset-version';
import { handleEvalRunJob, resumeEvalRuns, type EvalRunJob } from '../evals/worker-job';
import { handleFineTuneLaunch, handleFineTunePoll, resumeFineTunes } from '../finetunes/worker-jobs';
import { QUEUES, workerQueue } from './queue';
import { startLiveIngestSweep } from '../advisor/live-ingest';
import { handleSuggestionsJob, startSuggestionSweep } from '../suggestions/worker-job';
import { runUploadImport } from '../imports/uploads/run-upload-import';
import { connectionBudget, describeConnectionBudget } from '../db/connection-budget';
import { db } from '../db';
import { foldAllTotals } from '../conversations/progress-totals';

export async function startWorker(opts: { log?: (line: string) => void } = {}) {
  const log = opts.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const boss = await workerQueue();

  await boss.work<{ versionId: number }>(QUEUES.datasetBuild, { pollingIntervalSeconds: 1 }, async ([job]) => {
    log(`building dataset version ${job.data.versionId}`);
    try {
      const r = await buildDatasetVersion(job.data.versionId);
      log(`dataset version ${job.data.versionId}: ${r.exampleCount} examples, ${r.contentHash.slice(0, 12)}`);
    } catch (e) {
      // A build that fails on its input (no examples, already built) is final: the version
      // row says why. Anything else is thrown so pg-boss retries with backoff.
      if (e instanceof DatasetBuildError) {
        log(`dataset version ${job.data.versionId} failed: ${e.message}`);
        return;
      }
      throw e;
    }
  });
  // Fine-tunes: launch (upload + create on the provider), then poll until finished. The
  // handlers are idempotent; transient provider trouble re-queues the step after a backoff.
  await boss.work(QUEUES.fineTuneLaunch, { pollingIntervalSeconds: 1 }, async ([job]) => {
    await handleFineTuneLaunch(job, log);
  });
  await boss.work(QUEUES.fineTunePoll, { pollingIntervalSeconds: 1, localConcurrency: 2 }, async ([job]) => {
    await handleFineTunePoll(job, log);
  });
  const resumed = await resumeFineTunes();
  if (resumed.launches || resumed.polls) log(`fine-tunes picked up again: ${resumed.launches} to launch, ${resumed.polls} to poll`);
  // Evals: one run per job, two runs at a time per worker; a retried job resumes its run.
  await boss.work(QUEUES.evalRun, { pollingIntervalSeconds: 1, localConcurrency: 2, includeMetadata: true }, async ([job]: EvalRunJob[]) => {
    await handleEvalRunJob(job, log);
  });
  const evalsResumed = await resumeEvalRuns();
  if (evalsResumed) log(`eval runs picked up again: ${evalsResumed}`);
  // Browser imports: the same import as the CLI, reading the upload from the database.
  await boss.work<{ uploadId: number }>(QUEUES.conversationImport, { pollingIntervalSeconds: 1 }, async ([job]) => {
    await runUploadImport(job.data.uploadId, log);
  });
  // Live conversations the decision API logged but no web process merged (it stopped first).
  startLiveIngestSweep(log);
  // Suggestions: one batch loop per worker at a time; the sweep notices advisor changes and waiting requests.
  await boss.work(QUEUES.suggestions, { pollingIntervalSeconds: 1, localConcurrency: 1, includeMetadata: true }, async ([job]) => {
    await handleSuggestionsJob(job, log);
  });
  startSuggestionSweep(log);
  // The progress bar's totals gain a few rows per label write; fold them into one row per key now and then.
  setInterval(() => void foldAllTotals().catch(() => {}), 60_000).unref();
  log(describeConnectionBudget(connectionBudget('worker')));
  // The server's limit, to size N web × budget + M workers × budget against (README "Beyond one machine").
  const limit = await db().$queryRaw<{ max_connections: string }[]>`SELECT current_setting('max_connections') AS max_connections`
    .then((r) => r[0]?.max_connections)
    .catch(() => null);
  if (limit) log(`database server: max_connections = ${limit}`);
  log('ready');
  return boss;
}
