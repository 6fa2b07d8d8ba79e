// The trainer's own storage: plain JSON and binary files under one data directory, loaded into
// memory at start (a trainer holds hundreds of objects, not millions). Metadata writes go
// through write-to-temp + rename so a crash never leaves half a JSON file behind, and file
// bytes are streamed to <dataDir>/tmp first and renamed into place once complete.
//
//   <dataDir>/files/<file-id>.json          the file object (+ validation stats)
//   <dataDir>/files/<file-id>.data          its bytes
//   <dataDir>/files/<file-id>.parts/0…n-1   or, for a File completed from an Upload, its parts in order
//   <dataDir>/uploads/<upload-id>/upload.json   an Upload (Uploads API) and its parts' ids and sizes
//   <dataDir>/uploads/<upload-id>/<part-id>     a part's bytes
//   <dataDir>/batches/<batch-id>.json       a batch (Batch API); its output and error Files are Files
//   <dataDir>/tmp/                          bytes being received, batch output being written (emptied at start)
//   <dataDir>/jobs/<job-id>/job.json        the job (+ requested hyperparameters, checkpoints, metrics)
//   <dataDir>/jobs/<job-id>/events.jsonl    its events, oldest first
//   <dataDir>/models/<job-id>/…             weights (see classifier.ts)
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { newEventId, nowSeconds } from './ids';
import { randomBase62 } from './ids';
import type { BatchRecord } from './batch-types';
import type { FileRecord, JobEvent, JobRecord, UploadRecord } from './types';

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

export class Store {
  readonly dataDir: string;
  private readonly files = new Map<string, FileRecord>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly events = new Map<string, JobEvent[]>();
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly batches = new Map<string, BatchRecord>();
  private seq = 0;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    for (const dir of ['files', 'jobs', 'models', 'uploads', 'batches']) fs.mkdirSync(path.join(dataDir, dir), { recursive: true });
    // Whatever was being received when the trainer stopped is incomplete: no object refers to it.
    fs.rmSync(path.join(dataDir, 'tmp'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dataDir, 'tmp'));
    this.load();
  }

  private load(): void {
    const filesDir = path.join(this.dataDir, 'files');
    for (const name of fs.readdirSync(filesDir)) {
      if (!name.endsWith('.json')) continue;
      const rec = JSON.parse(fs.readFileSync(path.join(filesDir, name), 'utf8')) as FileRecord;
      this.files.set(rec.file.id, rec);
      this.seq = Math.max(this.seq, rec.seq);
    }
    const uploadsDir = path.join(this.dataDir, 'uploads');
    for (const id of fs.readdirSync(uploadsDir)) {
      const file = path.join(uploadsDir, id, 'upload.json');
      if (!fs.existsSync(file)) continue;
      this.uploads.set(id, JSON.parse(fs.readFileSync(file, 'utf8')) as UploadRecord);
    }
    const batchesDir = path.join(this.dataDir, 'batches');
    for (const name of fs.readdirSync(batchesDir)) {
      if (!name.endsWith('.json')) continue;
      const rec = JSON.parse(fs.readFileSync(path.join(batchesDir, name), 'utf8')) as BatchRecord;
      this.batches.set(rec.batch.id, rec);
      this.seq = Math.max(this.seq, rec.seq);
    }
    const jobsDir = path.join(this.dataDir, 'jobs');
    for (const id of fs.readdirSync(jobsDir)) {
      const jobFile = path.join(jobsDir, id, 'job.json');
      if (!fs.existsSync(jobFile)) continue;
      const rec = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as JobRecord;
      this.jobs.set(id, rec);
      this.seq = Math.max(this.seq, rec.seq);
      const eventsFile = path.join(jobsDir, id, 'events.jsonl');
      const lines = fs.existsSync(eventsFile) ? fs.readFileSync(eventsFile, 'utf8').split('\n') : [];
      // A crash mid-append can leave a torn last line; everything before it is intact.
      const events: JobEvent[] = [];
      for (const line of lines) {
        if (!line) continue;
        try {
          events.push(JSON.parse(line) as JobEvent);
        } catch {
          break;
        }
      }
      this.events.set(id, events);
    }
  }

  nextSeq(): number {
    return ++this.seq;
  }

  // ── files ──────────────────────────────────────────────────────────────────────────────
  fileDataPath(id: string): string {
    return path.join(this.dataDir, 'files', `${id}.data`);
  }

  private fileSegmentsDir(id: string): string {
    return path.join(this.dataDir, 'files', `${id}.parts`);
  }

  /** The files holding a File's bytes, in order: one, or an Upload's parts (never concatenated). */
  fileDataPaths(id: string): string[] {
    const n = this.files.get(id)?.segments;
    if (n === undefined) return [this.fileDataPath(id)];
    return Array.from({ length: n }, (_, i) => path.join(this.fileSegmentsDir(id), String(i)));
  }

  async addFile(rec: FileRecord, data: Buffer | string): Promise<void> {
    await fsp.writeFile(this.fileDataPath(rec.file.id), data);
    writeJsonAtomic(path.join(this.dataDir, 'files', `${rec.file.id}.json`), rec);
    this.files.set(rec.file.id, rec);
  }

  /** A fresh path under <dataDir>/tmp for bytes being received. */
  tmpPath(): string {
    return path.join(this.dataDir, 'tmp', `${Date.now()}-${randomBase62(12)}`);
  }

  /** Records a file whose bytes were streamed to `tmp` (moved into place, not copied). */
  addFileFromTemp(rec: FileRecord, tmp: string): void {
    fs.renameSync(tmp, this.fileDataPath(rec.file.id));
    writeJsonAtomic(path.join(this.dataDir, 'files', `${rec.file.id}.json`), rec);
    this.files.set(rec.file.id, rec);
  }

  /** Records a File whose bytes are the given part files, in order (moved into place, not copied). */
  addFileFromParts(rec: FileRecord, parts: readonly string[]): void {
    const dir = this.fileSegmentsDir(rec.file.id);
    fs.mkdirSync(dir, { recursive: true });
    parts.forEach((p, i) => fs.renameSync(p, path.join(dir, String(i))));
    rec.segments = parts.length;
    writeJsonAtomic(path.join(this.dataDir, 'files', `${rec.file.id}.json`), rec);
    this.files.set(rec.file.id, rec);
  }

  /** Writes a File's changed metadata (its status after validation). */
  saveFile(rec: FileRecord): void {
    if (!this.files.has(rec.file.id)) return;
    writeJsonAtomic(path.join(this.dataDir, 'files', `${rec.file.id}.json`), rec);
  }

  getFile(id: string): FileRecord | undefined {
    return this.files.get(id);
  }

  /** Oldest first. */
  listFiles(): FileRecord[] {
    return [...this.files.values()].sort((a, b) => a.seq - b.seq);
  }

  deleteFile(id: string): boolean {
    if (!this.files.delete(id)) return false;
    fs.rmSync(path.join(this.dataDir, 'files', `${id}.json`), { force: true });
    fs.rmSync(this.fileDataPath(id), { force: true });
    fs.rmSync(this.fileSegmentsDir(id), { recursive: true, force: true });
    return true;
  }

  // ── uploads (the Uploads API) ──────────────────────────────────────────────────────────
  uploadDir(id: string): string {
    return path.join(this.dataDir, 'uploads', id);
  }

  partPath(uploadId: string, partId: string): string {
    return path.join(this.uploadDir(uploadId), partId);
  }

  saveUpload(rec: UploadRecord): void {
    fs.mkdirSync(this.uploadDir(rec.upload.id), { recursive: true });
    writeJsonAtomic(path.join(this.uploadDir(rec.upload.id), 'upload.json'), rec);
    this.uploads.set(rec.upload.id, rec);
  }

  getUpload(id: string): UploadRecord | undefined {
    return this.uploads.get(id);
  }

  /** Removes the parts' bytes; the Upload object itself stays (it can still be retrieved). */
  dropParts(rec: UploadRecord): void {
    for (const p of rec.parts) fs.rmSync(this.partPath(rec.upload.id, p.id), { force: true });
    rec.parts = [];
    rec.partBytes = 0;
  }

  // ── batches (the Batch API) ────────────────────────────────────────────────────────────
  saveBatch(rec: BatchRecord): void {
    writeJsonAtomic(path.join(this.dataDir, 'batches', `${rec.batch.id}.json`), rec);
    this.batches.set(rec.batch.id, rec);
  }

  getBatch(id: string): BatchRecord | undefined {
    return this.batches.get(id);
  }

  /** Oldest first. */
  listBatches(): BatchRecord[] {
    return [...this.batches.values()].sort((a, b) => a.seq - b.seq);
  }

  // ── jobs ───────────────────────────────────────────────────────────────────────────────
  jobDir(id: string): string {
    return path.join(this.dataDir, 'jobs', id);
  }

  modelDir(id: string): string {
    return path.join(this.dataDir, 'models', id);
  }

  saveJob(rec: JobRecord): void {
    fs.mkdirSync(this.jobDir(rec.job.id), { recursive: true });
    writeJsonAtomic(path.join(this.jobDir(rec.job.id), 'job.json'), rec);
    this.jobs.set(rec.job.id, rec);
    if (!this.events.has(rec.job.id)) this.events.set(rec.job.id, []);
  }

  getJob(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  /** Oldest first. */
  listJobs(): JobRecord[] {
    return [...this.jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  // ── events ─────────────────────────────────────────────────────────────────────────────
  addEvent(jobId: string, e: Pick<JobEvent, 'message'> & Partial<Pick<JobEvent, 'level' | 'type' | 'data'>>): JobEvent {
    const event: JobEvent = {
      id: newEventId(),
      object: 'fine_tuning.job.event',
      created_at: nowSeconds(),
      level: e.level ?? 'info',
      message: e.message,
      type: e.type ?? 'message',
      ...(e.data ? { data: e.data } : {}),
    };
    let list = this.events.get(jobId);
    if (!list) this.events.set(jobId, (list = []));
    list.push(event);
    fs.appendFileSync(path.join(this.jobDir(jobId), 'events.jsonl'), `${JSON.stringify(event)}\n`);
    return event;
  }

  /** Oldest first. */
  listEvents(jobId: string): JobEvent[] {
    return this.events.get(jobId) ?? [];
  }
}
