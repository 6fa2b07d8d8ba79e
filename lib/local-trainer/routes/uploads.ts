// The Uploads API (/v1/uploads), OpenAI's way to send a file larger than one request: create an
// Upload with the total size, add Parts of at most 64 MB (in parallel, in any order), then
// complete it with the Parts' order — the Parts become the File (moved, not copied), after the
// size and, when given, the md5 are checked; a fine-tune File is then validated as one from
// /v1/files is. Parts stream to disk; nothing is held in memory. The md5 is kept as the parts
// land (upload-md5.ts). An Upload expires an hour after it is created.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import type { Deps } from '../deps';
import { ApiError, invalidRequest, notFound } from '../errors';
import { readJson, sendJson } from '../http';
import { newPartId, newUploadId, nowSeconds } from '../ids';
import type { RequestContext, Router } from '../router';
import type { UploadRecord } from '../types';
import { readSegments } from '../jsonl-lines';
import { receiveMultipart } from '../upload-stream';
import { RunningMd5 } from '../upload-md5';
import { parseWith } from '../zod-errors';
import { afterFileLanded, checkExpiresAfter, checkFineTuneFilename, checkPurpose, newFileObject } from './files';

export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;
export const MAX_PART_BYTES = 64 * 1024 * 1024;
const UPLOAD_TTL_SECONDS = 3600;

const createSchema = z
  .object({
    bytes: z.number().int().positive().max(MAX_UPLOAD_BYTES),
    filename: z.string().min(1).max(512),
    mime_type: z.string().min(1),
    purpose: z.string(),
    expires_after: z
      .object({ anchor: z.literal('created_at'), seconds: z.number().int() })
      .strict()
      .optional(),
  })
  .strict();

const completeSchema = z.object({ part_ids: z.array(z.string().min(1)).min(1), md5: z.string().min(1).optional() }).strict();

/** Uploads being completed right now: a second complete (or a late part) must not interleave. */
const completing = new Set<string>();
/** Each pending Upload's md5 so far (in memory: after a restart, `complete` reads the parts). */
const runningMd5 = new WeakMap<UploadRecord, RunningMd5>();

function md5State(rec: UploadRecord): RunningMd5 {
  let state = runningMd5.get(rec);
  if (!state) runningMd5.set(rec, (state = new RunningMd5()));
  return state;
}

/** The Upload is completed, cancelled or expired: its running md5 is of no more use. */
function forgetMd5(rec: UploadRecord): void {
  runningMd5.get(rec)?.dispose();
  runningMd5.delete(rec);
}

function uploadOr404(deps: Deps, id: string): UploadRecord {
  const rec = deps.store.getUpload(id);
  if (!rec) throw notFound(`No such Upload object: ${id}`, 'upload_id');
  if (rec.upload.status === 'pending' && nowSeconds() >= rec.upload.expires_at) {
    rec.upload.status = 'expired';
    forgetMd5(rec);
    deps.store.dropParts(rec);
    deps.store.saveUpload(rec);
  }
  return rec;
}

function pendingOr400(rec: UploadRecord): void {
  if (rec.upload.status !== 'pending')
    throw invalidRequest(
      `Upload ${rec.upload.id} is ${rec.upload.status}; only a pending Upload accepts parts or can be completed.`,
      'upload_id',
      'upload_not_pending',
    );
  if (completing.has(rec.upload.id)) throw new ApiError(409, `Upload ${rec.upload.id} is being completed.`, { param: 'upload_id', code: 'upload_completing' });
}

async function create({ req, res }: RequestContext, deps: Deps): Promise<void> {
  const body = await readJson(req);
  const p = parseWith(createSchema, body);
  const purpose = checkPurpose(p.purpose);
  checkFineTuneFilename(purpose, p.filename);
  const expiresAfter = checkExpiresAfter(p.expires_after?.seconds);
  // The parts become the File, so the Upload needs its size free once.
  deps.disk.ensure(p.bytes);
  const created = nowSeconds();
  const rec: UploadRecord = {
    upload: {
      id: newUploadId(),
      object: 'upload',
      bytes: p.bytes,
      created_at: created,
      expires_at: created + UPLOAD_TTL_SECONDS,
      filename: p.filename,
      purpose,
      status: 'pending',
      file: null,
    },
    mimeType: p.mime_type,
    fileExpiresAfter: expiresAfter,
    parts: [],
    partBytes: 0,
  };
  deps.store.saveUpload(rec);
  sendJson(res, 200, rec.upload);
}

async function addPart({ req, res, params }: RequestContext, deps: Deps): Promise<void> {
  const rec = uploadOr404(deps, params.id);
  pendingOr400(rec);
  const id = newPartId();
  const md5 = md5State(rec).part();
  let landed = false;
  let bytes = 0;
  try {
    const { file } = await deps.validations.receiving(() =>
      receiveMultipart(req, { fileField: 'data', tmpPath: deps.store.tmpPath(), disk: deps.disk, maxFileBytes: MAX_PART_BYTES, onChunk: md5.onChunk }),
    );
    if (!file) throw invalidRequest("Missing required parameter: 'data'.", 'data', 'missing_required_parameter');
    try {
      // The Upload may have been cancelled, completed or expired while the part streamed in.
      pendingOr400(uploadOr404(deps, params.id));
      if (rec.partBytes + file.bytes > rec.upload.bytes)
        throw invalidRequest(
          `Adding this part (${file.bytes} bytes) would exceed the ${rec.upload.bytes} bytes the Upload was created for (${rec.partBytes} already added).`,
          'data',
          'upload_size_exceeded',
        );
      fs.renameSync(file.path, deps.store.partPath(rec.upload.id, id));
    } catch (e) {
      fs.rmSync(file.path, { force: true });
      throw e;
    }
    bytes = file.bytes;
    landed = true;
  } finally {
    if (landed) md5.landed(id, deps.store.partPath(rec.upload.id, id));
    else md5.dropped();
  }
  const part = { id, bytes, created_at: nowSeconds() };
  rec.parts.push(part);
  rec.partBytes += bytes;
  deps.store.saveUpload(rec);
  sendJson(res, 200, { id, object: 'upload.part', created_at: part.created_at, upload_id: rec.upload.id });
}

async function complete({ req, res, params }: RequestContext, deps: Deps): Promise<void> {
  const body = await readJson(req);
  const p = parseWith(completeSchema, body);
  const rec = uploadOr404(deps, params.id);
  pendingOr400(rec);
  const byId = new Map(rec.parts.map((part) => [part.id, part]));
  const seen = new Set<string>();
  for (const id of p.part_ids) {
    if (!byId.has(id)) throw invalidRequest(`Part ${id} is not a part of Upload ${rec.upload.id}.`, 'part_ids', 'invalid_part_id');
    if (seen.has(id)) throw invalidRequest(`Part ${id} is listed more than once.`, 'part_ids', 'duplicate_part_id');
    seen.add(id);
  }
  const total = p.part_ids.reduce((s, id) => s + byId.get(id)!.bytes, 0);
  if (total !== rec.upload.bytes)
    throw invalidRequest(`The parts listed hold ${total} bytes, but the Upload was created for ${rec.upload.bytes} bytes.`, 'part_ids', 'upload_size_mismatch');

  completing.add(rec.upload.id);
  try {
    const parts = p.part_ids.map((id) => deps.store.partPath(rec.upload.id, id));
    // The md5 as the parts landed, when they landed in the order listed; else one read of the
    // parts (page cache, not the network). Only when the client asks for the check.
    if (p.md5 !== undefined) {
      const digest = (await md5State(rec).digestOf(p.part_ids)) ?? (await md5OfFiles(parts));
      if (p.md5.toLowerCase() !== digest)
        throw invalidRequest(`The md5 of the uploaded bytes (${digest}) does not match the md5 given (${p.md5}).`, 'md5', 'md5_mismatch');
    }
    const file = newFileObject({ filename: rec.upload.filename, purpose: rec.upload.purpose, bytes: total, expiresAfter: rec.fileExpiresAfter });
    deps.store.addFileFromParts({ file, seq: deps.store.nextSeq() }, parts);
    // Parts not listed in part_ids are not part of the File.
    rec.parts = rec.parts.filter((part) => !seen.has(part.id));
    deps.store.dropParts(rec);
    rec.upload.status = 'completed';
    forgetMd5(rec);
    rec.upload.file = await afterFileLanded(deps, file);
    deps.store.saveUpload(rec);
    sendJson(res, 200, rec.upload);
  } finally {
    completing.delete(rec.upload.id);
  }
}

async function md5OfFiles(files: readonly string[]): Promise<string> {
  const md5 = createHash('md5');
  for await (const chunk of readSegments(files)) md5.update(chunk);
  return md5.digest('hex');
}

async function cancel({ res, params }: RequestContext, deps: Deps): Promise<void> {
  const rec = uploadOr404(deps, params.id);
  pendingOr400(rec);
  deps.store.dropParts(rec);
  forgetMd5(rec);
  rec.upload.status = 'cancelled';
  deps.store.saveUpload(rec);
  sendJson(res, 200, rec.upload);
}

export function uploadRoutes(r: Router<Deps>): void {
  r.add('POST', '/v1/uploads', create)
    .add('POST', '/v1/uploads/{id}/parts', addPart)
    .add('POST', '/v1/uploads/{id}/complete', complete)
    .add('POST', '/v1/uploads/{id}/cancel', cancel);
}
