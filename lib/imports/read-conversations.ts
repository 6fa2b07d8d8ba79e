// Streams the conversation objects of an import file, one at a time, with where each came
// from (JSONL line, or index in the JSON document's "conversations" array). Files of any
// size pass through in constant memory. Bytes are decoded by ./utf8-decoder.ts, which
// keeps invalid UTF-8 visible (and located) for the validator instead of replacing it.
import fs from 'node:fs';
import { Transform } from 'node:stream';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { formatBytes, Utf8Decoder, type InvalidBytes } from './utf8-decoder';
import { jsonTextIsClean } from './text-checks';

export type FileFormat = 'json' | 'jsonl';

export type RawItem =
  // `invalid`: the invalid UTF-8 runs not yet accounted for, in file order — for JSONL the
  // ones on this line, for a JSON document one queue shared by every item.
  // `clean`: the reader knows the text holds nothing ./text-checks.ts looks for.
  | { kind: 'value'; value: unknown; line: number | null; index: number; invalid: InvalidBytes[]; clean?: boolean }
  // A problem with the file itself (not one conversation): bad JSON, wrong top-level shape.
  | { kind: 'error'; line: number | null; path: string; message: string };

export async function detectFormat(file: string): Promise<FileFormat> {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fd.read(buf, 0, buf.length, 0);
    const head = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    // A JSON document is one object whose first key is "conversations"; anything else that
    // starts with "{" is taken as one conversation per line.
    return /^\{\s*"conversations"\s*:/.test(head) || !head.startsWith('{') ? 'json' : 'jsonl';
  } finally {
    await fd.close();
  }
}

// 64 KiB reads: measured faster than 1 MiB here (each chunk's text is concatenated with the
// unfinished line before it and scanned for line breaks).
const READ_CHUNK = 1 << 16;

/**
 * Lines of a file split on \n only (a trailing \r is trimmed later). readline would also
 * split on U+2028 / U+2029, which JSON.stringify leaves unescaped inside strings. A 0x0A
 * byte never occurs inside a multi-byte UTF-8 sequence, so splitting decoded text is safe.
 */
async function* fileLines(file: string): AsyncGenerator<{ text: string; invalid: InvalidBytes[] }> {
  const decoder = new Utf8Decoder();
  const none: InvalidBytes[] = [];
  let rest = '';
  let line = 0;
  const stream = fs.createReadStream(file, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>;
  for await (const chunk of stream) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      line += 1;
      yield { text: text.slice(start, i), invalid: decoder.invalid.length > 0 ? takeLine(decoder, line) : none };
      start = i + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  // The decoder's tail cannot hold a \n (it only holds back an unfinished sequence).
  if (rest) yield { text: rest, invalid: takeLine(decoder, line + 1) };
}

// The invalid runs the decoder found up to this line, taken from its queue in order.
function takeLine(decoder: Utf8Decoder, line: number): InvalidBytes[] {
  const mine: InvalidBytes[] = [];
  while (decoder.invalid.length > 0 && decoder.invalid[0].line <= line) mine.push(decoder.invalid.shift()!);
  return mine;
}

export async function* readJsonl(file: string): AsyncGenerator<RawItem> {
  let line = 0;
  let index = 0;
  for await (const { text, invalid } of fileLines(file)) {
    line += 1;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (!trimmed) {
      if (invalid.length > 0) yield { kind: 'error', line, path: '$', message: invalidBytesMessage(invalid) };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      // Invalid bytes outside a string break the JSON; name them, not the parser's token.
      const cause = invalid.length > 0 ? invalidBytesMessage(invalid) : (e as Error).message;
      yield { kind: 'error', line, path: '$', message: `malformed JSON (${cause})` };
      continue;
    }
    yield { kind: 'value', value, line, index: index++, invalid, clean: invalid.length === 0 && jsonTextIsClean(trimmed) };
  }
}

export function invalidBytesMessage(runs: InvalidBytes[]): string {
  const r = runs[0];
  const more = runs.length > 1 ? ` and ${runs.length - 1} more place${runs.length > 2 ? 's' : ''}` : '';
  return `not valid UTF-8: bytes ${formatBytes(r.bytes)} at line ${r.line}, column ${r.column} (byte offset ${r.offset})${more}`;
}

/**
 * Decodes the file for the JSON parser: strings in object mode, so nothing re-encodes them.
 * `escapes.seen` turns true at the first \u escape, the only way valid JSON writes a NUL or
 * a lone surrogate; until then (and with no invalid bytes) no item needs the text walk.
 */
function decodingStage(decoder: Utf8Decoder, escapes: { seen: boolean }): Transform {
  let last = '';
  const note = (text: string) => {
    if (!escapes.seen && (text.includes('\\u') || (last === '\\' && text.startsWith('u')))) escapes.seen = true;
    last = text.at(-1) ?? last;
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      const text = decoder.write(chunk);
      if (text) {
        note(text);
        this.push(text);
      }
      done();
    },
    flush(done) {
      const text = decoder.end();
      if (text) this.push(text);
      done();
    },
  });
}

export async function* readJsonDocument(file: string): AsyncGenerator<RawItem> {
  const decoder = new Utf8Decoder();
  const escapes = { seen: false };
  // Guards the document's outer shape while the elements of "conversations" stream past.
  const shapeErrors: RawItem[] = [];
  let depth = 0;
  let sawTopObject = false;
  let sawConversations = false;
  const guard = (token: { name: string; value?: unknown }) => {
    if (token.name === 'startObject' || token.name === 'startArray') {
      if (depth === 0) {
        if (token.name === 'startArray')
          shapeErrors.push({ kind: 'error', line: null, path: '$', message: 'the document must be an object with a "conversations" array' });
        sawTopObject = token.name === 'startObject';
      }
      depth += 1;
    } else if (token.name === 'endObject' || token.name === 'endArray') {
      depth -= 1;
    } else if (token.name === 'keyValue' && depth === 1 && sawTopObject) {
      if (token.value === 'conversations') sawConversations = true;
      else shapeErrors.push({ kind: 'error', line: null, path: `$.${String(token.value)}`, message: 'unknown property (only "conversations" is allowed)' });
    } else if (depth === 0 && token.name.endsWith('Value')) {
      shapeErrors.push({ kind: 'error', line: null, path: '$', message: 'the document must be an object with a "conversations" array' });
    }
    return token;
  };
  const stages = [
    fs.createReadStream(file, { highWaterMark: READ_CHUNK }),
    decodingStage(decoder, escapes),
    parser({ packKeys: true, packStrings: true, packNumbers: true }),
    guard,
    pick({ filter: 'conversations' }),
    streamArray(),
  ];
  const pipeline = chain(stages as unknown as Parameters<typeof chain>[0]);
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      const clean = !escapes.seen && decoder.invalidCount === 0;
      yield { kind: 'value', value: item.value, line: null, index: item.key, invalid: decoder.invalid, clean };
    }
  } catch (e) {
    const msg = (e as Error).message;
    const invalid = decoder.invalid.splice(0);
    yield {
      kind: 'error',
      line: invalid[0]?.line ?? null,
      path: '$',
      message:
        invalid.length > 0
          ? `malformed JSON (${invalidBytesMessage(invalid)})`
          : /array/i.test(msg) && !/JSON/i.test(msg)
            ? `"conversations" must be an array`
            : `malformed JSON (${await preciseJsonError(file, msg)})`,
    };
    return;
  }
  // Invalid bytes no string took (in a key of the outer object, say) are still reported.
  const unclaimed = decoder.invalid.splice(0);
  if (unclaimed.length > 0) yield { kind: 'error', line: unclaimed[0].line, path: '$', message: invalidBytesMessage(unclaimed) };
  yield* shapeErrors;
  if (!sawConversations && shapeErrors.length === 0) {
    yield { kind: 'error', line: null, path: '$.conversations', message: 'missing: the document needs a "conversations" array' };
  }
}

// The streaming parser does not say where it stopped; for files small enough to hold,
// JSON.parse does (line and column), which is what a person fixing the file needs.
async function preciseJsonError(file: string, fallback: string): Promise<string> {
  const { size } = await fs.promises.stat(file);
  if (size > 64 * 1024 * 1024) return fallback;
  try {
    JSON.parse((await fs.promises.readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    return fallback;
  } catch (e) {
    return (e as Error).message;
  }
}

export async function* readConversations(file: string, format?: FileFormat): AsyncGenerator<RawItem> {
  const fmt = format ?? (await detectFormat(file));
  yield* fmt === 'jsonl' ? readJsonl(file) : readJsonDocument(file);
}
