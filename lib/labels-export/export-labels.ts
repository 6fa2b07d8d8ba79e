// The raw labels, as CSV or JSONL: one row per reviewer and turn (their current label), or
// with `history` one row per change (label_events: who, when, from → to, source). The one
// export behind `npm run labels:export` and the download on the conversations page; streamed
// from a database cursor, so a million labels never sit in memory.
import pg from 'pg';
import Cursor from 'pg-cursor';
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { isImportSource } from '../auth/account-kind';
import { csvLine } from './csv-cell';

export const LABEL_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export const labelExportInput = z.object({
  format: z.enum(LABEL_EXPORT_FORMATS, { error: 'format must be csv or jsonl' }),
  history: z.boolean().default(false),
});
export type LabelExportOptions = z.output<typeof labelExportInput>;

/** The columns, in order (README: "Labels export"). */
export const LABEL_COLUMNS = [
  'conversation_id',
  'message_position',
  'message_text',
  'reviewer_email',
  'reviewer_name',
  'reviewer_kind',
  'label',
  'labeled_at',
  'first_labeled_at',
] as const;
export const HISTORY_COLUMNS = [
  'event_id',
  'conversation_id',
  'message_position',
  'reviewer_email',
  'reviewer_name',
  'reviewer_kind',
  'from_label',
  'to_label',
  'source',
  'changed_at',
] as const;

const LABELS_SQL = `
  SELECT c.external_id AS conversation_id, m.position AS message_position, m.text AS message_text,
         u.email AS reviewer_email, u.name AS reviewer_name, l.value::text AS label,
         l.updated_at AS labeled_at, l.created_at AS first_labeled_at
    FROM labels l
    JOIN messages m ON m.id = l.message_id
    JOIN conversations c ON c.id = l.conversation_id
    JOIN users u ON u.id = l.reviewer_id
   ORDER BY c.external_id, m.position, u.email`;

// label_events has no foreign keys (history outlives replaced messages and removed reviewers):
// what is gone is exported as empty.
const HISTORY_SQL = `
  SELECT e.id::text AS event_id, c.external_id AS conversation_id, m.position AS message_position,
         coalesce(u.email, e.reviewer_id) AS reviewer_email, u.name AS reviewer_name,
         e.from_value::text AS from_label, e.to_value::text AS to_label, e.source, e.created_at AS changed_at
    FROM label_events e
    LEFT JOIN messages m ON m.id = e.message_id
    LEFT JOIN conversations c ON c.id = e.conversation_id
    LEFT JOIN users u ON u.id = e.reviewer_id
   ORDER BY e.id`;

type Row = Record<string, string | number | Date | null>;

function cellValue(v: Row[string]): string | number | null {
  return v instanceof Date ? v.toISOString() : v;
}

function withKind(row: Row): Row {
  const email = typeof row.reviewer_email === 'string' ? row.reviewer_email : '';
  return { ...row, reviewer_kind: isImportSource(email) ? 'import' : 'person' };
}

export function labelExportFileName(opts: LabelExportOptions, now = new Date()): string {
  return `labels${opts.history ? '-history' : ''}-${now.toISOString().slice(0, 10)}.${opts.format}`;
}

const BATCH = 5000;

/** The export as text chunks with the rows each holds (a header line first for CSV). ML leads and admins only. */
export async function* labelExportChunks(
  actor: Actor,
  options: z.input<typeof labelExportInput>,
  databaseUrl?: string,
): AsyncGenerator<{ text: string; rows: number }> {
  assertRole(actor, 'ml_lead', 'admin');
  const opts = labelExportInput.parse(options);
  const columns: readonly string[] = opts.history ? HISTORY_COLUMNS : LABEL_COLUMNS;
  const client = new pg.Client({ connectionString: databaseUrl ?? process.env.DATABASE_URL });
  client.on('error', () => {}); // a dropped connection fails the next read, not the process
  await client.connect();
  try {
    // One snapshot for the whole file, however long the download takes.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (opts.format === 'csv') yield { text: csvLine(columns), rows: 0 };
    const cursor = client.query(new Cursor<Row>(opts.history ? HISTORY_SQL : LABELS_SQL));
    for (;;) {
      const rows = await cursor.read(BATCH);
      if (rows.length === 0) break;
      let out = '';
      for (const raw of rows) {
        const row = withKind(raw);
        if (opts.format === 'csv') out += csvLine(columns.map((c) => cellValue(row[c] ?? null)));
        else out += JSON.stringify(Object.fromEntries(columns.map((c) => [c, cellValue(row[c] ?? null)]))) + '\n';
      }
      yield { text: out, rows: rows.length };
    }
    await cursor.close();
    await client.query('COMMIT');
  } finally {
    await client.end().catch(() => {});
  }
}
