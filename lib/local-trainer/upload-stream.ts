// Streaming request bodies to disk: multipart/form-data (what the SDK's `files.create` and
// `uploads.parts.create` send) is parsed by busboy, a maintained streaming parser, and the file
// part goes chunk by chunk to a temporary file — through `onChunk` (JSONL validation, md5) on
// the way — so memory stays at a few chunks whatever the size. Disk space is checked before
// the first byte (when the length is known) and every 16 MB after it.
import busboy from 'busboy';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { finished, type Readable } from 'node:stream';
import { CHECK_EVERY_BYTES, insufficientStorage, isDiskFull, type DiskSpace } from './disk-space';
import { ApiError, invalidRequest } from './errors';

export interface ReceivedFile {
  /** The temporary file holding the bytes; the caller renames or removes it. */
  path: string;
  bytes: number;
  filename: string | undefined;
  /** Fields that arrived before the file part (e.g. `purpose` when the client sends it first). */
  fieldsBefore: ReadonlyMap<string, string>;
}

export interface MultipartResult {
  fields: Map<string, string>;
  file: ReceivedFile | null;
}

export interface ReceiveOptions {
  /** Name of the file part ("file" for /v1/files, "data" for upload parts). */
  fileField: string;
  tmpPath: string;
  disk: DiskSpace;
  /** Larger file parts are refused with a 413 (default: no limit but the disk). */
  maxFileBytes?: number;
  /** Sees every chunk of the file part, in order (may throw an ApiError to refuse the upload). */
  onChunk?: (chunk: Buffer, fieldsBefore: ReadonlyMap<string, string>) => void;
}

const MAX_FIELD_BYTES = 1024 * 1024;
/**
 * Buffering between the socket, busboy and the file: the streams' 16 KB defaults make every
 * 64 KB socket read wait for its own disk write before the next is parsed (one write and one
 * drain per chunk); with 1 MB the parser runs ahead while the file stream writes what has
 * queued in one writev. Memory stays at a few MB per upload.
 */
const STREAM_BUFFER_BYTES = 1024 * 1024;

/**
 * Writes `source` to `file` with backpressure; every chunk also goes to `onChunk`. The source
 * is read in flowing mode (paused while the file stream is full): its chunks go to the file
 * as they came, where async iteration would concatenate whatever had queued into a copy.
 */
export async function streamToFile(source: Readable, file: string, disk: DiskSpace, onChunk?: (chunk: Buffer) => void, maxBytes = Infinity): Promise<number> {
  const out = fs.createWriteStream(file, { highWaterMark: STREAM_BUFFER_BYTES });
  let failed: unknown = null;
  let bytes = 0;
  let nextCheck = CHECK_EVERY_BYTES;
  // After a failure the rest of the body is read and dropped, so the client (still sending)
  // gets the error response instead of a reset connection.
  const fail = (e: unknown) => {
    failed ??= e;
    source.resume();
  };
  out.on('error', fail);
  out.on('drain', () => {
    if (!failed) source.resume();
  });
  source.on('data', (chunk: Buffer) => {
    if (failed) return;
    try {
      bytes += chunk.length;
      if (bytes > maxBytes) throw new ApiError(413, `The part exceeds the maximum of ${maxBytes} bytes.`, { code: 'part_too_large', param: 'data' });
      if (bytes >= nextCheck) {
        disk.ensure(CHECK_EVERY_BYTES);
        nextCheck += CHECK_EVERY_BYTES;
      }
      onChunk?.(chunk);
      if (!out.write(chunk)) source.pause();
    } catch (e) {
      fail(e);
    }
  });
  // Resolves at the source's end; an error or a premature close (the request aborted) fails it.
  await new Promise<void>((resolve) =>
    finished(source, (e) => {
      if (e) failed ??= e;
      resolve();
    }),
  );
  if (!failed) {
    await new Promise<void>((resolve) => {
      out.once('close', () => resolve());
      out.end();
    });
  }
  if (failed) {
    // Wait for the descriptor to close: a still-pending open would re-create the file after rm.
    if (!out.closed) {
      const closed = new Promise<void>((r) => out.once('close', () => r()));
      out.destroy();
      await closed;
    }
    fs.rmSync(file, { force: true });
    if (isDiskFull(failed)) throw insufficientStorage(bytes, disk.freeBytes(), disk.reserveBytes);
    throw failed;
  }
  return bytes;
}

export async function receiveMultipart(req: IncomingMessage, opts: ReceiveOptions): Promise<MultipartResult> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(type)) throw invalidRequest('Expected a multipart/form-data body with a boundary', null);
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > 0) {
    try {
      opts.disk.ensure(length);
    } catch (e) {
      // Said before reading: the body is not wanted, so the connection closes after the answer.
      if (e instanceof ApiError) throw new ApiError(e.status, e.message, { code: e.code, param: e.param, headers: { connection: 'close' } });
      throw e;
    }
  }

  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      highWaterMark: STREAM_BUFFER_BYTES,
      fileHwm: STREAM_BUFFER_BYTES,
      limits: { fieldSize: MAX_FIELD_BYTES, fields: 50, files: 5, parts: 60 },
    });
  } catch (e) {
    throw invalidRequest(`Malformed multipart body: ${(e as Error).message}`);
  }
  const fields = new Map<string, string>();
  let file: Promise<ReceivedFile> | null = null;
  let parseError: unknown = null;

  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) parseError ??= invalidRequest(`Multipart field '${name}' exceeds ${MAX_FIELD_BYTES} bytes`, name);
    else if (!fields.has(name)) fields.set(name, value);
  });
  bb.on('file', (name, stream: Readable, info) => {
    if (name !== opts.fileField || file) {
      stream.resume();
      return;
    }
    const fieldsBefore: ReadonlyMap<string, string> = new Map(fields);
    file = streamToFile(stream, opts.tmpPath, opts.disk, opts.onChunk && ((c) => opts.onChunk!(c, fieldsBefore)), opts.maxFileBytes).then((bytes) => ({
      path: opts.tmpPath,
      bytes,
      filename: info.filename,
      fieldsBefore,
    }));
    // Rejections are awaited below; this keeps an early one from counting as unhandled.
    file.catch(() => {});
  });
  const done = new Promise<void>((resolve) => {
    bb.on('close', resolve);
    bb.on('error', (e: Error) => {
      parseError ??= invalidRequest(`Malformed multipart body: ${e.message}`);
      req.unpipe(bb);
      req.resume();
      resolve();
    });
    req.on('error', (e) => {
      // Nobody is left to read the answer; said plainly in case the socket is still open.
      parseError ??= invalidRequest(`The request body was cut off before its end (${e.message}).`, null, 'request_aborted');
      // The request was cut off: busboy will see no more bytes, so end its file stream with the
      // error (else the part's write would wait for the rest forever, holding its descriptor).
      bb.destroy(e);
      resolve();
    });
  });
  req.pipe(bb);
  await done;
  const received = file ? await (file as Promise<ReceivedFile>).catch((e: unknown) => ((parseError ??= e), null)) : null;
  if (parseError) {
    if (received) fs.rmSync(received.path, { force: true });
    throw parseError;
  }
  return { fields, file: received };
}
