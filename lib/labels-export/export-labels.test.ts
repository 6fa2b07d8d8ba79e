import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { ForbiddenError } from '../errors';
import { importConversationsFile } from '../imports';
import { labelTurn } from '../labeling/label-turn';
import { resetDatabase } from '../testing/db-snapshot';
import { lastJson, runCli } from '../testing/run-cli';
import type { Actor } from '../auth/session';
import { csvCell } from './csv-cell';
import { HISTORY_COLUMNS, LABEL_COLUMNS, labelExportChunks } from './export-labels';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labels-export-test-'));
const lead: Actor = { id: 'u-lead', email: 'lead@test', name: 'Lee, "the lead"', role: 'ml_lead' };
const reviewer: Actor = { id: 'u-rev', email: 'rev@test', name: 'Rev', role: 'reviewer' };

async function exported(actor: Actor, opts: { format: 'csv' | 'jsonl'; history?: boolean }): Promise<string> {
  let out = '';
  for await (const c of labelExportChunks(actor, opts)) out += c.text;
  return out;
}

let turn: number;
beforeAll(async () => {
  await resetDatabase();
  for (const a of [lead, reviewer]) await db().user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
  const csv = [
    'conversation_id,sender,text,label',
    'e-1,recruiter,"=HYPERLINK(""http://x"")",CONTINUE',
    'e-1,candidate,"yes, please",',
    'e-1,recruiter,"Booked: Friday\n10am",SCHEDULE',
  ].join('\n');
  const p = path.join(dir, 'team.csv');
  fs.writeFileSync(p, csv);
  await importConversationsFile(p);
  turn = (await db().message.findFirstOrThrow({ where: { conversation: { externalId: 'e-1' }, position: 2 } })).id;
  await labelTurn(reviewer, { messageId: turn, value: 'END' });
  await labelTurn(reviewer, { messageId: turn, value: 'SCHEDULE' });
});

/** A minimal RFC 4180 reader for checking what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += ch;
  }
  return rows;
}

describe('raw labels export', () => {
  it('CSV: one row per reviewer and turn, quoted, formulas defused', async () => {
    const rows = parseCsv(await exported(lead, { format: 'csv' }));
    expect(rows[0]).toEqual([...LABEL_COLUMNS]);
    const body = rows.slice(1).map((r) => Object.fromEntries(LABEL_COLUMNS.map((c, i) => [c, r[i]])));
    expect(body.map((r) => [r.conversation_id, r.message_position, r.reviewer_email, r.reviewer_kind, r.label])).toEqual([
      ['e-1', '0', 'import@team.csv', 'import', 'CONTINUE'],
      ['e-1', '2', 'import@team.csv', 'import', 'SCHEDULE'],
      ['e-1', '2', 'rev@test', 'person', 'SCHEDULE'],
    ]);
    // A cell starting with = is written with an apostrophe, so a spreadsheet shows it as text.
    expect(body[0].message_text).toBe(`'=HYPERLINK("http://x")`);
    expect(body[1].message_text).toBe('Booked: Friday\n10am');
    expect(body[2].labeled_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('JSONL: the same rows as objects with the same columns', async () => {
    const lines = (await exported(lead, { format: 'jsonl' }))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toEqual([...LABEL_COLUMNS]);
    expect(lines[2]).toMatchObject({ conversation_id: 'e-1', message_position: 2, reviewer_email: 'rev@test', reviewer_name: 'Rev', label: 'SCHEDULE' });
    // JSONL holds the raw text: no apostrophe there.
    expect(lines[0].message_text).toBe('=HYPERLINK("http://x")');
  });

  it('with history: every change, who, from → to and source, in order', async () => {
    const lines = (await exported(lead, { format: 'jsonl', history: true }))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(lines[0])).toEqual([...HISTORY_COLUMNS]);
    expect(lines.map((l) => [l.message_position, l.reviewer_email, l.from_label, l.to_label, l.source])).toEqual([
      [0, 'import@team.csv', null, 'CONTINUE', 'import'],
      [2, 'import@team.csv', null, 'SCHEDULE', 'import'],
      [2, 'rev@test', null, 'END', 'ui'],
      [2, 'rev@test', 'END', 'SCHEDULE', 'ui'],
    ]);
    const csvRows = parseCsv(await exported(lead, { format: 'csv', history: true }));
    expect(csvRows[0]).toEqual([...HISTORY_COLUMNS]);
    expect(csvRows).toHaveLength(5);
  });

  it('reviewers cannot export', async () => {
    await expect(exported(reviewer, { format: 'csv' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('csvCell quotes what needs quoting and defuses = + - @', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@me, ok')).toBe(`"'@me, ok"`);
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(null)).toBe('');
  });

  it('npm run labels:export writes the file and prints {"rows","file"} last', async () => {
    const out = path.join(dir, 'labels.csv');
    // Read-only runs: side by side, so the test waits for one start-up rather than four.
    const [r, h, bad, refused] = await Promise.all([
      runCli('lib/cli/labels-export.ts', ['--format', 'csv', '--out', out, '--as', lead.email]),
      runCli('lib/cli/labels-export.ts', ['--format', 'jsonl', '--history', '--as', lead.email]),
      runCli('lib/cli/labels-export.ts', ['--format', 'xml']),
      runCli('lib/cli/labels-export.ts', ['--format', 'csv', '--as', reviewer.email]),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toEqual({ rows: 3, file: out });
    expect(fs.readFileSync(out, 'utf8')).toBe(await exported(lead, { format: 'csv' }));
    expect(h.stdout.trim().split('\n')).toHaveLength(4);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format: must be one of csv, jsonl/);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/needs the ml_lead or admin role/);
  }, 90_000);
});
