// The background worker: one process runs every queue's handler. Started by `npm run worker`
// and by `npm start`; more than one may run against the same database.
import { buildDatasetVersion, DatasetBuildError } from '../datasets/build-dataset-version';
import { QUEUES, workerQueue } from './queue';

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
  log('ready');
  return boss;
}
