// /v1/files: upload (multipart, streamed to disk), list, retrieve, delete, download. The upload
// only writes the bytes (at disk speed); a `fine-tune` File is then validated line by line as
// OpenAI does it — status `uploaded`, then `processed` or `error` with `status_details` — and a
// job on a bad file fails with that message (file-validation.ts).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../deps';
import { invalidRequest, notFound } from '../errors';
import { SYNC_VALIDATE_BYTES } from '../file-validation';
import { sendJson } from '../http';
import { newFileId, nowSeconds } from '../ids';
import { parseLimit } from '../pagination';
import type { Router, RequestContext } from '../router';
import type { FileRecord, OpenAIFile } from '../types';
import { readSegments } from '../jsonl-lines';
import { receiveMultipart } from '../upload-stream';

export const UPLOAD_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

export function fileOr404(deps: Deps, id: string): FileRecord {
  const rec = deps.store.getFile(id);
  if (!rec) throw notFound(`No such File object: ${id}`, 'id');
  return rec;
}

export function checkPurpose(purpose: string | undefined): string {
  if (!purpose) throw invalidRequest("Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
  if (!UPLOAD_PURPOSES.includes(purpose))
    throw invalidRequest(`Invalid 'purpose': ${JSON.stringify(purpose)}. Expected one of ${UPLOAD_PURPOSES.join(', ')}.`, 'purpose', 'invalid_value');
  return purpose;
}

export function checkFineTuneFilename(purpose: string, filename: string): void {
  if (purpose === 'fine-tune' && !filename.toLowerCase().endsWith('.jsonl'))
    throw invalidRequest('Invalid file format for Fine-Tuning API. Must be .jsonl', 'file', 'invalid_file_format');
}

export function checkExpiresAfter(seconds: unknown): number | undefined {
  if (seconds === undefined) return undefined;
  const s = Number(seconds);
  if (!Number.isInteger(s) || s < 3600 || s > 2_592_000)
    throw invalidRequest("Invalid 'expires_after.seconds': expected an integer from 3600 to 2592000.", 'expires_after.seconds', 'invalid_value');
  return s;
}

/** A new File's object: a `fine-tune` one starts `uploaded` (not yet validated), any other is `processed`. */
export function newFileObject(f: { filename: string; purpose: string; bytes: number; expiresAfter?: number }): OpenAIFile {
  const created = nowSeconds();
  const file: OpenAIFile = {
    id: newFileId(),
    object: 'file',
    bytes: f.bytes,
    created_at: created,
    filename: f.filename,
    purpose: f.purpose,
    status: f.purpose === 'fine-tune' ? 'uploaded' : 'processed',
  };
  if (f.expiresAfter !== undefined) file.expires_at = created + f.expiresAfter;
  return file;
}

/** Starts a new File's validation; a small one is answered with its verdict (see file-validation.ts). */
export async function afterFileLanded(deps: Deps, file: OpenAIFile): Promise<OpenAIFile> {
  if (file.status !== 'uploaded') return file;
  const checked = deps.validations.settled(file.id);
  if (file.bytes <= SYNC_VALIDATE_BYTES) await checked;
  return { ...file };
}

async function upload({ req, res }: RequestContext, deps: Deps): Promise<void> {
  // Only the bytes are written here: no per-line work while receiving, so the upload runs at
  // the speed of the disk. Validation follows once the File exists.
  const { fields, file } = await deps.validations.receiving(() => receiveMultipart(req, { fileField: 'file', tmpPath: deps.store.tmpPath(), disk: deps.disk }));
  let stored: OpenAIFile;
  try {
    if (!file) throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    const purpose = checkPurpose(fields.get('purpose'));
    const filename = file.filename ?? 'upload';
    const expiresAfter = checkExpiresAfter(fields.get('expires_after[seconds]'));
    checkFineTuneFilename(purpose, filename);
    stored = newFileObject({ filename, purpose, bytes: file.bytes, expiresAfter });
    deps.store.addFileFromTemp({ file: stored, seq: deps.store.nextSeq() }, file.path);
  } catch (e) {
    if (file) fs.rmSync(file.path, { force: true });
    throw e;
  }
  sendJson(res, 200, await afterFileLanded(deps, stored));
}

async function list({ res, url }: RequestContext, deps: Deps): Promise<void> {
  const purpose = url.searchParams.get('purpose');
  const order = url.searchParams.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest("Invalid 'order': expected asc or desc.", 'order', 'invalid_value');
  const limit = parseLimit(url, 10_000, 10_000);
  let items = deps.store.listFiles().filter((r) => !purpose || r.file.purpose === purpose);
  if (order === 'desc') items = items.reverse();
  const after = url.searchParams.get('after');
  let start = 0;
  if (after) {
    const i = items.findIndex((r) => r.file.id === after);
    if (i === -1) throw invalidRequest(`Invalid 'after': no file with id ${after} in this list.`, 'after');
    start = i + 1;
  }
  const data = items.slice(start, start + limit).map((r) => r.file);
  // The spec types first_id/last_id as plain strings (not nullable): an empty page gets "".
  sendJson(res, 200, { object: 'list', data, first_id: data[0]?.id ?? '', last_id: data.at(-1)?.id ?? '', has_more: start + limit < items.length });
}

async function retrieve({ res, params }: RequestContext, deps: Deps): Promise<void> {
  sendJson(res, 200, fileOr404(deps, params.id).file);
}

async function remove({ res, params }: RequestContext, deps: Deps): Promise<void> {
  fileOr404(deps, params.id);
  deps.store.deleteFile(params.id);
  sendJson(res, 200, { id: params.id, object: 'file', deleted: true });
}

async function content({ res, params }: RequestContext, deps: Deps): Promise<void> {
  const rec = fileOr404(deps, params.id);
  const files = deps.store.fileDataPaths(rec.file.id);
  const type = rec.file.filename.endsWith('.csv') ? 'text/csv' : rec.file.filename.endsWith('.jsonl') ? 'application/jsonl' : 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-length': files.reduce((n, f) => n + fs.statSync(f).size, 0) });
  // One file, or an Upload's parts one after the other (pipeline: backpressure, and errors end the response).
  await pipeline(Readable.from(readSegments(files)), res);
}

export function fileRoutes(r: Router<Deps>): void {
  r.add('POST', '/v1/files', upload)
    .add('GET', '/v1/files', list)
    .add('GET', '/v1/files/{id}', retrieve)
    .add('DELETE', '/v1/files/{id}', remove)
    .add('GET', '/v1/files/{id}/content', content);
}
