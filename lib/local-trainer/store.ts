// The trainer's own storage: plain JSON and binary files under one data directory, loaded into
// memory at start (a trainer holds hundreds of objects, not millions). Metadata writes go
// through write-to-temp + rename so a crash never leaves half a JSON file behind.
//
//   <dataDir>/files/<file-id>.json          the file object (+ validation stats)
//   <dataDir>/files/<file-id>.data          its bytes
//   <dataDir>/jobs/<job-id>/job.json        the job (+ requested hyperparameters, checkpoints, metrics)
//   <dataDir>/jobs/<job-id>/events.jsonl    its events, oldest first
//   <dataDir>/models/<job-id>/…             weights (see classifier.ts)
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { newEventId, nowSeconds } from './ids';
import type { FileRecord, JobEvent, JobRecord } from './types';

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
  private seq = 0;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    for (const dir of ['files', 'jobs', 'models']) fs.mkdirSync(path.join(dataDir, dir), { recursive: true });
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

  async addFile(rec: FileRecord, data: Buffer | string): Promise<void> {
    await fsp.writeFile(this.fileDataPath(rec.file.id), data);
    writeJsonAtomic(path.join(this.dataDir, 'files', `${rec.file.id}.json`), rec);
    this.files.set(rec.file.id, rec);
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
    return true;
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
