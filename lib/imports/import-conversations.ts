// `npm run import`: validate the whole file (pass 1), then stream it into a staging table
// with COPY and merge it set-based into the real tables (pass 2), all in one transaction,
// so a failure anywhere leaves the database exactly as it was.
import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pgRunner, refreshConversationContent, refreshConversationStats } from '../conversations/stats';
import { sequenceProblems } from '../labeling/sequence-checks';
import { detectFormat, readConversations, type FileFormat, type RawItem } from './read-conversations';
import { asImportSource, countingBytes, type ImportSource } from './import-source';
import type { CsvMapping } from './csv-mapping';
import { FileValidator, type FileCounts, type ImportIssue } from './validate-file';
import type { ImportConversation } from './schema';
import { copyField, copyRow } from './copy-text';
import * as sql from './merge-sql';
import { AppError, ConflictError } from '../errors';
import { IMPORT_LOCK_SQL } from '../labeling/lock-order';
import { requestSuggestionsForMerge } from '../suggestions/requests';

export interface ImportSummary extends FileCounts {
  created: number;
  updated: number;
}

export class ImportValidationError extends AppError {
  readonly code = 'input';

  constructor(
    readonly file: string,
    readonly issues: ImportIssue[],
    readonly issueCount: number,
  ) {
    super(`${path.basename(file)}: ${issueCount} problem${issueCount === 1 ? '' : 's'} found; nothing was imported.`);
    this.name = 'ImportValidationError';
  }
}

export type ImportProgress = (stage: string, detail?: string) => void;

/** The reviewer account that owns the labels carried by a file: import@<file name>. */
export function importReviewerEmail(file: string): string {
  return `import@${path.basename(file)}`.toLowerCase();
}

/** IMPORT_DEBUG: how long each step of the merge took, on stderr. */
function debugStep(label: string, started: number) {
  if (process.env.IMPORT_DEBUG) process.stderr.write(`  ${(performance.now() - started).toFixed(0)} ms  ${label}\n`);
}

async function runStatements(client: pg.ClientBase, text: string, params: unknown[] = []) {
  for (const stmt of text
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const t = performance.now();
    await client.query(stmt, stmt.includes('$1') ? params : []);
    debugStep(stmt.replace(/\s+/g, ' ').slice(0, 90), t);
  }
}

/** One batch of valid conversations, as COPY text for the staging and the final tables. */
interface StagedBatch {
  /** import_convs rows, one per conversation, without the search document's text and the document (the last two columns) and the newline. */
  conversations: string[];
  /** Per conversation: what its search document is computed from (searchDocumentSql's input). */
  documentTexts: string[];
  externalIds: string[];
  /** Per conversation: its message rows (for messages, or import_messages when it exists) without the leading id. */
  messageTails: string[][];
  /** Per conversation: "position\tlabel\n" rows of its labeled messages. */
  labelTails: string[];
  /** Per conversation, for import_messages if it turns out to exist already: the checked conversation and its times. */
  parsed: { c: ImportConversation; ord: number; times: (string | null)[] }[];
  messages: number;
}

// How many conversations go in per batch: large enough that the per-batch statements are a
// small part of the COPYs, small enough that a batch's text is a few MB of the reader's memory.
const BATCH_CONVERSATIONS = 5_000;

// Validates every conversation and turns the valid ones into COPY batches. Batches stop at
// the first problem, but validation reads on to the end so the report is complete; the caller
// then rolls back, and nothing is kept.
async function* stagingBatches(items: AsyncIterable<RawItem>, validator: FileValidator, onRows: (n: number) => void): AsyncGenerator<StagedBatch> {
  let ord = 0;
  let batch: StagedBatch = emptyBatch();
  for await (const item of items) {
    const c = validator.check(item);
    if (!c || validator.issueCount > 0) continue;
    ord += 1;
    // What the conversation row needs, worked out here as lib/conversations/stats.ts defines
    // it — decision turns are recruiter messages after the first message — and the text in
    // message order for the search document.
    let recruiterTurns = 0;
    let labeled = 0;
    let ends = 0;
    let schedules = 0;
    let lastSent = -Infinity;
    const times: (string | null)[] = new Array(c.messages.length);
    for (let position = 0; position < c.messages.length; position++) {
      const m = c.messages[position];
      const t = m.sent_at ? Date.parse(m.sent_at) : NaN;
      times[position] = Number.isNaN(t) ? null : new Date(t).toISOString();
      if (t > lastSent) lastSent = t;
      if (position === 0) continue;
      if (m.sender === 'recruiter') recruiterTurns += 1;
      if (m.label) labeled += 1;
      if (m.label === 'END') ends += 1;
      if (m.label === 'SCHEDULE') schedules += 1;
    }
    // The sequence checks (lib/labeling/sequence-checks.ts) over the file's own labels, the
    // only labels a new conversation has: counted here, the reader's core otherwise idle while
    // PostgreSQL takes the COPY, instead of a window-function pass over the stored rows after
    // the insert (5.7 s of a 64 s import of 100k conversations). An existing conversation is
    // recounted from what is stored (refreshConversationStats), as before. sequence-checks.test.ts
    // holds the pure checks and the SQL to the same turns.
    let problemTurns = 0;
    if (c.messages.some((m) => m.label)) {
      const thread = c.messages.map((m, position) => ({
        id: position,
        position,
        sender: m.sender,
        sentAt: times[position],
        labels: m.label ? [{ reviewerId: 'file', reviewerName: 'file', value: m.label }] : [],
      }));
      problemTurns = new Set(sequenceProblems(thread).map((p) => p.messageId)).size;
    }
    const body = c.messages.map((x) => x.text).join(' ');
    // searchDocumentSql's concatenation, for a document computed on the second connection.
    batch.documentTexts.push(`${c.candidate_name ?? ''} ${c.job_title ?? ''} ${body}`);
    const row = copyRow([
      c.external_id,
      ord,
      c.candidate_name ?? null,
      c.job_title ?? null,
      lastSent > -Infinity ? new Date(lastSent).toISOString() : null,
      recruiterTurns,
      labeled,
      ends,
      schedules,
      problemTurns,
    ]);
    batch.conversations.push(row.slice(0, -1));
    const tails: string[] = new Array(c.messages.length);
    let labelTail = '';
    for (let position = 0; position < c.messages.length; position++) {
      const m = c.messages[position];
      tails[position] = copyRow([position, m.sender, m.text, times[position]]);
      if (m.label) labelTail += `${position}\t${m.label}\n`;
    }
    batch.externalIds.push(c.external_id);
    batch.messageTails.push(tails);
    batch.labelTails.push(labelTail);
    batch.parsed.push({ c, ord, times });
    batch.messages += c.messages.length;
    if (ord % 10_000 === 0) onRows(validator.counts.messages);
    if (batch.externalIds.length >= BATCH_CONVERSATIONS) {
      yield batch;
      batch = emptyBatch();
    }
  }
  validator.finish();
  if (batch.externalIds.length > 0 && validator.issueCount === 0) yield batch;
}

function emptyBatch(): StagedBatch {
  return { conversations: [], documentTexts: [], externalIds: [], messageTails: [], labelTails: [], parsed: [], messages: 0 };
}

// A conversation that exists already goes through the diff: its rows for import_messages, the
// opening row carrying its name and job title.
function existingRows({ c, ord, times }: StagedBatch['parsed'][number]): string {
  let rows = '';
  for (let position = 0; position < c.messages.length; position++) {
    const m = c.messages[position];
    const head = position === 0;
    rows += copyRow([
      c.external_id,
      ord,
      head ? (c.candidate_name ?? null) : null,
      head ? (c.job_title ?? null) : null,
      position,
      m.sender,
      m.text,
      times[position],
      m.label ?? null,
    ]);
  }
  return rows;
}

// The rows of new conversations reference only rows this transaction wrote itself (its own
// conversations, the messages it just inserted, none of them visible to anyone else) or locked
// (the import reviewer, FOR KEY SHARE): their foreign keys hold by construction, and checking
// them one row at a time was most of the cost of the labels (three checks a row) and a good part
// of the messages. So those statements run with session_replication_role = replica, which skips
// the checks' triggers — only when the server lets this role set it (a superuser, or GRANT SET
// ON PARAMETER), and only while messages, labels and label_events have no triggers of their own
// (replica would skip those too). Otherwise the checks run as usual.
async function trustedWrites(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ own: number }>(
    `SELECT count(*)::int AS own FROM pg_trigger WHERE tgrelid IN ('messages'::regclass, 'labels'::regclass, 'label_events'::regclass) AND NOT tgisinternal`,
  );
  if (rows[0].own > 0) return false;
  await client.query('SAVEPOINT trusted_writes');
  try {
    await client.query(`SET LOCAL session_replication_role = replica`);
    await client.query(`SET LOCAL session_replication_role = origin`);
    await client.query('RELEASE SAVEPOINT trusted_writes');
    return true;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT trusted_writes');
    return false;
  }
}

/** Runs `write` without row-by-row foreign key checks when `trusted` (see trustedWrites). */
async function withoutFkChecks<T>(client: pg.ClientBase, trusted: boolean, write: () => Promise<T>): Promise<T> {
  if (!trusted) return write();
  await client.query(`SET LOCAL session_replication_role = replica`);
  try {
    return await write();
  } finally {
    await client.query(`SET LOCAL session_replication_role = origin`);
  }
}

async function copyText(client: pg.ClientBase, statement: string, text: string) {
  if (!text) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(statement)));
}

// One batch into the database: its conversation rows into import_convs, the new ones into
// conversations (their ids come back), then their messages straight into messages and their
// labels into new_label_turns; the messages of conversations that exist go to import_messages
// for the diff.
async function writeBatch(client: pg.ClientBase, b: StagedBatch, docs: Promise<string[]> | null, times: Record<string, number>, trusted: boolean) {
  let t = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    times[step] = (times[step] ?? 0) + now - t;
    t = now;
  };
  await client.query('TRUNCATE import_convs');
  const documents = docs ? await docs : null;
  lap('waiting for search documents');
  let rows = '';
  // With the documents computed already, the text they came from is not sent again.
  for (let i = 0; i < b.conversations.length; i++)
    rows += documents ? `${b.conversations[i]}\t\\N\t${copyField(documents[i])}\n` : `${b.conversations[i]}\t${copyField(b.documentTexts[i])}\t\\N\n`;
  await copyText(client, sql.COPY_CONVERSATIONS_BATCH, rows);
  lap('COPY import_convs (search documents)');
  const existing = new Set((await client.query<{ external_id: string }>(sql.MAP_EXISTING_BATCH)).rows.map((r) => r.external_id));
  const ids = new Map((await client.query<{ external_id: string; id: number }>(sql.INSERT_NEW_CONVERSATIONS_BATCH)).rows.map((r) => [r.external_id, r.id]));
  lap('INSERT conversations');
  let messages = '';
  let labels = '';
  let staged = '';
  for (let i = 0; i < b.externalIds.length; i++) {
    const id = ids.get(b.externalIds[i]);
    if (id === undefined) {
      if (!existing.has(b.externalIds[i])) throw new Error(`import: conversation ${b.externalIds[i]} was neither found nor inserted`);
      staged += existingRows(b.parsed[i]);
      continue;
    }
    const prefix = `${id}\t`;
    for (const tail of b.messageTails[i]) messages += prefix + tail;
    if (b.labelTails[i]) for (const line of b.labelTails[i].split('\n')) if (line) labels += `${prefix}${line}\n`;
  }
  lap('message rows (reader)');
  await withoutFkChecks(client, trusted, () => copyText(client, sql.COPY_NEW_MESSAGES, messages));
  lap('COPY messages');
  await copyText(client, sql.COPY_NEW_LABEL_TURNS, labels);
  await copyText(client, sql.COPY_EXISTING_MESSAGES, staged);
  lap('COPY label turns, existing messages');
}

export class ImportSourceConflictError extends ConflictError {
  constructor(
    readonly externalIds: string[],
    golden: boolean,
  ) {
    const list = externalIds.slice(0, 5).join(', ') + (externalIds.length > 5 ? ` and ${externalIds.length - 5} more` : '');
    super(
      golden
        ? `The golden set cannot take over conversations imported from elsewhere: ${list}. Nothing was imported.`
        : `${list} ${externalIds.length === 1 ? 'belongs' : 'belong'} to the hand-written golden set, which only lib/golden updates. Nothing was imported.`,
    );
    this.name = 'ImportSourceConflictError';
  }
}

interface MergeOptions {
  onProgress?: ImportProgress;
  /** The golden set (lib/golden): its conversations are marked golden and their labels owned by `reviewerEmail`. */
  golden?: boolean;
  /** Live traffic (the decision API, lib/advisor): its conversations are marked live. */
  live?: boolean;
  reviewerEmail?: string;
}

export type ImportOptions = MergeOptions & {
  databaseUrl?: string;
  /** Known already (an upload's); otherwise read from the file's name and first bytes. */
  format?: FileFormat;
  /** CSV: which column holds each field (./csv-mapping.ts). */
  csvMapping?: CsvMapping;
  /** Bytes of the file read so far, while reading and validating (the browser's progress bar). */
  onBytes?: (read: number, total: number) => void;
};

// 40P01 deadlock_detected, 40001 serialization_failure. The lock order
// (lib/labeling/lock-order.ts) is what keeps imports out of deadlocks; this only makes sure
// that a writer we do not know of yet costs a retry of the all-or-nothing import, not the
// import itself.
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;
const STAGING_TEMP_BUFFERS = '1GB';
const GIN_MEMORY = '1GB';

/** Imports a file (a path, or an upload's bytes): all of it, or nothing and every problem. */
export async function importConversationsFile(file: string | ImportSource, opts: ImportOptions = {}): Promise<ImportSummary> {
  const source = asImportSource(file);
  for (let attempt = 1; ; attempt++) {
    try {
      return await importFileOnce(source, opts);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= ATTEMPTS || !code || !RETRYABLE.has(code)) throw e;
      opts.onProgress?.('retrying', `attempt ${attempt + 1} of ${ATTEMPTS} after: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 100));
    }
  }
}

async function importFileOnce(source: ImportSource, opts: ImportOptions): Promise<ImportSummary> {
  const format = opts.format ?? (await detectFormat(source));
  const onBytes = opts.onBytes;
  const read: ImportSource = onBytes ? { ...source, open: () => countingBytes(source.open(), (n) => onBytes(n, source.size)) } : source;
  const client = new pg.Client({ connectionString: opts.databaseUrl ?? process.env.DATABASE_URL });
  client.on('error', () => {}); // a dropped idle connection must not crash the process; the query fails instead
  await client.connect();
  let docs: pg.Client | null = null;
  try {
    // The staging tables are temporary (this session's own buffers, no WAL): with room for
    // them in memory, the COPY and the passes over them after it do not write and read them
    // back through the kernel 8 kB at a time (the default is 8 MB). Only settable before the
    // session's first temporary table, so here, on a connection of our own.
    await client.query(`SET temp_buffers = '${STAGING_TEMP_BUFFERS}'`);
    // A second connection that only computes search documents (reads and writes nothing).
    docs = new pg.Client({ connectionString: opts.databaseUrl ?? process.env.DATABASE_URL });
    docs.on('error', () => {});
    await docs.connect();
    await client.query('BEGIN');
    const summary = await mergeInTransaction(client, readConversations(read, { format, csvMapping: opts.csvMapping }), format, source.name, opts, docs);
    await client.query('COMMIT');
    return summary;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await docs?.end().catch(() => {});
    await client.end();
  }
}

/**
 * The same validation and merge for conversations already in memory (the decision API's live
 * traffic), inside the caller's open transaction on `client` (one import per transaction: the
 * staging tables drop on commit). `source` names the import in messages and its reviewer account.
 */
export async function importConversationsInTransaction(
  client: pg.ClientBase,
  conversations: readonly unknown[],
  source: string,
  opts: MergeOptions = {},
): Promise<ImportSummary> {
  async function* items(): AsyncGenerator<RawItem> {
    for (let index = 0; index < conversations.length; index++) yield { kind: 'value', value: conversations[index], line: index + 1, index, invalid: [] };
  }
  return mergeInTransaction(client, items(), 'jsonl', source, opts);
}

async function mergeInTransaction(
  client: pg.ClientBase,
  items: AsyncIterable<RawItem>,
  format: FileFormat,
  file: string,
  opts: MergeOptions,
  docsClient: pg.ClientBase | null = null,
): Promise<ImportSummary> {
  const progress = opts.onProgress ?? (() => {});
  const validator = new FileValidator(format);
  // A bulk merge: room to sort and hash in memory, and a large GIN pending list so the
  // search index takes the new documents in batches rather than one by one. At 1M conversations
  // the inserts spent most of their time (230 of 458 s) merging a 64 MB pending list into the
  // growing index again and again; with 1 GB it is merged a few times in large sorted runs, and
  // once more at the end (gin_clean_pending_list, with maintenance_work_mem), so searches after
  // the import do not scan a long pending list. (During a large import, a search reads the
  // pending list written so far.)
  await client.query(`SET LOCAL work_mem = '${GIN_MEMORY}'`);
  await client.query(`SET LOCAL maintenance_work_mem = '${GIN_MEMORY}'`);
  await client.query(`SET LOCAL gin_pending_list_limit = '${GIN_MEMORY}'`);
  await runStatements(client, sql.CREATE_STAGING);
  // Lock order, step 0: one import merges at a time. Taken before the first batch, since each
  // batch writes its new conversations (a second import now waits for this one's reading too).
  await client.query(IMPORT_LOCK_SQL);
  const trusted = process.env.IMPORT_FK_CHECKS !== 'on' && (await trustedWrites(client));
  progress('reading and validating', path.basename(file));
  let step = performance.now();
  // The reader parses and checks batch n+1 while PostgreSQL takes batch n: the next batch is
  // asked for before this one is written, and its parsing runs between the pg socket's events.
  const batches = stagingBatches(items, validator, (n) => progress('reading and validating', `${n.toLocaleString('en-US')} messages`));
  const times: Record<string, number> = {};
  let waited = 0;
  // The search documents (to_tsvector over all the text, the costliest part of a batch) are
  // worked out on the second connection, if there is one, a batch ahead: PostgreSQL computes
  // batch n+1's documents on one core while it writes batch n on the other.
  const documentsOf = (b: StagedBatch): Promise<string[]> | null => {
    if (!docsClient) return null;
    const p = docsClient.query<{ doc: string }>(sql.SEARCH_DOCUMENTS, [b.documentTexts]).then((r) => r.rows.map((x) => x.doc));
    p.catch(() => {});
    return p;
  };
  let next = batches.next();
  next.catch(() => {});
  let current = await next;
  let currentDocs = current.done ? null : documentsOf(current.value);
  while (!current.done) {
    next = batches.next();
    next.catch(() => {});
    const w = performance.now();
    // After a problem, nothing more is written: the rest of the file is only checked.
    const writing = validator.issueCount === 0 ? writeBatch(client, current.value, currentDocs, times, trusted) : Promise.resolve();
    writing.catch(() => {});
    const following = await next;
    waited += performance.now() - w;
    const followingDocs = following.done || validator.issueCount > 0 ? null : documentsOf(following.value);
    await writing;
    current = following;
    currentDocs = followingDocs;
  }
  debugStep('batches: reading, validating, conversations and messages', step);
  for (const [k, v] of Object.entries({ ...times, 'reading the next batch (overlapping)': waited })) debugStep(`  of which ${k}`, performance.now() - v);
  if (validator.issueCount > 0) throw new ImportValidationError(file, validator.issues, validator.issueCount);

  const email = opts.reviewerEmail ?? importReviewerEmail(file);
  await client.query(
    `INSERT INTO users (id, name, email, role, email_verified, updated_at) VALUES ($1, $2, $3, 'reviewer', false, now())
     ON CONFLICT (email) DO NOTHING`,
    [crypto.randomUUID(), `Import: ${path.basename(file)}`, email],
  );
  // Locked as a label's foreign key check would lock it: the labels below skip that check.
  const reviewerId = (await client.query<{ id: string }>('SELECT id FROM users WHERE email = $1 FOR KEY SHARE', [email])).rows[0].id;

  progress('merging');
  // Golden conversations are only ever written by the golden set, and the golden set never
  // takes over a conversation that came from anywhere else.
  const crossing = await client.query<{ external_id: string }>(
    `SELECT m.external_id FROM conv_map m JOIN conversations c ON c.id = m.id WHERE NOT m.is_new AND c.is_golden <> $1 ORDER BY m.external_id LIMIT 50`,
    [opts.golden === true],
  );
  if (crossing.rows.length)
    throw new ImportSourceConflictError(
      crossing.rows.map((r) => r.external_id),
      opts.golden === true,
    );
  // New conversations are this transaction's own rows; marking them takes no one's lock.
  if (opts.golden) await client.query(`UPDATE conversations SET is_golden = true WHERE id IN (SELECT id FROM conv_map WHERE is_new)`);
  if (opts.live) await client.query(`UPDATE conversations SET is_live = true WHERE id IN (SELECT id FROM conv_map WHERE is_new)`);
  const created = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM conv_map WHERE is_new')).rows[0].n);
  await runStatements(client, sql.NEW_LABELS, [reviewerId]);
  await withoutFkChecks(client, trusted, () => runStatements(client, sql.INSERT_NEW_LABELS, [reviewerId]));
  await runStatements(client, sql.NEW_REVIEWER_PROGRESS, [reviewerId]);
  // New conversations got all their counters on insert, the sequence checks over the file's
  // own labels included (counted by stagingRows).
  if (created < validator.counts.conversations) {
    step = performance.now();
    await client.query('ANALYZE import_messages');
    debugStep('ANALYZE import_messages', step);
    // Diff first (reads only), then lock what the diff will write, then write.
    await runStatements(client, sql.STAGE_EXISTING);
    await runStatements(client, sql.FIND_STALE_MESSAGES);
    await runStatements(client, sql.LOCK_CHANGED_CONVERSATIONS, [reviewerId]);
    await runStatements(client, sql.UPDATE_CONVERSATION_FIELDS);
    await runStatements(client, sql.APPLY_STALE_MESSAGES);
    await runStatements(client, sql.INSERT_ADDED_MESSAGES);
    await runStatements(client, sql.SYNC_IMPORT_LABELS, [reviewerId]);
    await runStatements(client, sql.APPLY_LABEL_CHANGES, [reviewerId]);
    // Existing conversations that come in as live are marked under the locks just taken (a
    // conversation that did not change is not locked, and keeps its mark as it was).
    if (opts.live) await client.query(`UPDATE conversations SET is_live = true WHERE id IN (SELECT id FROM touched) AND NOT is_live`);
    const unlocked = (await client.query<{ n: number }>(sql.UNLOCKED_WRITES)).rows[0].n;
    // A statement wrote a conversation LOCK_CHANGED_CONVERSATIONS did not predict: the
    // lock order is broken. Refuse rather than commit a merge that can deadlock reviewers.
    if (unlocked > 0) throw new Error(`import merge wrote ${unlocked} conversation(s) it had not locked first; nothing was imported`);
  }

  step = performance.now();
  // Only the index's owner may (the role that ran the migrations): otherwise autovacuum does it.
  await client.query('SAVEPOINT gin_clean');
  await client
    .query(`SELECT gin_clean_pending_list('conversations_search_idx'::regclass)`)
    .then(() => client.query('RELEASE SAVEPOINT gin_clean'))
    .catch(() => client.query('ROLLBACK TO SAVEPOINT gin_clean'));
  debugStep('search index: pending list merged', step);

  // Suggestions for what is new or changed, committed with it (the worker computes them).
  step = performance.now();
  await requestSuggestionsForMerge(client);
  debugStep('suggestion requests', step);

  // New conversations got their counters and search document on insert; the existing
  // ones that changed are recomputed from what is stored now.
  progress('indexing');
  step = performance.now();
  const touched = (await client.query<{ id: number; content: boolean }>('SELECT id, content FROM touched ORDER BY id')).rows;
  const run = pgRunner(client);
  const contentIds = touched.filter((t) => t.content).map((t) => t.id);
  const allIds = touched.map((t) => t.id);
  for (let i = 0; i < contentIds.length; i += 10_000) await refreshConversationContent(run, contentIds.slice(i, i + 10_000));
  for (let i = 0; i < allIds.length; i += 10_000) await refreshConversationStats(run, allIds.slice(i, i + 10_000));
  debugStep(`indexing ${allIds.length} existing conversations`, step);
  return { ...validator.counts, created, updated: touched.length };
}
