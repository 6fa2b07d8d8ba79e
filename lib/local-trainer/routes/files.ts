// /v1/files: upload (multipart, streamed to disk), list, retrieve, delete, download. A
// `fine-tune` upload is validated line by line as it arrives (validate-jsonl.ts) and stored
// only if every line passes.
import fs from 'node:fs';
import type { Deps } from '../deps';
import { invalidRequest, notFound } from '../errors';
import { sendJson } from '../http';
import { newFileId, nowSeconds } from '../ids';
import { parseLimit } from '../pagination';
import type { Router, RequestContext } from '../router';
import type { FileRecord, OpenAIFile } from '../types';
import { receiveMultipart } from '../upload-stream';
import { FineTuneValidator, type FineTuneFileStats } from '../validate-jsonl';

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

/** Stores bytes already on disk at `tmp` as a processed File. */
export function fileFromTemp(
  deps: Deps,
  tmp: string,
  f: { filename: string; purpose: string; bytes: number; stats?: FineTuneFileStats; expiresAfter?: number },
): OpenAIFile {
  const created = nowSeconds();
  const file: OpenAIFile = {
    id: newFileId(),
    object: 'file',
    bytes: f.bytes,
    created_at: created,
    filename: f.filename,
    purpose: f.purpose,
    status: 'processed',
  };
  if (f.expiresAfter !== undefined) file.expires_at = created + f.expiresAfter;
  deps.store.addFileFromTemp({ file, seq: deps.store.nextSeq(), stats: f.stats }, tmp);
  return file;
}

async function upload({ req, res }: RequestContext, deps: Deps): Promise<void> {
  // The file is validated while it streams to disk. The SDK sends `file` before `purpose`, so
  // a .jsonl part is validated on the chance that it is a fine-tune upload; the verdict is used
  // only if it is.
  let validator: FineTuneValidator | null = null;
  let decided = false;
  const tmp = deps.store.tmpPath();
  const { fields, file } = await receiveMultipart(req, {
    fileField: 'file',
    tmpPath: tmp,
    disk: deps.disk,
    onChunk: (chunk, fieldsBefore) => {
      if (!decided) {
        decided = true;
        const wants = fieldsBefore.has('purpose') ? fieldsBefore.get('purpose') === 'fine-tune' : true;
        if (wants) validator = new FineTuneValidator();
      }
      validator?.push(chunk);
    },
  });
  try {
    if (!file) throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    const purpose = checkPurpose(fields.get('purpose'));
    const filename = file.filename ?? 'upload';
    const expiresAfter = checkExpiresAfter(fields.get('expires_after[seconds]'));
    let stats: FineTuneFileStats | undefined;
    if (purpose === 'fine-tune') {
      checkFineTuneFilename(purpose, filename);
      stats = (validator ?? new FineTuneValidator()).finish();
    }
    sendJson(res, 200, fileFromTemp(deps, file.path, { filename, purpose, bytes: file.bytes, stats, expiresAfter }));
  } catch (e) {
    if (file) fs.rmSync(file.path, { force: true });
    throw e;
  }
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
  const file = deps.store.fileDataPath(rec.file.id);
  const type = rec.file.filename.endsWith('.csv') ? 'text/csv' : rec.file.filename.endsWith('.jsonl') ? 'application/jsonl' : 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-length': fs.statSync(file).size });
  await new Promise<void>((resolve, reject) => fs.createReadStream(file).on('error', reject).pipe(res).on('finish', resolve).on('error', reject));
}

export function fileRoutes(r: Router<Deps>): void {
  r.add('POST', '/v1/files', upload)
    .add('GET', '/v1/files', list)
    .add('GET', '/v1/files/{id}', retrieve)
    .add('DELETE', '/v1/files/{id}', remove)
    .add('GET', '/v1/files/{id}/content', content);
}
