// One build per dataset at a time, across every worker and CLI: versions of one dataset share
// its split assignments (a conversation keeps its split for the whole lineage), and two builds
// assigning the same new conversations at once would either collide on the assignment's key or,
// worse, each hand out splits the other never saw. The lease (lib/jobs/work-lease.ts) is a row,
// not a session advisory lock, so it holds behind PgBouncer in transaction mode, and a build
// that runs in several transactions keeps it throughout. A build that finds it taken waits, and
// its version's progress says which version it waits for.
import { db } from '../db';
import { withWorkLease } from '../jobs/work-lease';

export const buildLeaseName = (datasetId: number) => `dataset-build:${datasetId}`;

/** Runs `fn` holding the dataset's build lease, waiting for it while another build of the dataset runs. */
export function withDatasetBuildLease<T>(version: { datasetId: number; version: number }, fn: () => Promise<T>): Promise<T> {
  const me = `v${version.version}`;
  return withWorkLease(buildLeaseName(version.datasetId), fn, {
    note: me,
    onWait: async (holder) => {
      const phase =
        holder?.note === me
          ? 'Waiting: another worker is running this build'
          : `Waiting for ${holder?.note ?? 'another version'} of this dataset to finish building`;
      await db()
        .datasetVersion.updateMany({
          where: { datasetId: version.datasetId, version: version.version, status: { in: ['queued', 'building'] } },
          data: { progressPhase: phase },
        })
        .catch(() => {});
    },
  });
}
