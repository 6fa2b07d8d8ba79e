import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../db';
import { ForbiddenError, NotFoundError, PayloadTooLargeError } from '../../errors';
import { stopQueue } from '../../jobs/queue';
import { resetDatabase, snapshotDatabase } from '../../testing/db-snapshot';
import type { Actor } from '../../auth/session';
import { createImportUpload } from './create-upload';
import { storeImportChunk } from './store-chunk';
import { startUploadImport } from './start-import';
import { runUploadImport } from './run-upload-import';
import { getImportUpload } from './get-upload';

const admin: Actor = { id: 'u-admin', email: 'admin@test', name: 'Admin', role: 'admin' };
const lead: Actor = { id: 'u-lead', email: 'lead@test', name: 'Lead', role: 'ml_lead' };
const reviewer: Actor = { id: 'u-rev', email: 'rev@test', name: 'Rev', role: 'reviewer' };

async function* body(...parts: (string | Buffer)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

/** Uploads `content` in chunks of `size` bytes, as the page does. */
async function upload(actor: Actor, name: string, content: string, size = 16) {
  const bytes = Buffer.from(content);
  const { id } = await createImportUpload(actor, { fileName: name, size: bytes.length });
  let last;
  for (let seq = 0, at = 0; at < bytes.length; seq++, at += size) last = await storeImportChunk(actor, id, seq, body(bytes.subarray(at, at + size)));
  return { id, last: last! };
}

const counts = async () => ({
  uploads: await db().importUpload.count(),
  chunks: await db().importUploadChunk.count(),
  conversations: await db().conversation.count(),
  messages: await db().message.count(),
  labels: await db().label.count(),
});

beforeEach(async () => {
  await resetDatabase();
  for (const a of [admin, lead, reviewer]) await db().user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
});
afterAll(async () => {
  await stopQueue();
});

describe('browser import: chunked upload to the database, then the worker’s import', () => {
  it('a CSV upload offers its columns, imports with a mapping and drops its bytes', async () => {
    const csv = 'thread,from,body,when\nw-1,recruiter,"Hi, still interested?",2026-10-01T10:00:00Z\nw-1,candidate,yes,2026-10-01T10:05:00Z\n';
    const { id, last } = await upload(lead, 'team.csv', csv);
    expect(last).toMatchObject({ complete: true, csvColumns: ['thread', 'from', 'body', 'when'] });
    expect(last.suggestedMapping).toEqual({ conversation_id: 'thread', sender: 'from', text: 'body', sent_at: 'when' });
    expect(await db().importUploadChunk.count({ where: { uploadId: id } })).toBe(Math.ceil(Buffer.byteLength(csv) / 16));

    await startUploadImport(lead, { uploadId: id, mapping: last.suggestedMapping! });
    expect((await getImportUpload(lead, id)).status).toBe('queued');
    await runUploadImport(id);
    const done = await getImportUpload(lead, id);
    expect(done).toMatchObject({ status: 'succeeded', issueCount: 0, processedBytes: Buffer.byteLength(csv) });
    expect(done.summary).toEqual({ conversations: 1, messages: 2, labels: 0, created: 1, updated: 0 });
    expect(await db().importUploadChunk.count()).toBe(0);
    expect(await db().conversation.findUnique({ where: { externalId: 'w-1' }, select: { _count: { select: { messages: true } } } })).toEqual({
      _count: { messages: 2 },
    });
  });

  it('a bad CSV lists every problem with its line and column and writes nothing; a new mapping can fix it', async () => {
    const csv = 'thread,from,body\nb-1,recruiter,hello\nb-1,bot,beep\nb-1,candidate,\n';
    const { id } = await upload(admin, 'bad.csv', csv);
    const before = await snapshotDatabase();
    await startUploadImport(admin, { uploadId: id, mapping: { conversation_id: 'thread', sender: 'from', text: 'body' } });
    await runUploadImport(id);
    const failed = await getImportUpload(admin, id);
    expect(failed.status).toBe('failed');
    expect(failed.issueCount).toBe(2);
    expect(failed.issues).toEqual([
      { line: 3, path: 'from (sender)', message: 'sender must be "recruiter" or "candidate"' },
      { line: 4, path: 'body (text)', message: 'text is empty' },
    ]);
    expect(await snapshotDatabase()).toEqual(before);

    // A mapping that names a column the file does not have: one problem, at the header.
    await startUploadImport(admin, { uploadId: id, mapping: { conversation_id: 'thread', sender: 'sender', text: 'body' } });
    await runUploadImport(id);
    expect((await getImportUpload(admin, id)).issues).toEqual([
      { line: 1, path: 'header', message: 'no column "sender" (mapped to sender); the header\'s columns are "thread", "from", "body"' },
    ]);
    expect(await snapshotDatabase()).toEqual(before);
  });

  it('a JSONL upload goes through the same importer', async () => {
    const { id } = await upload(admin, 'live.jsonl', JSON.stringify({ external_id: 'j-1', messages: [{ sender: 'recruiter', text: 'Hi' }] }) + '\n');
    await startUploadImport(admin, { uploadId: id });
    await runUploadImport(id);
    expect((await getImportUpload(admin, id)).summary).toMatchObject({ conversations: 1, created: 1 });
  });

  it('a UTF-16 CSV has no columns to map; its import names the encoding and writes nothing', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('conversation_id,sender,text\nu-1,recruiter,hi\n', 'utf16le')]);
    const { id } = await createImportUpload(admin, { fileName: 'unicode.csv', size: bytes.length });
    const last = await storeImportChunk(admin, id, 0, body(bytes));
    expect(last).toMatchObject({ complete: true, csvColumns: [] });
    const before = await snapshotDatabase();
    await startUploadImport(admin, { uploadId: id });
    await runUploadImport(id);
    expect((await getImportUpload(admin, id)).issues).toEqual([
      {
        line: null,
        path: '$',
        message: 'the file is UTF-16 (little-endian) text, not UTF-8: save it as UTF-8 (in a spreadsheet: "CSV UTF-8") and upload it again',
      },
    ]);
    expect(await snapshotDatabase()).toEqual(before);
  });

  it('a 200 MB file is refused before a byte is sent, and nothing is stored', async () => {
    const before = await counts();
    const err = await createImportUpload(admin, { fileName: 'huge.csv', size: 200 * 1024 * 1024 }).catch((e) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toBe('huge.csv is 200 MB; the browser import takes files up to 100 MB. Split it, or import it with npm run import.');
    expect(await counts()).toEqual(before);
  });

  it('a client sending more than it declared is stopped at the chunk that crosses, and the upload deleted', async () => {
    const { id } = await createImportUpload(admin, { fileName: 'liar.csv', size: 10 });
    await storeImportChunk(admin, id, 0, body('12345'));
    const err = await storeImportChunk(admin, id, 1, body('6789012345')).catch((e) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toMatch(/liar\.csv is larger than the 10 bytes it was said to be; the upload was stopped and deleted/);
    expect(await counts()).toMatchObject({ uploads: 0, chunks: 0 });
  });

  it('an empty file and a file of another kind are refused with the reason', async () => {
    await expect(createImportUpload(admin, { fileName: 'empty.csv', size: 0 })).rejects.toThrow(/empty\.csv is empty \(0 bytes\)/);
    await expect(createImportUpload(admin, { fileName: 'sheet.xlsx', size: 10 })).rejects.toThrow(/sheet\.xlsx: choose a \.json, \.jsonl or \.csv file/);
  });

  it('a chunk sent twice is stored once; chunks out of order are refused', async () => {
    const { id } = await createImportUpload(admin, { fileName: 'twice.csv', size: 6 });
    await storeImportChunk(admin, id, 0, body('abc'));
    await storeImportChunk(admin, id, 0, body('abc'));
    await expect(storeImportChunk(admin, id, 2, body('x'))).rejects.toThrow(/chunk 2 came before chunk 1/);
    const last = await storeImportChunk(admin, id, 1, body('def'));
    expect(last).toMatchObject({ complete: true, receivedBytes: 6 });
  });

  it('only admins and ML leads import, and each sees their own uploads (an admin sees all)', async () => {
    await expect(createImportUpload(reviewer, { fileName: 'x.csv', size: 5 })).rejects.toBeInstanceOf(ForbiddenError);
    const { id } = await createImportUpload(admin, { fileName: 'x.csv', size: 5 });
    await expect(getImportUpload(lead, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(storeImportChunk(reviewer, id, 0, body('x'))).rejects.toBeInstanceOf(ForbiddenError);
    const mine = await createImportUpload(lead, { fileName: 'y.csv', size: 5 });
    expect((await getImportUpload(admin, mine.id)).fileName).toBe('y.csv');
  });
});
