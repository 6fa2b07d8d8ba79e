// Which column of a CSV file holds each field of a message row. The CLI names columns with
// `--map conversation_id=thread,text=body`; the browser offers the header's columns, matched
// by name first (suggestCsvMapping). One resolver checks a mapping against the header.
import { z } from 'zod';

export const CSV_FIELDS = ['conversation_id', 'sender', 'text', 'sent_at', 'candidate_name', 'job_title', 'label'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export const REQUIRED_CSV_FIELDS: readonly CsvField[] = ['conversation_id', 'sender', 'text'];

export const CSV_FIELD_HELP: Record<CsvField, string> = {
  conversation_id: 'the conversation each row belongs to (rows of one conversation together, in message order)',
  sender: '"recruiter" or "candidate"',
  text: 'the message text',
  sent_at: 'when it was sent: ISO 8601 with a time zone, e.g. 2026-10-01T15:00:00Z (optional)',
  candidate_name: "the candidate's name (optional; on any row of the conversation)",
  job_title: 'the job (optional; on any row of the conversation)',
  label: 'END, CONTINUE or SCHEDULE on recruiter rows (optional)',
};

/** Field → the file's column name; a field left out is not read (an optional one) or looked up by its own name. */
export type CsvMapping = Partial<Record<CsvField, string>>;

export const csvMappingSchema = z
  .object(Object.fromEntries(CSV_FIELDS.map((f) => [f, z.string().trim().min(1).max(200).optional()])) as Record<CsvField, z.ZodOptional<z.ZodString>>)
  .strict();

/** `conversation_id=thread,text=body` → a mapping; throws with what is wrong. */
export function parseCsvMapText(text: string): CsvMapping {
  const out: CsvMapping = {};
  for (const part of text.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) throw new Error(`"${part.trim()}" is not field=column (e.g. conversation_id=thread)`);
    const field = CSV_FIELDS.find((f) => f === m[1]);
    if (!field) throw new Error(`"${m[1]}" is not a field; the fields are ${CSV_FIELDS.join(', ')}`);
    if (out[field] !== undefined) throw new Error(`${field} is mapped twice`);
    out[field] = m[2];
  }
  return out;
}

const normal = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

// Other names for the same field in the exports we have seen, tried after the exact name.
const SYNONYMS: Record<CsvField, string[]> = {
  conversation_id: ['conversation', 'conversationid', 'externalid', 'thread', 'threadid', 'chatid', 'convid', 'conversationexternalid'],
  sender: ['from', 'author', 'speaker', 'role', 'direction', 'senderrole'],
  text: ['body', 'message', 'messagetext', 'content', 'msg'],
  sent_at: ['sentat', 'timestamp', 'time', 'datetime', 'date', 'createdat', 'sent', 'senttime', 'when', 'senton'],
  candidate_name: ['candidate', 'candidatename', 'name', 'applicant', 'applicantname'],
  job_title: ['job', 'jobtitle', 'position', 'title', 'role_title', 'jobname'],
  label: ['label', 'decision', 'exitlabel', 'advisorlabel'],
};

/** The header's columns matched to fields by name (each column used once): the browser's first guess. */
export function suggestCsvMapping(columns: readonly string[]): CsvMapping {
  const out: CsvMapping = {};
  const used = new Set<number>();
  const take = (field: CsvField, pred: (c: string) => boolean) => {
    if (out[field] !== undefined) return;
    const i = columns.findIndex((c, k) => !used.has(k) && pred(normal(c)));
    if (i >= 0) {
      out[field] = columns[i];
      used.add(i);
    }
  };
  for (const f of CSV_FIELDS) take(f, (c) => c === normal(f));
  for (const f of CSV_FIELDS) for (const syn of SYNONYMS[f]) take(f, (c) => c === normal(syn));
  return out;
}

/** Field → index of its column in the header row. */
export type ResolvedCsvColumns = Partial<Record<CsvField, number>>;

/**
 * The column index of each field, or the problems (a mapped column the header lacks, a
 * required field with no column, one column mapped to two fields). Without a mapping entry a
 * field is looked up by its own name, case-insensitively.
 */
export function resolveCsvColumns(header: readonly string[], mapping: CsvMapping = {}): { columns: ResolvedCsvColumns; problems: string[] } {
  const columns: ResolvedCsvColumns = {};
  const problems: string[] = [];
  const names = header.map((h) => h.trim());
  const list = names.length ? names.map((n) => `"${n}"`).join(', ') : 'none';
  const byColumn = new Map<number, CsvField>();
  for (const field of CSV_FIELDS) {
    const wanted = mapping[field];
    let index = -1;
    if (wanted !== undefined) {
      index = names.indexOf(wanted.trim());
      if (index < 0) index = names.findIndex((n) => n.toLowerCase() === wanted.trim().toLowerCase());
      if (index < 0) {
        problems.push(`no column "${wanted}" (mapped to ${field}); the header's columns are ${list}`);
        continue;
      }
    } else {
      index = names.findIndex((n) => n.toLowerCase() === field);
      if (index < 0) {
        if (REQUIRED_CSV_FIELDS.includes(field))
          problems.push(`no column for ${field}: name a column "${field}" or map one to it; the header's columns are ${list}`);
        continue;
      }
    }
    const other = byColumn.get(index);
    if (other) {
      problems.push(`column "${names[index]}" is mapped to both ${other} and ${field}`);
      continue;
    }
    byColumn.set(index, field);
    columns[field] = index;
  }
  return { columns, problems };
}

/** How a field's column is named in messages: `sender` or `from (sender)`. */
export function columnLabel(header: readonly string[], columns: ResolvedCsvColumns, field: CsvField): string {
  const i = columns[field];
  const name = i === undefined ? undefined : header[i]?.trim();
  return !name || name.toLowerCase() === field ? field : `${name} (${field})`;
}
