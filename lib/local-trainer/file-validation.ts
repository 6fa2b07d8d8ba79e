// Validation of a `fine-tune` File after it lands, the way OpenAI does it: an upload is accepted
// as soon as its bytes are on disk (the File says status `uploaded`), then checked line by line
// (validate-jsonl.ts) and marked `processed` (with the stats a job needs) or `error` (with the
// message naming the bad lines in `status_details`). A fine-tuning job whose file is still
// being checked stays in `validating_files` until the verdict is in, and fails with that
// message if the file is bad (job-runner.ts). This keeps the upload itself at disk speed: the
// checks (UTF-8 decode, JSON.parse, the cookbook rules) run at ~110 MB/s, a fifth of a read.
//
// Why small files are checked before the upload answers: OpenAI's File has exactly these three
// states and the SDK's `files.waitForProcessing` polls for `processed`/`error`, so an answer
// that is already final is within the contract (waitForProcessing returns at once), and for a
// file of a few MB the check costs a few tens of ms. The verdict is the same either way; only
// when it is known differs. Large files are checked one at a time, in the background, and
// give way to uploads being received: the check and the receiving share this process's one
// thread, so a check running beside the next upload (validation.jsonl right after train.jsonl)
// would halve that upload's speed; it resumes when no upload is streaming in (or after
// YIELD_MAX_MS, so a stream of uploads cannot hold it back for ever).
import { ApiError } from './errors';
import { readSegments } from './jsonl-lines';
import type { Store } from './store';
import { FineTuneValidator } from './validate-jsonl';

/** Up to this size a fine-tune upload is validated before the upload answers. */
export const SYNC_VALIDATE_BYTES = 4 * 1024 * 1024;
/** The longest a background check waits at a stretch for uploads in flight to end. */
const YIELD_MAX_MS = 10_000;

export class FileValidations {
  private readonly store: Store;
  private readonly log: (line: string) => void;
  private readonly running = new Map<string, Promise<void>>();
  /** Large files, one after the other: two 1 GB checks at once would only share the core. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Uploads being received now, and who waits for them to end. */
  private receivingCount = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(store: Store, log: (line: string) => void) {
    this.store = store;
    this.log = log;
  }

  /** After a (re)start: a file still `uploaded` was never (or not fully) checked. */
  resume(): void {
    for (const rec of this.store.listFiles()) if (rec.file.status === 'uploaded') void this.settled(rec.file.id);
  }

  /** Resolves once the File's status is final (processed or error), starting its check if needed. */
  settled(id: string): Promise<void> {
    const known = this.running.get(id);
    if (known) return known;
    const rec = this.store.getFile(id);
    if (!rec || rec.file.status !== 'uploaded' || this.closed) return Promise.resolve();
    const run = rec.file.bytes <= SYNC_VALIDATE_BYTES ? this.validate(id) : (this.queue = this.queue.then(() => this.validate(id)).catch(() => {}));
    const tracked = run.finally(() => this.running.delete(id));
    this.running.set(id, tracked);
    return tracked;
  }

  /** Runs `receive` (an upload's body streaming in) with background checks paused meanwhile. */
  async receiving<T>(receive: () => Promise<T>): Promise<T> {
    this.receivingCount++;
    try {
      return await receive();
    } finally {
      if (--this.receivingCount === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private untilNoUploads(): Promise<void> {
    if (this.receivingCount === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, YIELD_MAX_MS);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stops checking (a check cut short leaves the File `uploaded`: the next start checks it again). */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.idleWaiters.splice(0)) wake();
    await Promise.allSettled([...this.running.values()]);
  }

  private async validate(id: string): Promise<void> {
    const rec = this.store.getFile(id);
    if (!rec || rec.file.status !== 'uploaded' || this.closed) return;
    const validator = new FineTuneValidator();
    const background = rec.file.bytes > SYNC_VALIDATE_BYTES;
    try {
      for await (const chunk of readSegments(this.store.fileDataPaths(id))) {
        if (background) await this.untilNoUploads();
        if (this.closed) return;
        validator.push(chunk);
      }
      rec.stats = validator.finish();
      rec.file.status = 'processed';
    } catch (e) {
      // Deleted while being checked: nothing left to mark.
      if (this.store.getFile(id) !== rec) return;
      rec.file.status = 'error';
      rec.file.status_details = e instanceof ApiError ? e.message : `The file could not be read: ${(e as Error).message}`;
    }
    this.store.saveFile(rec);
    this.log(`${id} ${rec.file.status}${rec.file.status_details ? `: ${rec.file.status_details}` : ''}`);
  }
}
