// The Uploads API as the official `openai` SDK drives it (client.uploads.create, .parts.create,
// .complete, .cancel): parts in parallel and out of order, the File read back as its parts in
// the order given (never copied), the md5 and the size checked, a fine-tune File validated
// after completion like one from /v1/files, and the resulting File trainable like any other.
// Real HTTP, no mocks.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import OpenAI, { toFile, toStreamingFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LocalTrainer } from './server';
import { sampleExamples, toJsonl } from '../seed/examples';
import { assertMatchesSchema } from './testing/spec';
import { clientFor, startTestTrainer, waitForJob } from './testing/trainer';

let trainer: LocalTrainer;
let client: OpenAI;

// The SDK's Upload and UploadPart types (openai/resources/uploads); the spec copy has no Uploads paths.
const uploadShape = z
  .object({
    id: z.string().regex(/^upload_/),
    object: z.literal('upload'),
    bytes: z.number().int(),
    created_at: z.number().int(),
    expires_at: z.number().int(),
    filename: z.string(),
    purpose: z.string(),
    status: z.enum(['pending', 'completed', 'cancelled', 'expired']),
    file: z.unknown().nullable().optional(),
  })
  .strict();
const partShape = z.object({ id: z.string().regex(/^part_/), object: z.literal('upload.part'), created_at: z.number().int(), upload_id: z.string() }).strict();

async function apiError(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(e)}`);
  assertMatchesSchema('ErrorResponse', { error: e.error });
  return e;
}

/** Splits `data` into parts of `size` bytes, adds them in reverse order, two at a time. */
async function addParts(id: string, data: Buffer, size: number): Promise<string[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
  const ids: string[] = new Array(chunks.length);
  for (let i = chunks.length - 1; i >= 0; i -= 2) {
    await Promise.all(
      [i, i - 1]
        .filter((k) => k >= 0)
        .map(async (k) => {
          const part = await client.uploads.parts.create(id, { data: await toFile(chunks[k], `part-${k}`) });
          partShape.parse(part);
          expect(part.upload_id).toBe(id);
          ids[k] = part.id;
        }),
    );
  }
  return ids;
}

function slices(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

async function addPart(id: string, chunk: Buffer, name: string): Promise<string> {
  const part = await client.uploads.parts.create(id, { data: await toFile(chunk, name) });
  partShape.parse(part);
  return part.id;
}

/** Adds the parts in order, `inFlight` at a time (the Studio sends two), like openai-protocol.ts. */
async function addPartsInOrder(id: string, data: Buffer, size: number, inFlight: number): Promise<string[]> {
  const chunks = slices(data, size);
  const ids: string[] = new Array(chunks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < chunks.length) {
        const k = next++;
        ids[k] = await addPart(id, chunks[k], `part-${k}`);
      }
    }),
  );
  return ids;
}

/** A part request cut off by the client after `sent` bytes of `chunk` (the server drops what came). */
async function abortedPart(id: string, chunk: Buffer, sent: number): Promise<void> {
  const abort = new AbortController();
  let more!: () => void;
  const stalled = new Promise<void>((resolve) => (more = resolve));
  async function* body() {
    yield chunk.subarray(0, sent);
    setTimeout(() => abort.abort(), 50);
    await stalled;
    yield chunk.subarray(sent);
  }
  const call = client.uploads.parts.create(id, { data: await toStreamingFile(body(), 'cut') }, { signal: abort.signal });
  await expect(call).rejects.toThrow();
  more();
}

const md5Of = (data: Buffer) => createHash('md5').update(data).digest('hex');

/** Overwrites a stored part's first byte (same length): what a read of the parts would see. */
function tamper(uploadId: string, partId: string): void {
  const file = path.join(trainer.dataDir, 'uploads', uploadId, partId);
  const fd = fs.openSync(file, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, 0);
  fs.writeSync(fd, Buffer.from([b[0] ^ 1]), 0, 1, 0);
  fs.closeSync(fd);
}

async function readBack(fileId: string): Promise<Buffer> {
  return Buffer.from(await (await client.files.content(fileId)).arrayBuffer());
}

beforeAll(async () => {
  trainer = await startTestTrainer();
  client = clientFor(trainer);
});
afterAll(async () => {
  await trainer.close();
});

describe('uploads', () => {
  it('makes the parts, in the order given, a File that reads back whole and trains', async () => {
    const data = Buffer.from(toJsonl(sampleExamples(120, 31)));
    const upload = await client.uploads.create({ bytes: data.length, filename: 'big.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
    uploadShape.parse(upload);
    expect(upload).toMatchObject({ status: 'pending', bytes: data.length, filename: 'big.jsonl', purpose: 'fine-tune' });
    expect(upload.expires_at - upload.created_at).toBe(3600);

    const ids = await addParts(upload.id, data, 20_000);
    expect(ids.length).toBeGreaterThan(3);
    const md5 = createHash('md5').update(data).digest('hex');
    const done = await client.uploads.complete(upload.id, { part_ids: ids, md5 });
    uploadShape.parse(done);
    expect(done.status).toBe('completed');
    assertMatchesSchema('OpenAIFile', done.file);
    expect(done.file).toMatchObject({ object: 'file', bytes: data.length, filename: 'big.jsonl', purpose: 'fine-tune', status: 'processed' });
    expect(Buffer.from(await (await client.files.content(done.file!.id)).arrayBuffer()).equals(data)).toBe(true);
    // The parts moved into the File (not copied): none left with the Upload, one segment each.
    expect(fs.readdirSync(path.join(trainer.dataDir, 'uploads', upload.id))).toEqual(['upload.json']);
    expect(fs.readdirSync(path.join(trainer.dataDir, 'files', `${done.file!.id}.parts`)).length).toBe(ids.length);

    const job = await client.fineTuning.jobs.create({ model: 'local-base', training_file: done.file!.id, seed: 3 });
    expect((await waitForJob(client, job.id)).status).toBe('succeeded');

    // Completed is final: no more parts, no second completion.
    const again = await apiError(client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from('x'), 'p') }));
    expect(again.status).toBe(400);
    expect(again.message).toMatch(/is completed/);
  });

  describe('the md5 taken as the parts land', () => {
    it('parts sent one at a time in order: completing does not read them again', async () => {
      const data = Buffer.from(toJsonl(sampleExamples(60, 41)));
      const upload = await client.uploads.create({ bytes: data.length, filename: 'seq.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
      const ids = await addPartsInOrder(upload.id, data, 7_000, 1);
      expect(ids.length).toBeGreaterThan(3);
      const wrong = await apiError(client.uploads.complete(upload.id, { part_ids: ids, md5: md5Of(Buffer.from('x')) }));
      expect([wrong.status, wrong.code]).toEqual([400, 'md5_mismatch']);
      // The md5 is the one of the bytes as they arrived: a change to a stored part afterwards is
      // not seen (the out-of-order case below reads the parts, and sees it).
      tamper(upload.id, ids[1]);
      const done = await client.uploads.complete(upload.id, { part_ids: ids, md5: md5Of(data) });
      expect(done.status).toBe('completed');
      expect(done.file).toMatchObject({ bytes: data.length });
    });

    it('parts two in flight in order (as the Studio sends them): the same File and md5', async () => {
      const data = Buffer.from(toJsonl(sampleExamples(60, 42)));
      const upload = await client.uploads.create({ bytes: data.length, filename: 'two.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
      const ids = await addPartsInOrder(upload.id, data, 5_000, 2);
      const wrong = await apiError(client.uploads.complete(upload.id, { part_ids: ids, md5: 'f'.repeat(32) }));
      expect(wrong.code).toBe('md5_mismatch');
      const done = await client.uploads.complete(upload.id, { part_ids: ids, md5: md5Of(data).toUpperCase() });
      expect(done.file).toMatchObject({ bytes: data.length, status: 'processed' });
      expect((await readBack(done.file!.id)).equals(data)).toBe(true);
    });

    it('parts out of order: the md5 is read from the parts, in the order listed', async () => {
      const data = Buffer.from(toJsonl(sampleExamples(30, 43)));
      const upload = await client.uploads.create({ bytes: data.length, filename: 'rev.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
      const ids = await addParts(upload.id, data, 4096);
      tamper(upload.id, ids[0]);
      const seen = await apiError(client.uploads.complete(upload.id, { part_ids: ids, md5: md5Of(data) }));
      expect([seen.status, seen.code]).toEqual([400, 'md5_mismatch']);
      tamper(upload.id, ids[0]);
      const done = await client.uploads.complete(upload.id, { part_ids: ids, md5: md5Of(data) });
      expect(done.file).toMatchObject({ bytes: data.length, status: 'processed' });
      expect((await readBack(done.file!.id)).equals(data)).toBe(true);
    });

    it('a part cut off and sent again, and a part refused after streaming in: the same File and md5', async () => {
      const data = Buffer.from(toJsonl(sampleExamples(60, 44)));
      const chunks = slices(data, 9_000);
      expect(chunks.length).toBeGreaterThan(3);
      const upload = await client.uploads.create({ bytes: data.length, filename: 'retry.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
      const ids = [await addPart(upload.id, chunks[0], 'p0')];
      // Part 1 is cut off halfway (its bytes were going into the running md5), then sent again.
      await abortedPart(upload.id, chunks[1], 4_000);
      ids.push(await addPart(upload.id, chunks[1], 'p1'));
      // A part over the Upload's size streams in whole before it is refused.
      const over = await apiError(client.uploads.parts.create(upload.id, { data: await toFile(data, 'too big') }));
      expect(over.code).toBe('upload_size_exceeded');
      for (let k = 2; k < chunks.length; k++) ids.push(await addPart(upload.id, chunks[k], `p${k}`));
      // Neither left a trace in the md5 taken as the parts landed (completing reads no part).
      tamper(upload.id, ids[2]);
      const done = await client.uploads.complete(upload.id, { part_ids: ids, md5: md5Of(data) });
      expect(done.file).toMatchObject({ bytes: data.length });
    });
  });

  it('refuses a wrong md5, a wrong total and unknown parts, and keeps the Upload pending', async () => {
    const data = Buffer.from(toJsonl(sampleExamples(12, 32)));
    const upload = await client.uploads.create({ bytes: data.length, filename: 'x.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
    const ids = await addParts(upload.id, data, 4096);

    const md5 = await apiError(client.uploads.complete(upload.id, { part_ids: ids, md5: 'f'.repeat(32) }));
    expect([md5.status, md5.code, md5.param]).toEqual([400, 'md5_mismatch', 'md5']);
    const short = await apiError(client.uploads.complete(upload.id, { part_ids: ids.slice(1) }));
    expect([short.status, short.code]).toEqual([400, 'upload_size_mismatch']);
    const unknown = await apiError(client.uploads.complete(upload.id, { part_ids: [...ids.slice(1), 'part_nope'] }));
    expect(unknown.code).toBe('invalid_part_id');
    expect((await client.files.list()).data.filter((f) => f.filename === 'x.jsonl')).toEqual([]);

    // Still pending: the right order completes.
    expect((await client.uploads.complete(upload.id, { part_ids: ids })).status).toBe('completed');
  });

  it('completes parts in the wrong order into a File marked error naming the line, and a job on it fails with that message', async () => {
    const data = Buffer.from(toJsonl(sampleExamples(12, 33)));
    const upload = await client.uploads.create({ bytes: data.length, filename: 'shuffled.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
    const ids = await addParts(upload.id, data, 4096);
    // Out of order, the bytes are no longer JSONL: validated after completion like any fine-tune file.
    const done = await client.uploads.complete(upload.id, { part_ids: [...ids].reverse() });
    expect(done.status).toBe('completed');
    assertMatchesSchema('OpenAIFile', done.file);
    expect(done.file).toMatchObject({ status: 'error', bytes: data.length });
    expect(done.file!.status_details).toMatch(/line \d+: not valid JSON/);
    const job = await client.fineTuning.jobs.create({ model: 'local-base', training_file: done.file!.id });
    const failed = await waitForJob(client, job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'invalid_training_file', param: 'training_file' });
    expect(failed.error!.message).toMatch(/line \d+: not valid JSON/);
  });

  it('cancels: the parts are dropped and nothing more is accepted', async () => {
    const upload = await client.uploads.create({ bytes: 10, filename: 'c.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
    await client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from('0123'), 'p') });
    const over = await apiError(client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from('0123456789'), 'p') }));
    expect([over.status, over.code]).toEqual([400, 'upload_size_exceeded']);
    const cancelled = await client.uploads.cancel(upload.id);
    uploadShape.parse(cancelled);
    expect(cancelled.status).toBe('cancelled');
    expect(fs.readdirSync(path.join(trainer.dataDir, 'uploads', upload.id))).toEqual(['upload.json']);
    const late = await apiError(client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from('x'), 'p') }));
    expect(late.message).toMatch(/is cancelled/);
    expect((await apiError(client.uploads.cancel('upload_missing'))).status).toBe(404);
  });

  it('checks the request: purpose, a .jsonl name for fine-tune, the size, and the disk', async () => {
    const badPurpose = await apiError(client.uploads.create({ bytes: 1, filename: 'a.jsonl', mime_type: 'text/jsonl', purpose: 'nope' as 'batch' }));
    expect(badPurpose.param).toBe('purpose');
    const csv = await apiError(client.uploads.create({ bytes: 1, filename: 'a.csv', mime_type: 'text/csv', purpose: 'fine-tune' }));
    expect(csv.code).toBe('invalid_file_format');
    const huge = await apiError(client.uploads.create({ bytes: 9 * 1024 ** 3, filename: 'a.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' }));
    expect(huge.param).toBe('bytes');
    // More than the free disk (the parts become the File: its size once): refused before any byte is sent.
    const free = fs.statfsSync(trainer.dataDir);
    const tooBig = Math.min(8 * 1024 ** 3, free.bavail * free.bsize + 1);
    if (tooBig > free.bavail * free.bsize) {
      const full = await apiError(client.uploads.create({ bytes: tooBig, filename: 'a.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' }));
      expect([full.status, full.code]).toEqual([413, 'insufficient_storage']);
    }
  });
});
