// The worker's dataset-build job: builds for at most one time slice, then queues the rest as
// a new job, so pg-boss's job expiry bounds a slice, never the whole build. A worker that dies
// mid-slice stops heartbeating; pg-boss retries the job and the build resumes from the last
// committed batch (see build-dataset-version.ts).
import { enqueue, QUEUES } from '../jobs/queue';
import { buildDatasetVersionSlice, type BuildResult } from './build-dataset-version';
import { DatasetBuildError } from './errors';

/** Well inside the queue's one-hour expiry. */
export const BUILD_SLICE_MS = 10 * 60_000;

export async function runDatasetBuildJob(versionId: number, log: (line: string) => void, sliceMs = BUILD_SLICE_MS): Promise<BuildResult | null> {
  log(`building dataset version ${versionId}`);
  try {
    const r = await buildDatasetVersionSlice(versionId, { deadline: Date.now() + sliceMs });
    if (r) {
      log(`dataset version ${versionId}: ${r.exampleCount} examples, ${r.contentHash.slice(0, 12)}`);
      return r;
    }
    // Not a singleton: this job is still active while the next one is queued.
    await enqueue(QUEUES.datasetBuild, { versionId });
    log(`dataset version ${versionId}: slice over, the rest is queued`);
    return null;
  } catch (e) {
    // A build that fails on its input (no examples, already built) is final: the version
    // row says why. Anything else is thrown so pg-boss retries with backoff (and it resumes).
    if (e instanceof DatasetBuildError) {
      log(`dataset version ${versionId} failed: ${e.message}`);
      return null;
    }
    throw e;
  }
}
