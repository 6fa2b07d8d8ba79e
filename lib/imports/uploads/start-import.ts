// Step 3: the whole upload is validated and imported by the worker (./run-upload-import.ts),
// never in the request. A failed import keeps its bytes, so a CSV can be tried again with
// another column mapping without sending the file again.
import { z } from 'zod';
import type { Actor } from '../../auth/session';
import { db } from '../../db';
import { ConflictError, InputError } from '../../errors';
import { enqueue, QUEUES } from '../../jobs/queue';
import { csvMappingSchema, type CsvMapping } from '../csv-mapping';
import { uploadOf } from './access';

export const startImportInput = z.object({
  uploadId: z.number().int().min(1),
  mapping: csvMappingSchema.optional(),
});

export interface UploadImportJob {
  uploadId: number;
}

export async function startUploadImport(actor: Actor, input: z.input<typeof startImportInput>): Promise<{ id: number }> {
  const parsed = startImportInput.safeParse(input);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  const upload = await uploadOf(actor, parsed.data.uploadId);
  if (upload.status === 'uploading') throw new ConflictError(`${upload.fileName} is still uploading.`);
  if (upload.status === 'queued' || upload.status === 'running') throw new ConflictError(`${upload.fileName} is already being imported.`);
  if (upload.status === 'succeeded') throw new ConflictError(`${upload.fileName} was imported already.`);
  const mapping: CsvMapping | null = upload.format === 'csv' ? (parsed.data.mapping ?? {}) : null;
  // Only the uploaded or failed state moves on, once: a double click queues one job.
  const moved = await db().importUpload.updateMany({
    where: { id: upload.id, status: { in: ['uploaded', 'failed'] } },
    data: {
      status: 'queued',
      mapping: mapping ?? undefined,
      stage: 'waiting for the worker',
      processedBytes: 0,
      issueCount: 0,
      issues: [],
      error: null,
      finishedAt: null,
    },
  });
  if (moved.count === 0) throw new ConflictError(`${upload.fileName} is already being imported.`);
  await enqueue(QUEUES.conversationImport, { uploadId: upload.id } satisfies UploadImportJob, { singletonKey: `import-upload-${upload.id}` });
  return { id: upload.id };
}
