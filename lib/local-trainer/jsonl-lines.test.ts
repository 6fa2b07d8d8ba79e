// Lines read in chunks are the lines of the whole file, wherever the chunks split it: a BOM or
// a CRLF cut in two, a line longer than a chunk, no newline at the end.
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './jsonl-lines';

function linesOf(file: Buffer, chunkSizes: number[]): [number, string][] {
  const out: [number, string][] = [];
  const s = new LineSplitter((n, t) => out.push([n, t]));
  let at = 0;
  for (let i = 0; at < file.length; i++) {
    const size = chunkSizes[i % chunkSizes.length];
    // A reused buffer, as fs.readSync fills one: the splitter must copy what it keeps.
    const chunk = Buffer.from(file.subarray(at, at + size));
    s.push(chunk);
    chunk.fill(0);
    at += size;
  }
  s.end();
  return out;
}

describe('LineSplitter', () => {
  const file = Buffer.from(`\uFEFF{"a":1}\r\n\n  \n{"b":"${'é'.repeat(40)}"}\r\n{"c":3}`);
  const expected: [number, string][] = [
    [1, '{"a":1}'],
    [4, `{"b":"${'é'.repeat(40)}"}`],
    [5, '{"c":3}'],
  ];

  it('gives the same lines for every way of cutting the file into chunks', () => {
    for (const sizes of [[file.length], [1], [2], [3], [5, 1, 7], [64]]) expect(linesOf(file, sizes), String(sizes)).toEqual(expected);
  });

  it('keeps a file of two bytes that merely start like a BOM', () => {
    expect(linesOf(Buffer.from([0xef, 0xbb]), [1])).toEqual([[1, '\uFFFD']]);
  });
});
