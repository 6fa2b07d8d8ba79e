// Downloads of a ready dataset version: train.jsonl, validation.jsonl, test.jsonl, manifest.json.
// Streamed from a database cursor, so a million-line file never sits in memory.
import { z } from 'zod';
import { route } from '@/lib/boundary/route-handler';
import { idText } from '@/lib/boundary/params';
import { ConflictError, NotFoundError } from '@/lib/errors';
import { getDatasetVersionStatus } from '@/lib/datasets/queries';
import { EXPORT_FILES, exportFileChunks } from '@/lib/datasets/export-files';
import { db } from '@/lib/db';

export const GET = route(
  {
    name: 'dataset file',
    auth: 'session',
    params: z.object({
      id: idText('the dataset version id'),
      file: z.string(),
    }),
  },
  async ({ actor, params: { id, file: name } }) => {
    const file = EXPORT_FILES.find((f) => f === name);
    if (!file) throw new NotFoundError(`There is no file "${name}"; a version has ${EXPORT_FILES.join(', ')}.`);
    const status = await getDatasetVersionStatus(actor, id);
    if (!status) throw new NotFoundError(`Dataset version ${id} does not exist.`);
    if (status.status !== 'ready') throw new ConflictError(`Dataset version ${id} is ${status.status}, not ready.`);
    const v = await db().datasetVersion.findUniqueOrThrow({ where: { id }, select: { version: true, dataset: { select: { name: true } } } });

    const chunks = exportFileChunks(id, file);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    const [base, ext] = file.split('.');
    return new Response(body, {
      headers: {
        'content-type': ext === 'json' ? 'application/json; charset=utf-8' : 'application/jsonl; charset=utf-8',
        'content-disposition': `attachment; filename="${v.dataset.name}-v${v.version}-${base}.${ext}"`,
        'cache-control': 'no-store',
      },
    });
  },
);
