// Where the training matrix's rows live: fixed-size blocks of packed entries (bucket | group
// << 24, see features.ts), appended one example at a time. Small sets stay in memory, as they
// always did; once the blocks pass a memory budget (TRAINER_FEATURE_MEMORY_MB, default 512)
// they are written to an unlinked temporary file and every later block goes there as soon as it
// is full, so a 1M-example training set (~1.8 GB of features) costs one block of memory. Rows
// are then read back one at a time with pread, in whatever order an epoch's shuffle visits them;
// the file stays in the page cache, which the process's RSS does not count. The arithmetic is the
// same either way, so a model does not depend on where its features were kept.
import fs from 'node:fs';

/** Entries per block (16 MB). A row never spans two blocks. */
export const BLOCK_ENTRIES = 1 << 22;
export const DEFAULT_FEATURE_MEMORY_BYTES = 512 * 1024 * 1024;

export function featureMemoryBudget(env: string | undefined = process.env.TRAINER_FEATURE_MEMORY_MB): number {
  if (env === undefined || env === '') return DEFAULT_FEATURE_MEMORY_BYTES;
  const n = Number(env);
  if (!Number.isFinite(n) || n < 0) throw new Error(`TRAINER_FEATURE_MEMORY_MB must be a number of megabytes, got "${env}"`);
  return n * 1024 * 1024;
}

export class FeatureBlocks {
  private readonly memory: Int32Array[] = [];
  /** Entry offset of each block in the spill file (file mode). */
  private readonly fileBase: number[] = [];
  private fd: number | null = null;
  private fileEntries = 0;
  private current = new Int32Array(0);
  private used = 0;
  private memoryBytes = 0;
  private readonly budgetBytes: number;
  private readonly spillPath: string | null;
  private scratch = new Int32Array(4096);
  /** Where the entries of the row last returned by `row` start in the array it returned. */
  offset = 0;

  /** `spillPath`: where to spill past `budgetBytes` (null: never spill, everything in memory). */
  constructor(opts: { budgetBytes?: number; spillPath?: string | null } = {}) {
    this.budgetBytes = opts.budgetBytes ?? Infinity;
    this.spillPath = opts.spillPath ?? null;
  }

  get onDisk(): boolean {
    return this.fd !== null;
  }

  /** Appends one row; returns its block and start. */
  append(entries: Int32Array, n: number): { block: number; start: number } {
    if (this.used + n > this.current.length) {
      this.closeBlock();
      this.current = new Int32Array(Math.max(BLOCK_ENTRIES, n));
      this.used = 0;
    }
    this.current.set(n === entries.length ? entries : entries.subarray(0, n), this.used);
    const at = { block: this.memory.length + this.fileBase.length, start: this.used };
    this.used += n;
    return at;
  }

  /** After the last append. */
  finish(): void {
    this.closeBlock();
    this.current = new Int32Array(0);
    this.used = 0;
  }

  private closeBlock(): void {
    if (!this.used) return;
    const block = this.current.subarray(0, this.used);
    if (this.fd === null && this.spillPath !== null && this.memoryBytes + block.byteLength > this.budgetBytes) this.spill();
    if (this.fd !== null) this.writeBlock(block);
    else {
      this.memory.push(block);
      this.memoryBytes += block.byteLength;
    }
  }

  /** Moves the in-memory blocks to the file; from now on every block is written there. */
  private spill(): void {
    this.fd = fs.openSync(this.spillPath!, 'w+');
    // Unlinked at once: the file goes away with the descriptor, even if the worker is killed.
    fs.rmSync(this.spillPath!, { force: true });
    const kept = this.memory.splice(0);
    this.memoryBytes = 0;
    for (const b of kept) this.writeBlock(b);
  }

  private writeBlock(block: Int32Array): void {
    const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd!, bytes, done, bytes.length - done, this.fileEntries * 4 + done);
    this.fileBase.push(this.fileEntries);
    this.fileEntries += block.length;
  }

  /** The array holding a row; its entries start at `this.offset`. Valid until the next call. */
  row(block: number, start: number, length: number): Int32Array {
    if (this.fd === null) {
      this.offset = start;
      return this.memory[block];
    }
    if (length > this.scratch.length) this.scratch = new Int32Array(Math.max(length, this.scratch.length * 2));
    const bytes = length * 4;
    const at = (this.fileBase[block] + start) * 4;
    let done = 0;
    while (done < bytes) {
      const n = fs.readSync(this.fd, this.scratch, done, bytes - done, at + done);
      if (n === 0) throw new Error('feature file ended early');
      done += n;
    }
    this.offset = 0;
    return this.scratch;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    this.memory.length = 0;
  }
}
