import { describe, expect, it } from 'vitest';
import { Utf8Decoder } from './utf8-decoder';

function decodeInChunks(bytes: number[], size: number) {
  const d = new Utf8Decoder();
  let out = '';
  for (let i = 0; i < bytes.length; i += size) out += d.write(Buffer.from(bytes.slice(i, i + size)));
  out += d.end();
  return { out, invalid: d.invalid };
}

const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];

describe('Utf8Decoder', () => {
  it('decodes valid UTF-8 exactly, however the chunks fall', () => {
    const text = 'a\né 名 👍🏽\u2028z';
    for (const size of [1, 2, 3, 5, 64]) expect(decodeInChunks(utf8(text), size)).toEqual({ out: text, invalid: [] });
  });

  it('keeps each invalid byte as U+DC80+byte and records one run per sequence, with line and column', () => {
    const bytes = [...utf8('ab\nc'), 0xff, 0xfe, ...utf8('é'), 0xe2, 0x82, ...utf8('\n'), 0xed, 0xa0, 0x80, ...utf8('x')];
    for (const size of [1, 2, 4, 100]) {
      const { out, invalid } = decodeInChunks(bytes, size);
      expect(out).toBe('ab\nc\udcff\udcfeé\udce2\udc82\n\udced\udca0\udc80x');
      expect(invalid).toEqual([
        { line: 2, column: 2, offset: 4, bytes: [0xff, 0xfe] },
        { line: 2, column: 6, offset: 8, bytes: [0xe2, 0x82] },
        { line: 3, column: 1, offset: 11, bytes: [0xed, 0xa0, 0x80] },
      ]);
    }
  });

  it('reports a sequence cut off at the end of the file', () => {
    expect(decodeInChunks([...utf8('ok'), 0xf0, 0x9f], 1)).toEqual({
      out: 'ok\udcf0\udc9f',
      invalid: [{ line: 1, column: 3, offset: 2, bytes: [0xf0, 0x9f] }],
    });
  });
});
