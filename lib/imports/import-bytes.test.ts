// Bytes and characters PostgreSQL cannot store faithfully are refused by validation, with
// file, line or JSON path, and field — before anything is written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { expectImportRejected } from '../testing/expect-import-rejected';
import { resetDatabase } from '../testing/db-snapshot';
import { importConversationsFile } from '.';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-bytes-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const conv = (id: string) => ({
  external_id: id,
  candidate_name: 'Zoë',
  messages: [
    { sender: 'recruiter', text: 'Hi Zoë, still looking for warehouse work?', sent_at: '2026-10-01T15:00:00Z', label: 'CONTINUE' },
    { sender: 'candidate', text: 'MARKER', sent_at: '2026-10-01T15:20:00Z' },
  ],
});
const line = (id: string) => JSON.stringify(conv(id));
// A JSONL or JSON file whose one conversation `bad` has raw `bytes` in place of MARKER.
const withBytes = (json: string, bytes: number[]) => {
  const [before, after] = json.split('MARKER');
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
};

beforeEach(async () => {
  await resetDatabase();
  await importConversationsFile(file('existing.jsonl', line('existing-1') + '\n'));
});

describe('import: bytes that cannot be stored are located and nothing is written', () => {
  it('invalid UTF-8 in a JSONL line names the line, the field and the bytes', async () => {
    const p = file('bytes.jsonl', Buffer.concat([Buffer.from(line('a') + '\n'), withBytes(line('b'), [0x63, 0x61, 0x66, 0xff, 0xfe]), Buffer.from('\n')]));
    await expectImportRejected(p, [
      /^bytes\.jsonl:2: \$\.messages\[1\]\.text: text is not valid UTF-8: bytes 0xFF 0xFE at line 2, column \d+ \(byte offset \d+\)$/,
    ]);
  });

  it('invalid UTF-8 in a JSON document names the JSON path, the field, the line and the bytes', async () => {
    const doc = JSON.stringify({ conversations: [conv('a'), conv('b')] }, null, 2)
      .replace('MARKER', 'ok')
      .replace(/"ok"([\s\S]*)"ok"/, '"ok"$1"MARKER"');
    // A truncated two-byte sequence (0xC3 without its continuation byte).
    await expectImportRejected(file('bytes.json', withBytes(doc, [0x63, 0x61, 0x66, 0xc3])), [
      /^bytes\.json: \$\.conversations\[1\]\.messages\[1\]\.text: text is not valid UTF-8: bytes 0xC3 at line \d+, column \d+/,
    ]);
  });

  it('invalid UTF-8 outside any string is reported as such, with its line', async () => {
    const p = file('outside.jsonl', Buffer.concat([Buffer.from(line('a') + '\n'), Buffer.from([0xff]), Buffer.from(line('b') + '\n')]));
    await expectImportRejected(p, [/^outside\.jsonl:2: \$: malformed JSON \(not valid UTF-8: bytes 0xFF at line 2, column 1 \(byte offset \d+\)\)$/]);
  });

  it('a lone surrogate escape is refused in JSONL and in a JSON document', async () => {
    const bad = line('b').replace('"Zoë"', '"Zo\\ud800"');
    await expectImportRejected(file('sur.jsonl', `${line('a')}\n${bad}\n`), [
      /^sur\.jsonl:2: \$\.candidate_name: candidate_name contains a lone surrogate \(\\ud800\) at character 3, which is not valid Unicode$/,
    ]);
    const doc = `{"conversations": [${line('a')}, ${line('b').replace('MARKER', 'ok \\udc80')}]}`;
    await expectImportRejected(file('sur.json', doc), [
      /^sur\.json: \$\.conversations\[1\]\.messages\[1\]\.text: text contains a lone surrogate \(\\udc80\) at character 4/,
    ]);
  });

  it('a NUL escape is refused in any text field', async () => {
    const p = file('nul.jsonl', `${line('a').replace('MARKER', 'zero\\u0000byte')}\n${line('b').replace('"b"', '"b\\u0000"')}\n`);
    await expectImportRejected(p, [
      /^nul\.jsonl:1: \$\.messages\[1\]\.text: text contains a NUL character \(\\u0000\) at character 5, which cannot be stored$/,
      /^nul\.jsonl:2: \$\.external_id: external_id contains a NUL character/,
    ]);
  });

  it('a year-0000 and a year-10000 timestamp are out of range, by field', async () => {
    const y0 = line('a').replace('2026-10-01T15:20:00Z', '0000-01-01T00:00:00Z');
    const y10k = line('b').replace('2026-10-01T15:00:00Z', '10000-01-01T00:00:00Z');
    // Still year 9999 where it was written, but year 10000 in UTC.
    const late = line('c').replace('2026-10-01T15:00:00Z', '9999-12-31T23:30:00-01:00');
    await expectImportRejected(file('years.jsonl', [y0, y10k, late].join('\n') + '\n'), [
      /^years\.jsonl:1: \$\.messages\[1\]\.sent_at: sent_at "0000-01-01T00:00:00Z" is out of range: it must fall between 1970-01-01T00:00:00\.000Z and 9999-12-31T23:59:59\.999Z$/,
      /^years\.jsonl:2: \$\.messages\[0\]\.sent_at: sent_at "10000-01-01T00:00:00Z" is out of range/,
      /^years\.jsonl:3: \$\.messages\[0\]\.sent_at: sent_at "9999-12-31T23:30:00-01:00" is out of range/,
    ]);
  });

  it('text that is valid stays exactly as written: accents, emoji, U+2028, a BOM, U+FFFD itself', async () => {
    const text = 'café 👍🏽 line\u2028sep \uFFFD ok';
    const c = conv('ok');
    c.messages[1].text = text;
    // Files over a MiB, many times the read size, so multi-byte characters straddle chunk boundaries.
    const filler = (prefix: string) =>
      Array.from({ length: 4000 }, (_, i) => ({ ...conv(`${prefix}-${i}`), candidate_name: 'Ŧéśŧ 名前 ' + 'é'.repeat(i % 7) }));
    const jsonlFile = file('valid.jsonl', '\uFEFF' + [c, ...filler('l')].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const jsonFile = file('valid.json', '\uFEFF' + JSON.stringify({ conversations: filler('j') }, null, 1));
    for (const p of [jsonlFile, jsonFile]) {
      expect(fs.statSync(p).size).toBeGreaterThan(1 << 20);
      expect(await importConversationsFile(p)).toMatchObject({ created: p === jsonlFile ? 4001 : 4000 });
    }
    const stored = await db().message.findFirstOrThrow({ where: { conversation: { externalId: 'ok' }, position: 1 } });
    expect(stored.text).toBe(text);
    const names = await db().conversation.findMany({ where: { externalId: { not: { in: ['ok', 'existing-1'] } } }, select: { candidateName: true } });
    expect(names).toHaveLength(8000);
    expect(names.every((n) => /^Ŧéśŧ 名前 é*$/.test(n.candidateName ?? ''))).toBe(true);
  });
});
