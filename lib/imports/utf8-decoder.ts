// Streaming UTF-8 decoding that keeps invalid bytes visible instead of turning them into
// U+FFFD. Each byte that is not part of a valid UTF-8 sequence becomes the lone surrogate
// U+DC80 + (byte - 0x80) (Python's "surrogateescape"): valid UTF-8 never decodes to a lone
// surrogate, so the field holding it is found by the same check that finds `\ud800`
// escapes (./text-checks.ts), and the report can name the field and the bytes.
import { isUtf8 } from 'node:buffer';

export interface InvalidBytes {
  /** 1-based line of the file (counting \n) and 1-based byte column within it. */
  line: number;
  column: number;
  /** 0-based byte offset in the file. */
  offset: number;
  bytes: number[];
}

const MAX_KEPT = 200;

/** Length a UTF-8 sequence starting with this lead byte claims, or 0 if it cannot lead. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

export class Utf8Decoder {
  /** Where invalid bytes were found (the first MAX_KEPT runs), in file order. */
  readonly invalid: InvalidBytes[] = [];
  invalidCount = 0;
  private pending: Buffer | null = null;
  private offset = 0; // file offset of the next byte to decode
  private line = 1;
  private lineStart = 0; // file offset where `line` starts
  private run: InvalidBytes | null = null; // the invalid run still open at the last byte

  /** Decodes the next chunk; pass `final` with the last one (or call end()). */
  write(chunk: Buffer): string {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    // Hold back a sequence cut off at the chunk's end; the next chunk completes it.
    const keep = incompleteTail(buf);
    if (keep > 0) {
      this.pending = Buffer.from(buf.subarray(buf.length - keep));
      buf = buf.subarray(0, buf.length - keep);
    }
    return this.decode(buf);
  }

  end(): string {
    const rest = this.pending;
    this.pending = null;
    return rest ? this.decode(rest) : '';
  }

  private decode(buf: Buffer): string {
    if (buf.length === 0) return '';
    const start = this.offset;
    this.offset += buf.length;
    if (isUtf8(buf)) {
      this.run = null;
      // Line bookkeeping is only needed to locate invalid bytes: skip it on the fast path
      // but remember where the last line started.
      const lastNl = buf.lastIndexOf(0x0a);
      if (lastNl >= 0) {
        this.line += countNewlines(buf);
        this.lineStart = start + lastNl + 1;
      }
      return buf.toString('utf8');
    }
    return this.decodeSlow(buf, start);
  }

  private decodeSlow(buf: Buffer, start: number): string {
    let out = '';
    let validFrom = 0;
    let i = 0;
    while (i < buf.length) {
      const b = buf[i];
      if (b === 0x0a) {
        this.line += 1;
        this.lineStart = start + i + 1;
      }
      if (b < 0x80) {
        i += 1;
        this.run = null;
        continue;
      }
      const n = sequenceLength(b);
      if (n > 0 && i + n <= buf.length && isUtf8(buf.subarray(i, i + n))) {
        i += n;
        this.run = null;
        continue;
      }
      out += buf.toString('utf8', validFrom, i) + String.fromCharCode(0xdc00 + b);
      if (this.run) this.run.bytes.push(b);
      else {
        this.invalidCount += 1;
        this.run = { line: this.line, column: start + i - this.lineStart + 1, offset: start + i, bytes: [b] };
        if (this.invalid.length < MAX_KEPT) this.invalid.push(this.run);
      }
      i += 1;
      validFrom = i;
    }
    return out + buf.toString('utf8', validFrom);
  }
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) n += 1;
  return n;
}

/** Bytes at the end of `buf` that start a multi-byte sequence the buffer does not finish. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const n = sequenceLength(b);
    return n > back ? back : 0;
  }
  return 0;
}

/** "0xFF 0xFE" */
export function formatBytes(bytes: number[]): string {
  return bytes.map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
}

/** The raw byte a surrogateescape character stands for, or null if it is not one. */
export function escapedByte(code: number): number | null {
  return code >= 0xdc80 && code <= 0xdcff ? code - 0xdc00 : null;
}
