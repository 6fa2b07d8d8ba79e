// The browser's way to create a dataset version: record it, then hand the build to the
// worker so the request returns at once and the page shows progress.
import type { Actor } from '../auth/session';
import { enqueue, QUEUES } from '../jobs/queue';
import { db } from '../db';
import { createDatasetVersion, type CreatedVersion } from './create-dataset-version';

export async function requestDatasetVersion(actor: Actor, input: { name: unknown; params: unknown }): Promise<CreatedVersion> {
  const created = await createDatasetVersion(actor, input);
  try {
    await enqueue(QUEUES.datasetBuild, { versionId: created.versionId }, { singletonKey: `dataset-version-${created.versionId}` });
  } catch (e) {
    await db().datasetVersion.update({
      where: { id: created.versionId },
      data: { status: 'failed', error: `Could not queue the build: ${(e as Error).message}` },
    });
    throw e;
  }
  return created;
}
