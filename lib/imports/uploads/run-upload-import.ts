// The worker's side of a browser import: the same importConversationsFile as the CLI, reading
// the upload's chunks from the database. Progress (bytes read, stage) is written to the upload
// row at most twice a second for the page's bar. Idempotent: a finished upload is skipped, and
// a crashed attempt left nothing behind (the import is one transaction), so a retry starts over.
import { db } from '../../db';
import { isAppError } from '../../errors';
import { importConversationsFile, ImportValidationError } from '../import-conversations';
import type { FileFormat } from '../read-conversations';
import type { CsvMapping } from '../csv-mapping';
import { uploadSource } from './upload-source';

export async function runUploadImport(uploadId: number, log: (line: string) => void = () => {}): Promise<void> {
  const upload = await db().importUpload.findUnique({ where: { id: uploadId } });
  if (!upload || upload.status === 'succeeded' || upload.status === 'uploading' || upload.status === 'uploaded') return;
  await db().importUpload.update({ where: { id: uploadId }, data: { status: 'running', stage: 'reading and validating', processedBytes: 0 } });
  let last = 0;
  let stage = 'reading and validating';
  let bytes = 0;
  // Writes run one after another, and the last lands before the final state is written.
  let saving: Promise<unknown> = Promise.resolve();
  const save = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 500) return;
    last = now;
    const data = { stage, processedBytes: bytes };
    saving = saving.then(() =>
      db()
        .importUpload.update({ where: { id: uploadId }, data })
        .catch(() => {}),
    );
  };
  try {
    const summary = await importConversationsFile(uploadSource(upload), {
      format: upload.format as FileFormat,
      csvMapping: (upload.mapping as CsvMapping | null) ?? undefined,
      onBytes: (n) => {
        bytes = n;
        save();
      },
      onProgress: (s) => {
        if (s === stage) return;
        stage = s;
        save(true);
      },
    });
    await saving;
    await db().$transaction([
      db().importUpload.update({
        where: { id: uploadId },
        data: { status: 'succeeded', stage: 'done', processedBytes: upload.receivedBytes, summary: { ...summary }, finishedAt: new Date() },
      }),
      // The bytes were only kept to be imported.
      db().importUploadChunk.deleteMany({ where: { uploadId } }),
    ]);
    log(`import upload ${uploadId} (${upload.fileName}): ${summary.conversations} conversations, ${summary.created} new, ${summary.updated} updated`);
  } catch (e) {
    await saving;
    if (e instanceof ImportValidationError) {
      await finish(uploadId, { issueCount: e.issueCount, issues: e.issues.map((i) => ({ ...i })), error: e.message });
      log(`import upload ${uploadId} (${upload.fileName}): ${e.issueCount} problems, nothing written`);
      return;
    }
    if (isAppError(e)) {
      await finish(uploadId, { error: e.message });
      return;
    }
    log(`import upload ${uploadId} failed: ${(e as Error).stack ?? String(e)}`);
    await finish(uploadId, { error: 'The import failed unexpectedly; nothing was written. Try again, or ask an admin to look at the worker log.' });
  }
}

async function finish(uploadId: number, data: { issueCount?: number; issues?: object[]; error: string }) {
  await db().importUpload.update({
    where: { id: uploadId },
    data: { status: 'failed', stage: null, finishedAt: new Date(), issueCount: 0, issues: [], ...data },
  });
}
