// The background worker: one process runs every queue's handler. Started by `npm run worker`
// and by `npm start`; more than one may run against the same database.
import { runDatasetBuildJob } from '../datasets/build-job';
import { handleEvalRunJob, resumeEvalRuns, type EvalRunJob } from '../evals/worker-job';
import { handleFineTuneLaunch, handleFineTunePoll, resumeFineTunes } from '../finetunes/worker-jobs';
import { QUEUES, workerQueue } from './queue';
import { startLiveIngestSweep } from '../advisor/live-ingest';
import { handleSuggestionsJob, startSuggestionSweep } from '../suggestions/worker-job';
import { runUploadImport } from '../imports/uploads/run-upload-import';
import { handleRetrainJob, resumeRetrains } from '../advisor/retrain';
import { connectionBudget, describeConnectionBudget } from '../db/connection-budget';
import { db } from '../db';
import { foldAllTotals } from '../conversations/progress-totals';

export async function startWorker(opts: { log?: (line: string) => void } = {}) {
  const log = opts.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const boss = await workerQueue();

  await boss.work<{ versionId: number }>(QUEUES.datasetBuild, { pollingIntervalSeconds: 1 }, async ([job]) => {
    await runDatasetBuildJob(job.data.versionId, log);
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
  // Retrain with new labels: build, then launch the fine-tune (which then polls and evaluates as any).
  await boss.work(QUEUES.advisorRetrain, { pollingIntervalSeconds: 1 }, async ([job]) => {
    await handleRetrainJob(job, log);
  });
  const retrains = await resumeRetrains();
  if (retrains) log(`advisor retrains picked up again: ${retrains}`);
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
