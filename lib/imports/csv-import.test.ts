import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { expectImportRejected } from '../testing/expect-import-rejected';
import { resetDatabase } from '../testing/db-snapshot';
import { lastJson, runCli } from '../testing/run-cli';
import { importConversationsFile, parseCsvMapText, suggestCsvMapping } from '.';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-import-test-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const HEADER = 'conversation_id,sender,text,sent_at,candidate_name,job_title,label';
const GOOD_ROWS = [
  'c-1,recruiter,"Hi Dana, forklift role at $21/hr. Interested?",2026-10-01T15:00:00Z,Dana R.,Forklift Operator,CONTINUE',
  'c-1,candidate,"yes! can I interview ""friday""?\nor monday",2026-10-01T15:20:00Z,,,',
  'c-1,recruiter,Booked you Friday 10am.,2026-10-01T19:30:00Z,,,SCHEDULE',
  'c-2,Recruiter,Still looking for warehouse work?,2026-10-02T09:00:00Z,Sam,Picker,',
  'c-2,candidate,STOP,2026-10-02T09:05:00Z,,,',
  'c-2,recruiter,"Understood, we will not text again.",2026-10-02T09:06:00Z,,,end',
];
const goodCsv = () => [HEADER, ...GOOD_ROWS].join('\r\n') + '\r\n';

beforeEach(async () => {
  await resetDatabase();
  // Something already stored, so "nothing written" means more than "still empty".
  await importConversationsFile(file('existing.csv', goodCsv()));
});

async function stored(externalId: string) {
  return db().conversation.findUniqueOrThrow({
    where: { externalId },
    select: {
      candidateName: true,
      jobTitle: true,
      messages: { orderBy: { position: 'asc' }, select: { sender: true, text: true, sentAt: true, labels: { select: { value: true } } } },
    },
  });
}

describe('CSV import: one row per message, through the same validator and importer as JSON', () => {
  it('reads quoted cells, CRLF, capitalised sender and label, and stores what a JSON file would', async () => {
    const c1 = await stored('c-1');
    expect(c1.candidateName).toBe('Dana R.');
    expect(c1.jobTitle).toBe('Forklift Operator');
    expect(c1.messages.map((m) => m.text)).toEqual([
      'Hi Dana, forklift role at $21/hr. Interested?',
      'yes! can I interview "friday"?\nor monday',
      'Booked you Friday 10am.',
    ]);
    expect(c1.messages.map((m) => m.labels.map((l) => l.value))).toEqual([['CONTINUE'], [], ['SCHEDULE']]);
    const c2 = await stored('c-2');
    expect(c2.messages.map((m) => m.sender)).toEqual(['recruiter', 'candidate', 'recruiter']);
    expect(c2.messages[2].labels.map((l) => l.value)).toEqual(['END']);

    // The same conversations as JSONL: the stored rows are identical.
    const jsonl = [
      {
        external_id: 'c-1',
        candidate_name: 'Dana R.',
        job_title: 'Forklift Operator',
        messages: [
          { sender: 'recruiter', text: 'Hi Dana, forklift role at $21/hr. Interested?', sent_at: '2026-10-01T15:00:00Z', label: 'CONTINUE' },
          { sender: 'candidate', text: 'yes! can I interview "friday"?\nor monday', sent_at: '2026-10-01T15:20:00Z' },
          { sender: 'recruiter', text: 'Booked you Friday 10am.', sent_at: '2026-10-01T19:30:00Z', label: 'SCHEDULE' },
        ],
      },
    ];
    await resetDatabase();
    await importConversationsFile(file('existing.jsonl', jsonl.map((c) => JSON.stringify(c)).join('\n')));
    expect(await stored('c-1')).toEqual(c1);
  });

  it('a column mapping names the file’s own columns, in any order, extra columns ignored', async () => {
    const csv = [
      'notes,body,from,thread,when,who,position,decision',
      'x,Hello there,recruiter,t-9,2026-10-03T10:00:00Z,Ana,Driver,CONTINUE',
      'y,hi!,candidate,t-9,,,,',
    ].join('\n');
    const mapping = parseCsvMapText('conversation_id=thread,text=body,sender=from,sent_at=when,candidate_name=who,job_title=position,label=decision');
    const summary = await importConversationsFile(file('mapped.csv', csv), { csvMapping: mapping });
    expect(summary).toMatchObject({ conversations: 1, messages: 2, labels: 1, created: 1 });
    const t9 = await stored('t-9');
    expect(t9).toMatchObject({ candidateName: 'Ana', jobTitle: 'Driver' });
    expect(t9.messages.map((m) => [m.sender, m.text])).toEqual([
      ['recruiter', 'Hello there'],
      ['candidate', 'hi!'],
    ]);
    // The browser's first guess finds the same columns by name.
    expect(suggestCsvMapping(['notes', 'body', 'from', 'thread', 'when', 'who', 'position', 'decision'])).toEqual({
      conversation_id: 'thread',
      sender: 'from',
      text: 'body',
      sent_at: 'when',
      job_title: 'position',
      label: 'decision',
    });
    expect(suggestCsvMapping(HEADER.split(','))).toEqual(Object.fromEntries(HEADER.split(',').map((c) => [c, c])));
  });

  it('--map text is checked: unknown field, twice, not field=column', () => {
    expect(() => parseCsvMapText('thread=conversation_id')).toThrow(/"thread" is not a field/);
    expect(() => parseCsvMapText('text=a,text=b')).toThrow(/text is mapped twice/);
    expect(() => parseCsvMapText('text')).toThrow(/is not field=column/);
  });
});

describe('CSV import: each bad file is reported precisely and nothing is written', () => {
  it('wrong encoding (Windows-1252 bytes) names the line, the column and the bytes', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\nc-9,recruiter,Caf`), Buffer.from([0xe9]), Buffer.from(' job?,,,,\n')]);
    await expectImportRejected(file('latin1.csv', latin1), [
      /^latin1\.csv:2: text: text is not valid UTF-8: bytes 0xE9 at line 2, byte 4 of the cell; the file may be in another encoding/,
    ]);
  });

  it('UTF-16 (a spreadsheet’s "Unicode text") is one message for the file', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\nc-9,recruiter,hi,,,,\n`, 'utf16le')]);
    const lines = await expectImportRejected(file('utf16.csv', utf16), [
      /^utf16\.csv: \$: the file is UTF-16 \(little-endian\) text, not UTF-8: save it as UTF-8/,
    ]);
    expect(lines).toHaveLength(1);
  });

  it('a missing mapped column, and a required column that is not there', async () => {
    await expectImportRejected(
      file('missing-mapped.csv', `${HEADER}\nc-9,recruiter,hi,,,,\n`),
      [/^missing-mapped\.csv:1: header: no column "body" \(mapped to text\); the header's columns are "conversation_id", "sender"/],
      {
        csvMapping: { text: 'body' },
      },
    );
    await expectImportRejected(file('missing.csv', 'conversation_id,sender,message\nc-9,recruiter,hi\n'), [
      /^missing\.csv:1: header: no column for text: name a column "text" or map one to it/,
    ]);
  });

  it('an unknown sender and a label on a candidate row name the line and column', async () => {
    const csv = ['thread,from,text,label', 'c-9,recruiter,hi,CONTINUE', 'c-9,bot,beep,', 'c-9,candidate,sure,SCHEDULE', 'c-9,recruiter,ok,MAYBE'].join('\n');
    await expectImportRejected(
      file('senders.csv', csv),
      [
        /^senders\.csv:3: from \(sender\): sender must be "recruiter" or "candidate"/,
        /^senders\.csv:4: label: a label is only allowed on recruiter messages/,
        /^senders\.csv:5: label: label must be END, CONTINUE or SCHEDULE/,
      ],
      { csvMapping: { conversation_id: 'thread', sender: 'from' } },
    );
  });

  it('an empty file, and a header with no rows', async () => {
    await expectImportRejected(file('empty.csv', ''), [/^empty\.csv: \$: the file is empty: a CSV import needs a header row/]);
    await expectImportRejected(file('header-only.csv', `${HEADER}\n`), [/^header-only\.csv: \$: the file holds no conversations/]);
  });

  it('a bad timestamp names the row', async () => {
    const csv = [HEADER, 'c-9,recruiter,hi,2026-10-01 15:00,,,', 'c-9,candidate,hello,2026-13-01T00:00:00Z,,,'].join('\n');
    await expectImportRejected(file('time.csv', csv), [
      /^time\.csv:2: sent_at: sent_at must be an ISO 8601 date-time with a time zone/,
      /^time\.csv:3: sent_at: sent_at must be an ISO 8601 date-time with a time zone/,
    ]);
  });

  it('rows of one conversation out of order: split apart, or earlier than the row before', async () => {
    const csv = [
      HEADER,
      'c-9,recruiter,first,2026-10-01T10:00:00Z,,,',
      'c-8,recruiter,other,2026-10-01T10:00:00Z,,,',
      'c-9,candidate,late reply,2026-10-01T11:00:00Z,,,',
      'c-7,recruiter,one,2026-10-01T12:00:00Z,,,',
      'c-7,candidate,two,2026-10-01T11:59:00Z,,,',
    ].join('\n');
    await expectImportRejected(file('order.csv', csv), [
      /^order\.csv:4: conversation_id: rows of conversation "c-9" are not together: lines 2 and again 4/,
      /^order\.csv:6: sent_at: sent_at 2026-10-01T11:59:00Z is earlier than the message before it \(line 5\)/,
    ]);
  });

  it('broken quoting and a short row are reported and the rows after them still checked', async () => {
    const csv = [HEADER, 'c-9,recruiter,"hi" there,,,,', 'c-9,candidate,ok', 'c-9,bot,x,,,,'].join('\n');
    await expectImportRejected(file('quotes.csv', csv), [
      /^quotes\.csv:2: row: a quoted field must end at its closing quote, but " " follows it/,
      /^quotes\.csv:3: row: this row has 3 fields but the header has 7/,
      /^quotes\.csv:4: sender: sender must be "recruiter" or "candidate"/,
    ]);
  });
});

describe('npm run import -- file.csv', () => {
  it('prints the same last-line JSON as for JSON files, with --map', async () => {
    const csv = ['thread,body,sender', 'k-1,Hello,recruiter', 'k-1,Hi,candidate'].join('\n');
    const r = await runCli('lib/cli/import.ts', [file('cli.csv', csv), '--map', 'conversation_id=thread,text=body']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toEqual({ conversations: 1, messages: 2, labels: 0, created: 1, updated: 0 });
    const j = await runCli('lib/cli/import.ts', [
      file('cli.jsonl', JSON.stringify({ external_id: 'k-2', messages: [{ sender: 'recruiter', text: 'Hello' }] })),
    ]);
    expect(Object.keys(lastJson(j.stdout))).toEqual(Object.keys(lastJson(r.stdout)));
  }, 90_000);

  it('a bad --map and a missing column exit non-zero with the place', async () => {
    const bad = await runCli('lib/cli/import.ts', [file('cli2.csv', 'a,b\n1,2\n'), '--map', 'thread=a']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--map: "thread" is not a field/);
    const missing = await runCli('lib/cli/import.ts', [file('cli3.csv', 'a,b\n1,2\n'), '--map', 'conversation_id=a']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cli3\.csv:1: header: no column for sender/);
    expect(missing.stderr).toMatch(/nothing was imported/);
  }, 90_000);
});
