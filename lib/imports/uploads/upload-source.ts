// An upload's bytes as an ImportSource: its chunks read back one at a time, in order, so the
// importer streams a 100 MB upload in 4 MB steps, exactly as it streams a file from disk.
import { db } from '../../db';
import type { ImportSource } from '../import-source';

export function uploadSource(upload: { id: number; fileName: string; receivedBytes: number; chunkCount: number }): ImportSource {
  return {
    name: upload.fileName,
    size: upload.receivedBytes,
    async *open() {
      for (let seq = 0; seq < upload.chunkCount; seq++) {
        const chunk = await db().importUploadChunk.findUnique({ where: { uploadId_seq: { uploadId: upload.id, seq } }, select: { data: true } });
        if (!chunk) throw new Error(`upload ${upload.id} lost chunk ${seq}`);
        yield Buffer.from(chunk.data);
      }
    },
  };
}
