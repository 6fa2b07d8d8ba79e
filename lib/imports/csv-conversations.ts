// CSV (one row per message) → the same conversation objects the JSON readers yield, so the same
// validator (./validate-file.ts) and importer (./import-conversations.ts) take them. Rows of one
// conversation come together and in message order; each conversation is yielded when the next
// one starts, so only one conversation's rows are held at a time (plus the ids seen, to tell a
// conversation whose rows are split from one that merely has many).
import { isUtf8 } from 'node:buffer';
import type { RawItem } from './read-conversations';
import type { ImportSource } from './import-source';
import type { ImportIssue } from './validate-file';
import { readCsvRecords } from './csv-records';
import { CSV_FIELDS, columnLabel, resolveCsvColumns, type CsvField, type CsvMapping, type ResolvedCsvColumns } from './csv-mapping';
import { OTHER_ENCODING_HINT } from './encoding-sniff';
import { sentAtProblem } from './timestamps';
import { formatBytes } from './utf8-decoder';

interface Pending {
  id: string;
  index: number;
  firstLine: number;
  lastLine: number;
  candidate?: { value: string; line: number };
  job?: { value: string; line: number };
  messages: Record<string, string>[];
  lines: number[];
  issues: ImportIssue[];
  lastSentAt: { ms: number; line: number } | null;
}

/** The header row's column names, for the browser's mapping step (null: the file has no rows). */
export async function readCsvHeader(source: ImportSource): Promise<string[] | null> {
  for await (const r of readCsvRecords(source.open())) {
    if (r.kind === 'error') return null;
    return r.fields.map((f) => f.toString('utf8').trim());
  }
  return null;
}

export async function* readCsvConversations(source: ImportSource, mapping: CsvMapping = {}): AsyncGenerator<RawItem> {
  let header: string[] | null = null;
  let columns: ResolvedCsvColumns = {};
  let current: Pending | null = null;
  const finished = new Map<string, { first: number; last: number }>();
  let index = 0;
  let hinted = false;

  const label = (field: CsvField) => columnLabel(header!, columns, field);

  /** The cell's text; bytes that are not UTF-8 are reported (once per cell) and the text kept lossily. */
  const cell = (fields: Buffer[], field: CsvField, line: number, issues: ImportIssue[]): string | undefined => {
    const i = columns[field];
    if (i === undefined || i >= fields.length) return undefined;
    const bytes = fields[i];
    if (!isUtf8(bytes)) issues.push({ line, path: label(field), message: invalidCellMessage(field, bytes, line) });
    return bytes.toString('utf8');
  };

  function invalidCellMessage(field: CsvField, bytes: Buffer, line: number): string {
    let at = 0;
    while (at < bytes.length && isUtf8(bytes.subarray(0, at + 1))) at += 1;
    // The first byte that no valid sequence explains, and the ones right after it that are bad too.
    let end = at + 1;
    while (end < bytes.length && end - at < 4 && bytes[end] >= 0x80 && !isUtf8(bytes.subarray(at, end + 1))) end += 1;
    const before = bytes.subarray(0, at);
    const lineInCell = before.filter((b) => b === 0x0a).length;
    const hint = hinted ? '' : `; ${OTHER_ENCODING_HINT}`;
    hinted = true;
    return `${field} is not valid UTF-8: bytes ${formatBytes([...bytes.subarray(at, end)])} at line ${line + lineInCell}, byte ${at + 1} of the cell${hint}`;
  }

  function* flush(): Generator<RawItem> {
    const c = current;
    current = null;
    if (!c) return;
    const earlier = finished.get(c.id);
    if (earlier) {
      yield {
        kind: 'error',
        line: c.firstLine,
        path: label('conversation_id'),
        message: `rows of conversation "${c.id}" are not together: lines ${span(earlier.first, earlier.last)} and again ${span(c.firstLine, c.lastLine)}; put each conversation's rows next to each other, in message order`,
      };
      return;
    }
    finished.set(c.id, { first: c.firstLine, last: c.lastLine });
    const value: Record<string, unknown> = { external_id: c.id };
    if (c.candidate) value.candidate_name = c.candidate.value;
    if (c.job) value.job_title = c.job.value;
    value.messages = c.messages;
    const lines = c.lines;
    const locate = (path: PropertyKey[]): { line: number | null; path: string } => {
      const [top, i, field] = path;
      if (top === 'messages' && typeof i === 'number') {
        const f = CSV_FIELDS.find((x) => x === field) ?? null;
        return { line: lines[i] ?? c.firstLine, path: f ? label(f) : 'row' };
      }
      if (top === 'external_id') return { line: c.firstLine, path: label('conversation_id') };
      if (top === 'candidate_name') return { line: c.candidate?.line ?? c.firstLine, path: label('candidate_name') };
      if (top === 'job_title') return { line: c.job?.line ?? c.firstLine, path: label('job_title') };
      return { line: c.firstLine, path: 'row' };
    };
    yield { kind: 'value', value, line: c.firstLine, index: c.index, invalid: [], locate, issues: c.issues };
  }

  for await (const record of readCsvRecords(source.open())) {
    if (record.kind === 'error') {
      yield { kind: 'error', line: record.line, path: 'row', message: record.message };
      continue;
    }
    if (!header) {
      header = record.fields.map((f) => f.toString('utf8').trim());
      const bad = record.fields.findIndex((f) => !isUtf8(f));
      if (bad >= 0) {
        yield { kind: 'error', line: record.line, path: 'header', message: `column ${bad + 1} of the header is not valid UTF-8; ${OTHER_ENCODING_HINT}` };
        return;
      }
      const resolved = resolveCsvColumns(header, mapping);
      if (resolved.problems.length) {
        for (const message of resolved.problems) yield { kind: 'error', line: record.line, path: 'header', message };
        return;
      }
      columns = resolved.columns;
      continue;
    }
    const line = record.line;
    const issues: ImportIssue[] = [];
    if (record.fields.length !== header.length) {
      issues.push({
        line,
        path: 'row',
        message: `this row has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'} but the header has ${header.length} (a separator too many or too few, or an unquoted comma in a cell)`,
      });
    }
    const id = cell(record.fields, 'conversation_id', line, issues)?.trim() ?? '';
    if (!id) {
      yield { kind: 'error', line, path: label('conversation_id'), message: 'conversation_id is empty: every row needs the conversation it belongs to' };
      continue;
    }
    if (current && current.id !== id) yield* flush();
    current ??= { id, index: index++, firstLine: line, lastLine: line, messages: [], lines: [], issues: [], lastSentAt: null };
    const c: Pending = current;
    c.lastLine = line;
    c.issues.push(...issues);

    const message: Record<string, string> = {};
    const sender = cell(record.fields, 'sender', line, c.issues);
    // Spreadsheets capitalise: "Recruiter" and "end" mean what they say.
    message.sender = sender === undefined ? '' : sender.trim().toLowerCase();
    message.text = cell(record.fields, 'text', line, c.issues) ?? '';
    const sentAt = cell(record.fields, 'sent_at', line, c.issues)?.trim();
    if (sentAt) {
      message.sent_at = sentAt;
      if (!sentAtProblem(sentAt)) {
        const ms = Date.parse(sentAt);
        if (c.lastSentAt && ms < c.lastSentAt.ms) {
          c.issues.push({
            line,
            path: label('sent_at'),
            message: `sent_at ${sentAt} is earlier than the message before it (line ${c.lastSentAt.line}): a conversation's rows must be in message order`,
          });
        }
        c.lastSentAt = { ms, line };
      }
    }
    const value = cell(record.fields, 'label', line, c.issues)?.trim();
    if (value) message.label = value.toUpperCase();
    for (const [field, key] of [
      ['candidate_name', 'candidate'],
      ['job_title', 'job'],
    ] as const) {
      const v = cell(record.fields, field, line, c.issues)?.trim();
      if (!v) continue;
      const seen = c[key];
      if (!seen) c[key] = { value: v, line };
      else if (seen.value !== v)
        c.issues.push({
          line,
          path: label(field),
          message: `${field} "${v}" differs from "${seen.value}" on line ${seen.line}: one conversation has one ${field}`,
        });
    }
    c.messages.push(message);
    c.lines.push(line);
  }
  yield* flush();
  if (!header) yield { kind: 'error', line: null, path: '$', message: 'the file is empty: a CSV import needs a header row and one row per message' };
}

function span(a: number, b: number): string {
  return a === b ? `${a}` : `${a}–${b}`;
}
