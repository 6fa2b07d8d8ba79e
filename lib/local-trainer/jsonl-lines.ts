// JSONL read in chunks, line by line, with the same rules as reading a whole buffer: a UTF-8
// BOM at the very start is dropped, CRLF counts as LF, blank lines are skipped and line numbers
// are 1-based file lines. Only the line being assembled is held, never the file, so a 1 GB
// upload or training file costs one chunk of memory. A line longer than MAX_LINE_BYTES is an
// error: V8 could not hold it as one string anyway, and no chat example comes near it.
import fs from 'node:fs';

export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const READ_CHUNK = 4 * 1024 * 1024;

export class LineTooLongError extends Error {
  readonly lineNo: number;
  constructor(lineNo: number) {
    super(`line ${lineNo} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
    this.lineNo = lineNo;
  }
}

export type LineHandler = (lineNo: number, text: string) => void;

export class LineSplitter {
  private readonly onLine: LineHandler;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNo = 0;
  private atStart = true;

  constructor(onLine: LineHandler) {
    this.onLine = onLine;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.atStart) {
      // The BOM may arrive split over the first chunks; wait until three bytes are known.
      const head = this.pendingBytes ? Buffer.concat([...this.pending, chunk]) : chunk;
      if (head.length < 3 && head.length > 0 && Buffer.from([0xef, 0xbb, 0xbf]).subarray(0, head.length).equals(head)) {
        this.pending = [Buffer.from(head)];
        this.pendingBytes = head.length;
        return;
      }
      this.atStart = false;
      if (this.pendingBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        chunk = head;
      }
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      if (this.pendingBytes) {
        this.pending.push(chunk.subarray(start, nl));
        this.emit(Buffer.concat(this.pending, this.pendingBytes + nl - start));
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        this.emit(chunk.subarray(start, nl));
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > MAX_LINE_BYTES) throw new LineTooLongError(this.lineNo + 1);
      // A copy: the caller may reuse its chunk buffer (fs.readSync into one buffer does).
      this.pending.push(Buffer.from(chunk.subarray(start)));
    }
  }

  /** The last line, when the file does not end with a newline. */
  end(): void {
    this.atStart = false;
    if (this.pendingBytes) this.emit(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }

  private emit(line: Buffer): void {
    this.lineNo++;
    if (line.length > MAX_LINE_BYTES) throw new LineTooLongError(this.lineNo);
    const end = line.length && line[line.length - 1] === 13 ? line.length - 1 : line.length;
    const text = line.toString('utf8', 0, end);
    if (text.trim() !== '') this.onLine(this.lineNo, text);
  }
}

/**
 * Calls onLine for every non-blank line of a file, reading it in 4 MB chunks (synchronous: for
 * the training worker). A File completed from an Upload is several files read as one: a line
 * may run across a part boundary, so they all go through one splitter.
 */
export function forEachFileLine(file: string | readonly string[], onLine: LineHandler): void {
  const splitter = new LineSplitter(onLine);
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  for (const f of typeof file === 'string' ? [file] : file) {
    const fd = fs.openSync(f, 'r');
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        splitter.push(buf.subarray(0, n));
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  splitter.end();
}

/** The bytes of `files` one after the other, in 4 MB chunks (a File's segments, for streaming reads). */
export async function* readSegments(files: readonly string[]): AsyncGenerator<Buffer> {
  for (const f of files) for await (const chunk of fs.createReadStream(f, { highWaterMark: READ_CHUNK })) yield chunk as Buffer;
}
