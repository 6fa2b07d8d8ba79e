// Streams the conversation objects of an import file, one at a time, with where each came
// from (JSONL line, or index in the JSON document's "conversations" array). Files of any
// size pass through in constant memory.
import fs from 'node:fs';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';

export type FileFormat = 'json' | 'jsonl';

export type RawItem =
  | { kind: 'value'; value: unknown; line: number | null; index: number }
  // A problem with the file itself (not one conversation): bad JSON, wrong top-level shape.
  | { kind: 'error'; line: number | null; path: string; message: string };

export async function detectFormat(file: string): Promise<FileFormat> {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fd.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    // A JSON document is one object whose first key is "conversations"; anything else that
    // starts with "{" is taken as one conversation per line.
    return /^\{\s*"conversations"\s*:/.test(head) || !head.startsWith('{') ? 'json' : 'jsonl';
  } finally {
    await fd.close();
  }
}

/**
 * Lines of a file split on \n only (a trailing \r is trimmed later). readline would also
 * split on U+2028 / U+2029, which JSON.stringify leaves unescaped inside strings.
 */
async function* fileLines(file: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8' }) as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      yield text.slice(start, i);
      start = i + 1;
    }
    rest = text.slice(start);
  }
  if (rest) yield rest;
}

export async function* readJsonl(file: string): AsyncGenerator<RawItem> {
  let line = 0;
  let index = 0;
  for await (const text of fileLines(file)) {
    line += 1;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (!trimmed) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      yield { kind: 'error', line, path: '$', message: `malformed JSON (${(e as Error).message})` };
      continue;
    }
    yield { kind: 'value', value, line, index: index++ };
  }
}

export async function* readJsonDocument(file: string): AsyncGenerator<RawItem> {
  // Guards the document's outer shape while the elements of "conversations" stream past.
  const shapeErrors: RawItem[] = [];
  let depth = 0;
  let sawTopObject = false;
  let sawConversations = false;
  const guard = (token: { name: string; value?: unknown }) => {
    if (token.name === 'startObject' || token.name === 'startArray') {
      if (depth === 0) {
        if (token.name === 'startArray') shapeErrors.push({ kind: 'error', line: null, path: '$', message: 'the document must be an object with a "conversations" array' });
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
  const stages = [fs.createReadStream(file), parser({ packKeys: true, packStrings: true, packNumbers: true }), guard, pick({ filter: 'conversations' }), streamArray()];
  const pipeline = chain(stages as unknown as Parameters<typeof chain>[0]);
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      yield { kind: 'value', value: item.value, line: null, index: item.key };
    }
  } catch (e) {
    const msg = (e as Error).message;
    yield {
      kind: 'error',
      line: null,
      path: '$',
      message: /array/i.test(msg) && !/JSON/i.test(msg) ? `"conversations" must be an array` : `malformed JSON (${await preciseJsonError(file, msg)})`,
    };
    return;
  }
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
