// The boundary search busboy is given (boundary-search.ts) against busboy's own (streamsearch):
// the same data between the same matches, whatever the needle's neighbourhood and however the
// input is cut into chunks. Then a multipart body through busboy with it, cut at every byte.
import busboy from 'busboy';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BoundarySearch, type SearchCallback } from './boundary-search';
import { withNativeBoundarySearch } from './upload-stream';

type Searcher = { push(chunk: Buffer, pos?: number): unknown; destroy(): void };
const StreamSearch = createRequire(import.meta.url)('streamsearch') as new (needle: string | Buffer, cb: SearchCallback) => Searcher;

/** Seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The segments between matches (a match closes one) and the trailing data, as strings. */
function run(make: (cb: SearchCallback) => Searcher, chunks: Buffer[]): string[] {
  const segments: string[] = [];
  let current = '';
  const s = make((isMatch, data, start, end) => {
    if (data) current += data.toString('latin1', start, end);
    if (isMatch) {
      segments.push(current);
      current = '';
    }
  });
  for (const c of chunks) s.push(c, 0);
  s.destroy();
  segments.push(current);
  return segments;
}

function cut(data: Buffer, random: () => number, maxChunk: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length;) {
    const size = 1 + Math.floor(random() * maxChunk);
    chunks.push(data.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

describe('boundary search', () => {
  it('gives what streamsearch gives, on haystacks full of near-matches, in any chunking', () => {
    const random = rng(7);
    const needles = ['\r\n--openai-a', '\r\n--openai-ab0', '\r\n--a', '\r\n----', '\r\n--\r\n-', 'aaa', 'a'];
    for (let round = 0; round < 3000; round++) {
      const needle = needles[round % needles.length];
      const pieces = ['\r', '\n', '-', '--', '\r\n', '\r\n-', '\r\n--open', needle.slice(0, -1), needle, needle.slice(1), 'x', 'openai', 'a', 'b'];
      let text = '';
      const parts = 5 + Math.floor(random() * 60);
      for (let i = 0; i < parts; i++) text += pieces[Math.floor(random() * pieces.length)];
      const data = Buffer.from(text, 'latin1');
      const chunks = cut(data, random, 1 + Math.floor(random() * 24));
      const expected = run((cb) => new StreamSearch(needle, cb), chunks);
      expect(
        run((cb) => new BoundarySearch(needle, cb), chunks),
        JSON.stringify({ needle, text, sizes: chunks.map((c) => c.length) }),
      ).toEqual(expected);
    }
  });

  it('carries over a lookbehind it starts with', () => {
    const needle = '\r\n--b';
    const chunks = [Buffer.from('--b\r\nrest')];
    const expected = run((cb) => {
      const s = new StreamSearch(needle, cb);
      s.push(Buffer.from('\r\n'), 0);
      return s;
    }, chunks);
    expect(run((cb) => new BoundarySearch(needle, cb, Buffer.from('\r\n')), chunks)).toEqual(expected);
    expect(expected).toEqual(['', '\r\nrest']);
  });

  it('lets busboy parse a multipart body as it does with its own search, cut anywhere', async () => {
    const boundary = 'openai-k3j2h1';
    const file = Buffer.from(`{"a":"\r\n--openai-k3j2h"}\n\r\n--openai-\r\n-\r`.repeat(3), 'latin1');
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nfine-tune\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const parse = (chunks: Buffer[], native: boolean) =>
      new Promise<{ fields: Record<string, string>; files: Record<string, string> }>((resolve, reject) => {
        const bb = busboy({ headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
        if (native) {
          withNativeBoundarySearch(bb);
          expect((bb as unknown as { _bparser: unknown })._bparser).toBeInstanceOf(BoundarySearch);
        }
        const out = { fields: {} as Record<string, string>, files: {} as Record<string, string> };
        bb.on('field', (name, value) => (out.fields[name] = value));
        bb.on('file', (name, stream, info) => {
          let text = '';
          stream.on('data', (c: Buffer) => (text += c.toString('latin1')));
          stream.on('end', () => (out.files[`${name}:${info.filename}`] = text));
        });
        bb.on('close', () => resolve(out));
        bb.on('error', reject);
        for (const c of chunks) bb.write(c);
        bb.end();
      });
    const random = rng(11);
    const expected = await parse([body], false);
    expect(expected).toEqual({ fields: { purpose: 'fine-tune' }, files: { 'file:t.jsonl': file.toString('latin1') } });
    for (let round = 0; round < 200; round++) {
      const chunks = cut(body, random, 1 + Math.floor(random() * 80));
      expect(await parse(chunks, true)).toEqual(expected);
    }
  });
});
