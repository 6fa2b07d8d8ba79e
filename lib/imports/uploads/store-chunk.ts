// Step 2: the page sends the file in chunks, in order. Each is counted while it arrives and
// the upload is refused (and its bytes deleted) the moment it grows past what was declared,
// so a client that lies about the size cannot fill the database. A chunk sent twice (a retry
// after a lost answer) is taken once.
import type { Actor } from '../../auth/session';
import { db } from '../../db';
import { ConflictError, InputError, PayloadTooLargeError } from '../../errors';
import { readCsvHeader } from '../csv-conversations';
import { suggestCsvMapping, type CsvMapping } from '../csv-mapping';
import { encodingProblem } from '../encoding-sniff';
import { uploadOf } from './access';
import { formatMegabytes, MAX_CHUNK_BYTES } from './limits';
import { uploadSource } from './upload-source';

export interface UploadProgress {
  id: number;
  receivedBytes: number;
  declaredBytes: number;
  complete: boolean;
  /** CSV, once complete: the header's columns (none: no readable header) and the mapping guessed from their names. */
  csvColumns: string[] | null;
  suggestedMapping: CsvMapping | null;
}

async function readBody(body: AsyncIterable<Uint8Array> | null, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of body ?? []) {
    size += part.byteLength;
    if (size > limit) throw new PayloadTooLargeError(`A chunk may hold at most ${formatMegabytes(limit)}.`);
    parts.push(Buffer.from(part));
  }
  return Buffer.concat(parts);
}

export async function storeImportChunk(actor: Actor, id: number, seq: number, body: AsyncIterable<Uint8Array> | null): Promise<UploadProgress> {
  const upload = await uploadOf(actor, id);
  if (upload.status !== 'uploading') throw new ConflictError(`${upload.fileName} is already uploaded.`);
  if (seq > upload.chunkCount) throw InputError.of('seq', `chunk ${seq} came before chunk ${upload.chunkCount}: send the chunks in order`);
  const data = await readBody(body, MAX_CHUNK_BYTES);
  if (data.length === 0) throw InputError.of('body', 'the chunk is empty');
  const stored = await db().$transaction(async (tx) => {
    // One writer per upload at a time: the row lock orders concurrent chunks.
    const [row] = await tx.$queryRaw<{ chunk_count: number; received_bytes: number; declared_bytes: number }[]>`
      SELECT chunk_count, received_bytes, declared_bytes FROM import_uploads WHERE id = ${id} FOR UPDATE`;
    if (seq < row.chunk_count) return { ...row, duplicate: true };
    if (seq > row.chunk_count) throw InputError.of('seq', `chunk ${seq} came before chunk ${row.chunk_count}: send the chunks in order`);
    const received = row.received_bytes + data.length;
    if (received > row.declared_bytes) return { ...row, received_bytes: received, tooLarge: true };
    await tx.importUploadChunk.create({ data: { uploadId: id, seq, data: new Uint8Array(data) } });
    const complete = received === row.declared_bytes;
    await tx.importUpload.update({ where: { id }, data: { chunkCount: seq + 1, receivedBytes: received, ...(complete ? { status: 'uploaded' } : {}) } });
    return { chunk_count: seq + 1, received_bytes: received, declared_bytes: row.declared_bytes };
  });
  if ('tooLarge' in stored) {
    await db().importUpload.delete({ where: { id } });
    throw new PayloadTooLargeError(
      `${upload.fileName} is larger than the ${formatMegabytes(stored.declared_bytes)} it was said to be; the upload was stopped and deleted. Choose the file again.`,
    );
  }
  const complete = stored.received_bytes === stored.declared_bytes;
  let csvColumns: string[] | null = null;
  if (complete) {
    const source = uploadSource({ id, fileName: upload.fileName, receivedBytes: stored.received_bytes, chunkCount: stored.chunk_count });
    // The header of a CSV (unless the file is in another encoding: the import then says so).
    if (upload.format === 'csv') {
      csvColumns = encodingProblem(await firstBytes(source.open())) ? [] : ((await readCsvHeader(source)) ?? []);
      await db().importUpload.update({ where: { id }, data: { csvColumns } });
    }
  }
  return {
    id,
    receivedBytes: stored.received_bytes,
    declaredBytes: stored.declared_bytes,
    complete,
    csvColumns,
    suggestedMapping: csvColumns ? suggestCsvMapping(csvColumns) : null,
  };
}

async function firstBytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  for await (const c of chunks) return c.subarray(0, 4096);
  return Buffer.alloc(0);
}
