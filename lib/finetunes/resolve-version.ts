// "--dataset NAME [--version V]" → a dataset version id; without V, the latest ready version.
import { db } from '../db';
import { FineTuneInputError } from './errors';

export async function resolveDatasetVersion(name: string, version: number | null): Promise<{ id: number; name: string; version: number }> {
  const dataset = await db().dataset.findUnique({ where: { name }, select: { id: true } });
  if (!dataset) throw new FineTuneInputError([{ field: 'dataset', message: `there is no dataset named "${name}"` }]);
  if (version !== null) {
    const v = await db().datasetVersion.findUnique({ where: { datasetId_version: { datasetId: dataset.id, version } }, select: { id: true } });
    if (!v) throw new FineTuneInputError([{ field: 'datasetVersionId', message: `${name} has no version ${version}` }]);
    return { id: v.id, name, version };
  }
  const latest = await db().datasetVersion.findFirst({
    where: { datasetId: dataset.id, status: 'ready' },
    orderBy: { version: 'desc' },
    select: { id: true, version: true },
  });
  if (!latest)
    throw new FineTuneInputError([{ field: 'dataset', message: `${name} has no ready version yet (build one with npm run export or on the datasets page)` }]);
  return { id: latest.id, name, version: latest.version };
}
