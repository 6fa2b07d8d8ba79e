// Working through batches (the Batch API) inside the trainer: one batch at a time, read from its
// input File in small chunks and answered a slice of lines at a time, yielding to the event loop
// between slices so the HTTP server keeps answering (a slice is a few ms of work). Nothing holds
// the whole input: lines are split as they are read, answers go straight to a temporary output
// file. Each line is answered by the same code as POST /v1/chat/completions (chatCompletion), so
// a batch and the same requests sent one by one get the same answers.
//
// As on OpenAI: the whole file is validated first (a malformed line fails the batch with the line
// number in `errors`, nothing is answered), then `in_progress` with request_counts moving, then
// `finalizing` → `completed` with `output_file_id` (answers with status 200) and `error_file_id`
// (the requests the endpoint refused, with its status and error body). A cancel stops between
// slices and keeps what was answered. A batch the trainer was working on when it stopped starts
// over at the next start (its partial output was only ever a temporary file).
import fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ACTIVE_BATCH_STATUSES, type BatchLineError, type BatchRecord, type OpenAIBatch } from './batch-types';
import type { Deps } from './deps';
import { ApiError } from './errors';
import { newFileId, nowSeconds, randomBase62 } from './ids';
import { LineSplitter } from './jsonl-lines';
import { chatCompletion } from './routes/chat';

/** Lines answered between two yields to the event loop (~0.1 ms each: a few ms per slice). */
const SLICE_LINES = 64;
/** Bytes read from the input per chunk: a chunk's lines are all that is held. */
const READ_CHUNK = 256 * 1024;
/** request_counts are persisted at most this often (they are live in memory anyway). */
const SAVE_EVERY_MS = 1000;
/** Validation errors kept on the batch (the count of bad lines is in the message). */
const MAX_ERRORS = 100;

export const newBatchId = () => `batch_${randomBase62(32)}`;

class Stopped extends Error {}

interface InputLine {
  lineNo: number;
  text: string;
}

/** The input's lines, a chunk at a time (the File may be several segments: one splitter). */
async function* inputLines(files: readonly string[]): AsyncGenerator<InputLine[]> {
  let lines: InputLine[] = [];
  const splitter = new LineSplitter((lineNo, text) => lines.push({ lineNo, text }));
  for (const f of files) {
    for await (const chunk of fs.createReadStream(f, { highWaterMark: READ_CHUNK })) {
      splitter.push(chunk as Buffer);
      if (lines.length) yield lines;
      lines = [];
    }
  }
  splitter.end();
  if (lines.length) yield lines;
}

interface ParsedLine {
  customId: string;
  body: unknown;
}

/** One input line as the Batch API requires it, or why not. */
function parseLine(text: string, endpoint: string): ParsedLine | Omit<BatchLineError, 'line'> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { code: 'invalid_request', message: 'Each line must be a JSON object.', param: null };
  const o = v as Record<string, unknown>;
  if (typeof o.custom_id !== 'string' || o.custom_id === '')
    return { code: 'missing_required_parameter', message: "Missing required parameter: 'custom_id'.", param: 'custom_id' };
  if (o.method !== 'POST')
    return { code: 'invalid_value', message: `Invalid 'method': only POST is supported (got ${JSON.stringify(o.method)}).`, param: 'method' };
  if (o.url !== endpoint)
    return { code: 'mismatched_endpoint', message: `The url ${JSON.stringify(o.url)} does not match the batch's endpoint ${endpoint}.`, param: 'url' };
  if (!o.body || typeof o.body !== 'object' || Array.isArray(o.body))
    return { code: 'missing_required_parameter', message: "Missing required parameter: 'body' (a JSON object).", param: 'body' };
  return { customId: o.custom_id, body: o.body };
}

export class BatchRunner {
  private queue: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly deps: Pick<Deps, 'store' | 'models' | 'faults'>,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Queues a batch (new, or found active at start). */
  start(id: string): void {
    this.queue = this.queue.then(() => this.run(id)).catch((e) => this.log(`batch ${id}: ${(e as Error).message}`));
  }

  /** Batches that were being worked on when the trainer stopped go again (a cancelling one ends). */
  resume(): void {
    for (const rec of this.deps.store.listBatches()) {
      if (rec.batch.status === 'cancelling') this.update(rec, { status: 'cancelled', cancelled_at: nowSeconds() });
      else if (ACTIVE_BATCH_STATUSES.includes(rec.batch.status)) {
        rec.batch.request_counts = { total: 0, completed: 0, failed: 0 };
        this.start(rec.batch.id);
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.queue;
  }

  private update(rec: BatchRecord, patch: Partial<OpenAIBatch>): void {
    rec.batch = { ...rec.batch, ...patch };
    this.deps.store.saveBatch(rec);
  }

  private async run(id: string): Promise<void> {
    const rec = this.deps.store.getBatch(id);
    if (!rec || !ACTIVE_BATCH_STATUSES.includes(rec.batch.status) || this.closing) return;
    if (rec.batch.status === 'cancelling') return this.update(rec, { status: 'cancelled', cancelled_at: nowSeconds() });
    if (nowSeconds() > rec.batch.expires_at) return this.update(rec, { status: 'expired', expired_at: nowSeconds() });
    const input = this.deps.store.getFile(rec.batch.input_file_id);
    if (!input) {
      const error = { code: 'invalid_file', message: `The input file ${rec.batch.input_file_id} no longer exists.`, param: 'input_file_id', line: null };
      return this.update(rec, { status: 'failed', failed_at: nowSeconds(), errors: { object: 'list', data: [error] } });
    }
    const files = this.deps.store.fileDataPaths(input.file.id);
    try {
      const total = await this.validate(rec, files);
      if (total === null) return;
      await this.answer(rec, files, total);
    } catch (e) {
      if (e instanceof Stopped) return; // the trainer is stopping: the batch starts over at the next start
      // Say why on the batch rather than leave it in progress forever (e.g. its input File was deleted meanwhile).
      const error = { code: 'server_error', message: `The batch could not be processed: ${(e as Error).message}`, param: null, line: null };
      this.update(rec, { status: 'failed', failed_at: nowSeconds(), errors: { object: 'list', data: [error] } });
    }
  }

  /** Pass 1: every line well-formed, custom_ids unique. Returns the request count, or null when the batch failed. */
  private async validate(rec: BatchRecord, files: readonly string[]): Promise<number | null> {
    const seen = new Set<string>();
    const errors: BatchLineError[] = [];
    let bad = 0;
    let total = 0;
    let model: string | undefined;
    for await (const lines of inputLines(files)) {
      for (const { lineNo, text } of lines) {
        const p = parseLine(text, rec.batch.endpoint);
        let err: Omit<BatchLineError, 'line'> | null = 'code' in p ? p : null;
        if (!err && seen.has((p as ParsedLine).customId))
          err = {
            code: 'duplicate_custom_id',
            message: `The custom_id ${JSON.stringify((p as ParsedLine).customId)} appears more than once.`,
            param: 'custom_id',
          };
        if (err) {
          bad++;
          if (errors.length < MAX_ERRORS) errors.push({ ...err, line: lineNo });
        } else {
          seen.add((p as ParsedLine).customId);
          model ??= typeof (p as ParsedLine).body === 'object' ? (((p as ParsedLine).body as { model?: unknown }).model as string | undefined) : undefined;
          total++;
        }
      }
      await this.pause();
      if (rec.batch.status === 'cancelling') break;
    }
    if (rec.batch.status === 'cancelling') {
      this.update(rec, { status: 'cancelled', cancelled_at: nowSeconds() });
      return null;
    }
    if (bad === 0 && total === 0) errors.push({ code: 'empty_file', message: 'The input file has no requests.', param: null, line: null });
    if (errors.length) {
      if (bad > errors.length)
        errors.push({ code: 'too_many_errors', message: `${bad} lines are invalid; the first ${MAX_ERRORS} are listed.`, param: null, line: null });
      this.update(rec, { status: 'failed', failed_at: nowSeconds(), errors: { object: 'list', data: errors } });
      this.log(`batch ${rec.batch.id} failed validation: ${bad} bad lines`);
      return null;
    }
    this.update(rec, {
      status: 'in_progress',
      in_progress_at: nowSeconds(),
      model: typeof model === 'string' ? model : null,
      request_counts: { total, completed: 0, failed: 0 },
    });
    return total;
  }

  /** Pass 2: every request answered, in input order, to the output or the error file. */
  private async answer(rec: BatchRecord, files: readonly string[], total: number): Promise<void> {
    const out = { path: this.deps.store.tmpPath(), lines: 0 };
    const err = { path: this.deps.store.tmpPath(), lines: 0 };
    const outStream = fs.createWriteStream(out.path);
    const errStream = fs.createWriteStream(err.path);
    const counts = { total, completed: 0, failed: 0 };
    const reqPrefix = `batch_req_${rec.batch.id.slice(6, 18)}_`;
    let lastSave = performance.now();
    let cancelled = false;
    try {
      outer: for await (const lines of inputLines(files)) {
        for (let i = 0; i < lines.length; i += SLICE_LINES) {
          let okText = '';
          let errText = '';
          for (const { lineNo, text } of lines.slice(i, i + SLICE_LINES)) {
            const { customId, body } = parseLine(text, rec.batch.endpoint) as ParsedLine;
            const r = this.answerOne(body);
            const line = `${JSON.stringify({ id: `${reqPrefix}${lineNo}`, custom_id: customId, response: { status_code: r.status, request_id: `req_${reqPrefix}${lineNo}`, body: r.body }, error: null })}\n`;
            if (r.status === 200) {
              okText += line;
              out.lines++;
              counts.completed++;
            } else {
              errText += line;
              err.lines++;
              counts.failed++;
            }
          }
          if (okText && !outStream.write(okText)) await new Promise<void>((r) => outStream.once('drain', () => r()));
          if (errText && !errStream.write(errText)) await new Promise<void>((r) => errStream.once('drain', () => r()));
          rec.batch.request_counts = { ...counts };
          if (performance.now() - lastSave > SAVE_EVERY_MS) {
            this.deps.store.saveBatch(rec);
            lastSave = performance.now();
          }
          await this.pause();
          if (rec.batch.status === 'cancelling') {
            cancelled = true;
            break outer;
          }
        }
      }
    } finally {
      await Promise.all([new Promise((r) => outStream.end(r)), new Promise((r) => errStream.end(r))]);
      if (this.closing) for (const f of [out.path, err.path]) fs.rmSync(f, { force: true });
    }
    if (!cancelled) this.update(rec, { status: 'finalizing', finalizing_at: nowSeconds(), request_counts: counts });
    const output_file_id = this.keepFile(rec, out, 'output');
    const error_file_id = this.keepFile(rec, err, 'error');
    const now = nowSeconds();
    this.update(rec, {
      ...(cancelled ? { status: 'cancelled', cancelled_at: now } : { status: 'completed', completed_at: now }),
      output_file_id,
      error_file_id,
      request_counts: counts,
    });
    this.log(`batch ${rec.batch.id} ${rec.batch.status}: ${counts.completed} answered, ${counts.failed} refused of ${total}`);
  }

  /** The endpoint's answer to one request: what the same request sent alone would have got. */
  private answerOne(body: unknown): { status: number; body: unknown } {
    // Injected faults reach batch lines as they reach single requests (the retry paths are tested through both).
    const fault = this.deps.faults.pick('/v1/chat/completions');
    if (fault === '429')
      return {
        status: 429,
        body: new ApiError(429, 'Rate limit reached for requests (injected by the local trainer).', { type: 'requests', code: 'rate_limit_exceeded' }).body(),
      };
    if (fault === '500')
      return { status: 500, body: new ApiError(500, 'The server had an error while processing your request (injected by the local trainer).').body() };
    try {
      return { status: 200, body: chatCompletion(body, this.deps) };
    } catch (e) {
      const a = e instanceof ApiError ? e : new ApiError(500, 'The server had an error while processing your request.');
      if (!(e instanceof ApiError)) this.log(`batch line: unexpected error: ${(e as Error).message}`);
      return { status: a.status, body: a.body() };
    }
  }

  /** A finished output or error file becomes a File (purpose batch_output); none when it is empty. */
  private keepFile(rec: BatchRecord, f: { path: string; lines: number }, kind: 'output' | 'error'): string | null {
    if (f.lines === 0) {
      fs.rmSync(f.path, { force: true });
      return null;
    }
    const id = newFileId();
    const file = {
      id,
      object: 'file' as const,
      bytes: fs.statSync(f.path).size,
      created_at: nowSeconds(),
      filename: `${rec.batch.id}_${kind}.jsonl`,
      purpose: 'batch_output',
      status: 'processed' as const,
    };
    this.deps.store.addFileFromTemp({ file, seq: this.deps.store.nextSeq() }, f.path);
    return id;
  }

  private async pause(): Promise<void> {
    await yieldToLoop();
    if (this.closing) throw new Stopped();
  }
}
