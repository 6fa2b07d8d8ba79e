// Streams the conversation objects of an import file, one at a time, with where each came
// from (JSONL line, index in the JSON document's "conversations" array, or CSV rows — see
// ./csv-conversations.ts). Files of any size pass through in constant memory. Bytes are decoded by ./utf8-decoder.ts, which
// keeps invalid UTF-8 visible (and located) for the validator instead of replacing it.
import { Readable, Transform } from 'node:stream';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { formatBytes, Utf8Decoder, type InvalidBytes } from './utf8-decoder';
import { jsonTextIsClean } from './text-checks';
import { readHead, type ImportSource } from './import-source';
import { encodingProblem } from './encoding-sniff';
import { readCsvConversations } from './csv-conversations';
import type { CsvMapping } from './csv-mapping';
import type { ImportIssue } from './validate-file';

export type FileFormat = 'json' | 'jsonl' | 'csv';

export type RawItem =
  // `invalid`: the invalid UTF-8 runs not yet accounted for, in file order — for JSONL the
  // ones on this line, for a JSON document one queue shared by every item.
  // `clean`: the reader knows the text holds nothing ./text-checks.ts looks for.
  // `locate` (CSV): where a path of the conversation is in the file (its row's line, its column);
  // `issues`: problems the reader already found in this conversation (a cell's bytes, row order).
  | {
      kind: 'value';
      value: unknown;
      line: number | null;
      index: number;
      invalid: InvalidBytes[];
      clean?: boolean;
      locate?: (path: PropertyKey[]) => { line: number | null; path: string };
      issues?: ImportIssue[];
    }
  // A problem with the file itself (not one conversation): bad JSON, wrong top-level shape.
  | { kind: 'error'; line: number | null; path: string; message: string };

export async function detectFormat(source: ImportSource): Promise<FileFormat> {
  if (/\.(jsonl|ndjson)$/i.test(source.name)) return 'jsonl';
  if (/\.csv$/i.test(source.name)) return 'csv';
  const head = (await readHead(source, 4096))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  // A JSON document is one object whose first key is "conversations"; anything else that
  // starts with "{" is taken as one conversation per line.
  return /^\{\s*"conversations"\s*:/.test(head) || !head.startsWith('{') ? 'json' : 'jsonl';
}

/**
 * Lines of a file split on \n only (a trailing \r is trimmed later). readline would also
 * split on U+2028 / U+2029, which JSON.stringify leaves unescaped inside strings. A 0x0A
 * byte never occurs inside a multi-byte UTF-8 sequence, so splitting decoded text is safe.
 */
async function* fileLines(source: ImportSource): AsyncGenerator<{ text: string; invalid: InvalidBytes[] }> {
  const decoder = new Utf8Decoder();
  const none: InvalidBytes[] = [];
  let rest = '';
  let line = 0;
  for await (const chunk of source.open()) {
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

export async function* readJsonl(source: ImportSource): AsyncGenerator<RawItem> {
  let line = 0;
  let index = 0;
  for await (const { text, invalid } of fileLines(source)) {
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

export async function* readJsonDocument(source: ImportSource): AsyncGenerator<RawItem> {
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
    Readable.from(source.open(), { objectMode: false }),
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
            : `malformed JSON (${await preciseJsonError(source, msg)})`,
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
async function preciseJsonError(source: ImportSource, fallback: string): Promise<string> {
  if (source.size > 64 * 1024 * 1024) return fallback;
  try {
    JSON.parse((await readHead(source, source.size)).toString('utf8').replace(/^\uFEFF/, ''));
    return fallback;
  } catch (e) {
    return (e as Error).message;
  }
}

export interface ReadOptions {
  format?: FileFormat;
  /** CSV: which of the file's columns holds each field (default: the columns named like the fields). */
  csvMapping?: CsvMapping;
}

export async function* readConversations(source: ImportSource, opts: ReadOptions = {}): AsyncGenerator<RawItem> {
  // A file in another encoding (UTF-16 from a spreadsheet, say) is one problem, not one per line.
  const problem = encodingProblem(await readHead(source, 4096));
  if (problem) {
    yield { kind: 'error', line: null, path: '$', message: problem };
    return;
  }
  const fmt = opts.format ?? (await detectFormat(source));
  if (fmt === 'csv') yield* readCsvConversations(source, opts.csvMapping);
  else yield* fmt === 'jsonl' ? readJsonl(source) : readJsonDocument(source);
}
