// Build step 3, the batches: conversations `seq` k·B … (k+1)·B−1 of the plan rendered into
// examples, one transaction per batch. A batch's examples, its new transcripts, its counts and
// the version's `batches_done = k + 1` commit together, so after a crash (or a worker killed
// mid-batch) the rows on disk are exactly batches 0 … batches_done − 1 and the build resumes at
// batches_done: nothing is written twice and nothing is lost.
//
// Each batch locks the version row first and re-reads batches_done under the lock, so if two
// workers ever run the same build, a batch is written by whichever gets there first and the
// other skips it.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { copyField } from '../imports/copy-text';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { copyLines } from './build-sql';
import type { SplitHasher } from './content-hash';
import { DatasetBuildError } from './errors';
import { jsonExampleLineWriter } from './example-line';
import { emptyLineChecks, exampleTokenCounter, lineShapeChecker, type LineChecks, type TokenCollector } from './example-stats';
import { SPLITS, type DatasetParams, type SplitName } from './params';
import { transcriptLineTokens } from './line-tokens';
import { countTokens } from './tokens';
import type { TranscriptMessage } from './transcript';
import { exampleSlice, storeTranscript } from './_old_ts';

export type SplitCounts = Record<SplitName, Record<LabelValueName, number>>;

export function emptyCounts(): SplitCounts {
  return Object.fromEntries(SPLITS.map((s) => [s, Object.fromEntries(LABEL_VALUES.map((l) => [l, 0]))])) as SplitCounts;
}

/** What one batch wrote (stored in dataset_build_batches, summed by the final step). */
export interface BatchStats extends LineChecks {
  examples: number;
  transcripts: number;
  counts: SplitCounts;
}

/**
 * The file bytes and token counts, built in memory while batches run in order in one process
 * (the common case: no second pass needed). Dropped when the sequence breaks.
 */
export interface InMemoryDigest {
  hasher: SplitHasher;
  tokens: TokenCollector;
  /** The batch it expects next. */
  nextBatch: number;
}

export interface BatchContext {
  versionId: number;
  params: DatasetParams;
  batchConversations: number;
  examplesTotal: number;
}

// Batch rows come back as arrays of raw text (no per-row objects, no type parsing but our own).
const RAW_TEXT = { getTypeParser: () => (v: string) => v };
const parseTimestamp = pg.types.getTypeParser(1114) as (v: string) => Date;
const SIMPLE_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/** A `timestamp` column as node-pg reads it (local time), without its slower general parser. */
function sentAt(v: string | null): Date | null {
  if (v === null) return null;
  const m = SIMPLE_TIMESTAMP.exec(v);
  if (!m || m[1] < '0100') return parseTimestamp(v);
  // The same constructor call as postgres-date makes for a timestamp without a time zone.
  return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? 1000 * parseFloat(m[7]) : 0);
}

/** COPY text-format field for a string that may hold anything. */
const field = (v: string) => (/[\\\n\r\t]/.test(v) ? copyField(v) : v);

export type BatchRows = (string | null)[][];

/** Batch `batch`'s conversations with every message and its frozen label, in file order. */
export async function readBatch(client: pg.Client, ctx: BatchContext, batch: number): Promise<BatchRows> {
  const from = batch * ctx.batchConversations;
  const { rows } = await client.query<(string | null)[]>({
    // Per conversation of the batch, its messages through the (conversation_id, position) index
    // and each one's frozen label through the scratch table's key. Written as LATERAL and a
    // scalar subquery on purpose: as plain joins the planner hashes the batch's 2,000 ids against
    // a scan of every message (and of every frozen turn), so each batch cost O(all messages) and
    // a build O(N²) — at 1M turns that scan was most of PostgreSQL's time.
    // The conversation's own columns come on its first row only (renderBatch reads them there):
    // fewer strings to parse and collect in this process.
    text: `SELECT b.seq, ${['conversation_id', 'external_id', 'split', 'first_ordinal', 'turns'].map((c) => `CASE WHEN m.first THEN b.${c} END`).join(', ')},
                  m.id, m.position, m.sender, m.text, m.sent_at,
                  (SELECT t.label FROM dataset_build_turns t WHERE t.version_id = b.version_id AND t.message_id = m.id)
           FROM dataset_build_conversations b
           CROSS JOIN LATERAL (SELECT m.id, m.position, m.sender, m.text, m.sent_at, row_number() OVER (ORDER BY m.position) = 1 AS first
                               FROM messages m WHERE m.conversation_id = b.conversation_id ORDER BY m.position) m
           WHERE b.version_id = $1 AND b.seq >= $2 AND b.seq < $3
           ORDER BY b.seq, m.position`,
    values: [ctx.versionId, from, from + ctx.batchConversations],
    rowMode: 'array',
    types: RAW_TEXT,
  });
  return rows;
}

/** A batch rendered in memory, ready to be written in one transaction. */
export interface RenderedBatch {
  stats: BatchStats;
  /** COPY text of the batch's transcripts and examples. */
  transcripts: string;
  examples: string;
}

/**
 * Renders the batch's examples (lines, tokens, checks, content md5) and, when `digest` is given,
 * adds its lines to the in-memory file hashes (so batches must be rendered in file order).
 */
export function renderBatch(ctx: BatchContext, rows: BatchRows, digest: InMemoryDigest | null): RenderedBatch {
  const { versionId, params } = ctx;
  const lineFor = jsonExampleLineWriter(params.instructions);
  const totalTokens = exampleTokenCounter(params.instructions);
  const stats: BatchStats = { ...emptyLineChecks(), examples: 0, transcripts: 0, counts: emptyCounts() };
  // The cookbook checks read a line's structure, not its text: every line here is the same
  // JSON with a different user string, so its result depends only on the label and on whether
  // the user message is empty. Each such shape is checked on its first real line, and its
  // result counted for every line of that shape (example-stats.ts, lineShapeChecker).
  const checkShape = ((c: any) => (checks: any, line: string, label: string, e: boolean) => c(checks, () => line, label, e))(lineShapeChecker());
  const closingTokens = new Map<string, number>();
  const seen = new Set<string>();
  let transcripts = '';
  let examples = '';
  const prefix = `${versionId}\t`;
  // The file hashes take the batch's lines a run of one split at a time: one UTF-8 encoding
  // and one hash update per run instead of per line (the digest is the same).
  let run = '';
  let runSplit: SplitName | null = null;
  let runLines = 0;
  const flushRun = () => {
    if (runSplit && runLines) digest!.hasher.addBytes(runSplit, Buffer.from(run), runLines);
    run = '';
    runLines = 0;
  };
  const hashLine = (split: SplitName, line: string) => {
    if (split !== runSplit) {
      flushRun();
      runSplit = split;
    }
    run += line;
    runLines++;
  };

  const renderConversation = (first: number, end: number) => {
    const head = rows[first];
    const conversationId = head[1]!;
    const externalId = field(head[2]!);
    const split = head[3] as SplitName;
    const firstOrdinal = Number(head[4]);
    const turns = Number(head[5]);
    const messages: TranscriptMessage[] = [];
    for (let i = first; i < end; i++) {
      const r = rows[i];
      messages.push({ sender: r[8] as TranscriptMessage['sender'], text: r[9]!, sentAt: sentAt(r[10]) });
    }
    const stored = storeTranscript(messages);
    const sha = stored.sha256.toString('hex');
    if (!seen.has(sha)) {
      seen.add(sha);
      transcripts += `\\\\x${sha}\t${copyField(stored.text)}\n`;
    }
    const n = stored.lines.length;
    // Per line, once per conversation: its tokens and its JSON string body. A line never
    // splits a surrogate pair, so a run of lines serialises as the run of their bodies.
    const lineTokens = new Int32Array(n).fill(-1);
    const tokensOf = (i: number) => (lineTokens[i] >= 0 ? lineTokens[i] : (lineTokens[i] = transcriptLineTokens(stored.lines[i])));
    const lineJson: string[] = new Array(n);
    const jsonOf = (i: number) => (lineJson[i] ??= JSON.stringify(stored.lines[i]).slice(1, -1));
    // With context 'all' every turn's user message starts at line 0: one running md5 state
    // over the lines, copied for each turn's closing line.
    const running = params.context === 'all' ? createHash('md5') : null;
    let hashedTo = 0;
    let ordinal = firstOrdinal;
    for (let t = 0; t < messages.length; t++) {
      const label = rows[first + t][11] as LabelValueName | null;
      if (!label) continue;
      const slice = exampleSlice(stored, messages, t, params.context);
      let userTokens = closingTokens.get(slice.closing);
      if (userTokens === undefined) closingTokens.set(slice.closing, (userTokens = countTokens(slice.closing)));
      let json = '"';
      for (let i = slice.firstLine; i < t; i++) {
        userTokens += tokensOf(i);
        json += jsonOf(i);
      }
      json += JSON.stringify(slice.closing).slice(1);
      const tokens = totalTokens(label, userTokens);
      const line = lineFor(json, label);
      checkShape(stats, line, label, slice.userContent === '');
      if (digest) {
        hashLine(split, line);
        digest.tokens.add(split, tokens);
      }
      stats.counts[split][label]++;
      let md5: string;
      if (running) {
        for (; hashedTo < t; hashedTo++) running.update(stored.lines[hashedTo]);
        md5 = running.copy().update(slice.closing).digest('hex');
      } else {
        md5 = createHash('md5').update(slice.userContent).digest('hex');
      }
      examples +=
        `${prefix}${split}\t${ordinal++}\t${conversationId}\t${externalId}\t${rows[first + t][6]}\t${rows[first + t][7]}\t${label}\t${tokens}` +
        `\t\\\\x${sha}\t${slice.contextFrom}\t${slice.contextChars}\t${field(slice.closing)}\t${md5}\n`;
    }
    const written = ordinal - firstOrdinal;
    // The plan counted these turns at freeze time; a conversation re-imported since has other message ids.
    if (written !== turns) {
      throw new DatasetBuildError(`conversation ${head[2]} changed during the build (${turns} frozen turns, ${written} found); build a new version.`);
    }
    stats.examples += written;
  };

  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i][0] !== rows[start][0]) {
      renderConversation(start, i);
      start = i;
    }
  }
  if (digest) flushRun();
  stats.transcripts = seen.size;
  return { stats, transcripts, examples };
}

/**
 * Writes a rendered batch `batch`: its transcripts, its examples, its counts and batches_done = batch + 1,
 * in one transaction. Returns null when the batch was already written (by an earlier run or
 * another worker), and writes nothing.
 */
export async function commitBatch(client: pg.Client, ctx: BatchContext, batch: number, rendered: RenderedBatch): Promise<BatchStats | null> {
  const { versionId } = ctx;
  const { stats } = rendered;
  await client.query('BEGIN');
  try {
    const [state] = (await client.query<{ batches_done: number }>('SELECT batches_done FROM dataset_versions WHERE id = $1 FOR UPDATE', [versionId])).rows;
    if (!state || state.batches_done !== batch) {
      await client.query('ROLLBACK');
      return null;
    }
    await client.query('CREATE TEMP TABLE IF NOT EXISTS build_transcripts (sha256 bytea, text text) ON COMMIT DELETE ROWS');
    await copyLines(client, 'COPY build_transcripts (sha256, text) FROM STDIN', [rendered.transcripts]);
    await client.query('INSERT INTO dataset_transcripts (sha256, text) SELECT sha256, text FROM build_transcripts ON CONFLICT (sha256) DO NOTHING');
    await copyLines(
      client,
      `COPY dataset_examples (version_id, split, ordinal, conversation_id, external_id, message_id, position, label, tokens,
                              transcript_sha, context_from, context_chars, closing, content_md5) FROM STDIN`,
      [rendered.examples],
    );
    await client.query('INSERT INTO dataset_build_batches (version_id, batch, stats) VALUES ($1, $2, $3)', [versionId, batch, JSON.stringify(stats)]);
    await client.query(
      `UPDATE dataset_versions SET batches_done = $2, progress_phase = 'Writing examples', progress_done = progress_done + $3, progress_total = $4
       WHERE id = $1`,
      [versionId, batch + 1, stats.examples, ctx.examplesTotal],
    );
    await client.query('COMMIT');
    return stats;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
