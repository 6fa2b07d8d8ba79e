// /v1/files: upload (multipart), list, retrieve, delete, download. A `fine-tune` upload is
// validated line by line before it is stored (validate-jsonl.ts).
import fs from 'node:fs';
import type { Deps } from '../deps';
import { invalidRequest, notFound } from '../errors';
import { MAX_UPLOAD_BYTES, readBody, sendJson } from '../http';
import { newFileId, nowSeconds } from '../ids';
import { boundaryOf, parseMultipart } from '../multipart';
import { parseLimit } from '../pagination';
import type { Router, RequestContext } from '../router';
import type { FileRecord, OpenAIFile } from '../types';
import { validateFineTuneJsonl, type FineTuneFileStats } from '../validate-jsonl';

const UPLOAD_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

export function fileOr404(deps: Deps, id: string): FileRecord {
  const rec = deps.store.getFile(id);
  if (!rec) throw notFound(`No such File object: ${id}`, 'id');
  return rec;
}

async function upload({ req, res }: RequestContext, deps: Deps): Promise<void> {
  const boundary = boundaryOf(req.headers['content-type']);
  const parts = parseMultipart(await readBody(req, MAX_UPLOAD_BYTES), boundary);
  const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
  const filePart = parts.find((p) => p.name === 'file');
  if (!filePart) throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  const purpose = field('purpose');
  if (!purpose) throw invalidRequest("Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
  if (!UPLOAD_PURPOSES.includes(purpose))
    throw invalidRequest(`Invalid 'purpose': ${JSON.stringify(purpose)}. Expected one of ${UPLOAD_PURPOSES.join(', ')}.`, 'purpose', 'invalid_value');
  const filename = filePart.filename ?? 'upload';

  let stats: FineTuneFileStats | undefined;
  if (purpose === 'fine-tune') {
    if (!filename.toLowerCase().endsWith('.jsonl'))
      throw invalidRequest('Invalid file format for Fine-Tuning API. Must be .jsonl', 'file', 'invalid_file_format');
    stats = await validateFineTuneJsonl(filePart.data);
  }

  const created = nowSeconds();
  const file: OpenAIFile = { id: newFileId(), object: 'file', bytes: filePart.data.length, created_at: created, filename, purpose, status: 'processed' };
  const seconds = field('expires_after[seconds]');
  if (seconds !== undefined) {
    const s = Number(seconds);
    if (!Number.isInteger(s) || s < 3600 || s > 2_592_000)
      throw invalidRequest("Invalid 'expires_after.seconds': expected an integer from 3600 to 2592000.", 'expires_after.seconds', 'invalid_value');
    file.expires_at = created + s;
  }
  await deps.store.addFile({ file, seq: deps.store.nextSeq(), stats }, filePart.data);
  sendJson(res, 200, file);
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
