// CSV records (RFC 4180) from a stream of bytes, each with the line it starts on. Fields stay
// bytes: ./csv-conversations.ts checks each cell's UTF-8 itself, so a wrong encoding is named
// by line and column. Written here rather than taken from npm: csv-parse 7.0.3 (tried) counts
// a CRLF as two lines, cannot raise an error when asked for bytes (`encoding: null` throws
// ERR_UNKNOWN_ENCODING inside its own CsvError), and after one bad quote drops the good rows
// that follow. Here a broken record is reported and reading goes on at the next line.
//
// Records end at \n, \r\n or a lone \r outside quotes; "" inside quotes is one quote; a quote
// inside an unquoted field is kept as it is (spreadsheets write 5" screens that way). Blank
// lines are skipped. The separator is the comma unless the header row holds none and has
// semicolons or tabs instead (European spreadsheet exports).

export type CsvRecord = { kind: 'record'; fields: Buffer[]; line: number } | { kind: 'error'; line: number; message: string };

/** A row longer than this is broken (an unclosed quote swallowing the file), not a message. */
export const MAX_RECORD_BYTES = 1 << 20;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const COMMA = 0x2c;

function pickSeparator(firstLine: Buffer): number {
  if (firstLine.includes(COMMA)) return COMMA;
  const semis = firstLine.filter((b) => b === 0x3b).length;
  const tabs = firstLine.filter((b) => b === 0x09).length;
  if (semis === 0 && tabs === 0) return COMMA;
  return tabs > semis ? 0x09 : 0x3b;
}

export async function* readCsvRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<CsvRecord> {
  let sep = -1;
  let line = 1; // the line the next byte is on
  let recordLine = 1;
  let recordBytes = 0;
  let fields: Buffer[] = [];
  let parts: Buffer[] = []; // the current field's bytes so far
  let inQuotes = false;
  let quoteLine = 0;
  let afterQuote = false; // inside quotes, the previous byte was a quote
  let fieldStarted = false; // the record holds something (a byte, a separator, a quote): it is not blank
  let fieldFresh = true; // nothing of the current field read yet: a quote here opens a quoted field
  let broken: string | null = null; // the record is bad: skip to its end, then report
  let crBefore = false; // inside quotes, the previous byte was a \r (a \r\n is one line break)
  let pendingCr = false; // a \r ended a record; a \n right after it belongs to it
  let head: Buffer[] = []; // bytes before the first line break, to choose the separator

  const EMPTY = Buffer.alloc(0);
  const endField = () => {
    fields.push(parts.length === 1 ? parts[0] : parts.length === 0 ? EMPTY : Buffer.concat(parts));
    parts = [];
    fieldFresh = true;
  };

  function* endRecord(): Generator<CsvRecord> {
    if (broken) {
      yield { kind: 'error', line: recordLine, message: broken };
    } else {
      endField();
      const blank = fields.length === 1 && fields[0].length === 0 && !fieldStarted;
      if (!blank) yield { kind: 'record', fields, line: recordLine };
    }
    fields = [];
    parts = [];
    broken = null;
    fieldStarted = false;
    fieldFresh = true;
    recordBytes = 0;
    recordLine = line;
  }

  for await (const raw of chunks) {
    let buf = raw;
    if (sep < 0) {
      // The separator is chosen from the first line; until it is complete, hold the bytes.
      head.push(buf);
      let joined = Buffer.concat(head);
      const nl = joined.findIndex((b) => b === LF || b === CR);
      if (nl < 0 && joined.length < 64 * 1024) continue;
      if (joined.length >= 3 && joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf) joined = joined.subarray(3);
      sep = pickSeparator(nl < 0 ? joined : joined.subarray(0, nl));
      buf = joined;
      head = [];
    }
    let start = 0; // where the unsaved bytes of the current field begin in `buf`
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (pendingCr) {
        pendingCr = false;
        if (b === LF) {
          start = i + 1;
          continue;
        }
      }
      if (broken) {
        // Skip to the end of the line; a quote that opened the trouble may hold line breaks
        // of its own, but one bad row must not take the rest of the file with it.
        if (b === LF || b === CR) {
          line += 1;
          yield* endRecord();
          if (b === CR) pendingCr = true;
        }
        start = i + 1;
        continue;
      }
      recordBytes += 1;
      if (recordBytes > MAX_RECORD_BYTES) {
        broken = inQuotes
          ? `a quoted field opened on line ${quoteLine} is still open ${MAX_RECORD_BYTES.toLocaleString('en-US')} bytes later: a closing quote (") is missing`
          : `the row is longer than ${MAX_RECORD_BYTES.toLocaleString('en-US')} bytes`;
        inQuotes = false;
        afterQuote = false;
        parts = [];
        start = i + 1;
        continue;
      }
      if (inQuotes) {
        if (afterQuote) {
          afterQuote = false;
          if (b === QUOTE) {
            // "" → one quote: the first was left out, this one starts the next part.
            start = i;
            continue;
          }
          inQuotes = false;
          // The byte after a closing quote must end the field.
          if (b !== sep && b !== LF && b !== CR) {
            broken = `a quoted field must end at its closing quote, but ${describeByte(b)} follows it (write a quote inside a quoted field as "")`;
            parts = [];
            start = i + 1;
            continue;
          }
          // Fall through: handled as a separator or line break below.
        } else {
          if (b === QUOTE) {
            if (i > start) parts.push(buf.subarray(start, i));
            start = i + 1;
            afterQuote = true;
          } else if (b === CR || (b === LF && !crBefore)) line += 1;
          crBefore = b === CR;
          continue;
        }
      }
      if (b === sep) {
        if (i > start) parts.push(buf.subarray(start, i));
        endField();
        fieldStarted = true;
        start = i + 1;
      } else if (b === LF || b === CR) {
        if (i > start) parts.push(buf.subarray(start, i));
        line += 1;
        yield* endRecord();
        if (b === CR) pendingCr = true;
        start = i + 1;
      } else if (b === QUOTE && fieldFresh) {
        inQuotes = true;
        quoteLine = line;
        fieldStarted = true;
        fieldFresh = false;
        start = i + 1;
      } else {
        fieldStarted = true;
        fieldFresh = false;
      }
    }
    // Keep the current field's unsaved bytes (a copy: the chunk's memory is reused by streams).
    if (!broken && start < buf.length) parts.push(Buffer.from(buf.subarray(start)));
  }
  if (sep < 0 && head.length) {
    // A file with a single line and no line break shorter than the look-ahead.
    yield* readCsvRecords(
      (async function* () {
        yield Buffer.concat([...head, Buffer.from('\n')]);
      })(),
    );
    return;
  }
  if (inQuotes && !afterQuote) {
    yield { kind: 'error', line: recordLine, message: `a quoted field opened on line ${quoteLine} is never closed: a closing quote (") is missing` };
    return;
  }
  if (broken || fields.length > 0 || parts.some((p) => p.length > 0) || afterQuote) yield* endRecord();
}

function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `the byte 0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}
