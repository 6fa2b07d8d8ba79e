// Build step 3, the batches: conversations `seq` k·B … (k+1)·B−1 of the plan rendered into
// examples, one transaction per batch. A batch's examples, its new transcripts, its counts and
// the version's `batches_done = k + 1` commit together, so after a crash (or a worker killed
// mid-batch) the rows on disk are exactly batches 0 … batches_done − 1 and the build resumes at
// batches_done: nothing is written twice and nothing is lost.
//
// Each batch locks the version row first and re-reads batches_done under the lock, so if two
// workers ever run the same build, a batch is written by whichever gets there first and the
// other skips it.
import { hash } from 'node:crypto';
import pg from 'pg';
import { copyField } from '../imports/copy-text';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { copyLines } from './build-sql';
import type { SplitHasher } from './content-hash';
import { DatasetBuildError } from './errors';
import { jsonExampleLineWriter, lineFrame } from './example-line';
import { emptyLineChecks, exampleTokenCounter, lineShapeChecker, type LineChecks, type TokenCollector } from './example-stats';
import { SPLITS, type DatasetParams, type SplitName } from './params';
import { transcriptLineTokens } from './line-tokens';
import { countTokens } from './tokens';
import type { TranscriptMessage } from './transcript';
import { exampleWindow, storeTranscript, windowContent } from './transcript-store';

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
// In a zone without offsets the local-time constructor is Date.UTC's, without the zone lookups.
const UTC_ZONE = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu', 'Universal', 'Zulu']).has(
  Intl.DateTimeFormat().resolvedOptions().timeZone,
);

/** The digits of v from a to b as a number, or -1 if any is not a digit. */
function digits(v: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = 10 * n + d;
  }
  return n;
}

/** A `timestamp` column as node-pg reads it (local time), without its slower general parser. */
export function sentAt(v: string | null): Date | null {
  if (v === null) return null;
  // "YYYY-MM-DD HH:MM:SS" and an optional fraction, from year 0100 on; anything else (BC, infinity) the general way.
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 7);
  const d = digits(v, 8, 10);
  const h = digits(v, 11, 13);
  const mi = digits(v, 14, 16);
  const sec = digits(v, 17, 19);
  const fraction = v.length > 19;
  if (
    y < 100 ||
    mo < 0 ||
    d < 0 ||
    h < 0 ||
    mi < 0 ||
    sec < 0 ||
    v.charCodeAt(4) !== 0x2d ||
    v.charCodeAt(7) !== 0x2d ||
    v.charCodeAt(10) !== 0x20 ||
    v.charCodeAt(13) !== 0x3a ||
    v.charCodeAt(16) !== 0x3a ||
    (fraction && (v.charCodeAt(19) !== 0x2e || v.length === 20 || digits(v, 20, v.length) < 0))
  ) {
    return parseTimestamp(v);
  }
  // The same values as postgres-date passes for a timestamp without a time zone.
  const ms = fraction ? 1000 * parseFloat(v.slice(19)) : 0;
  return UTC_ZONE ? new Date(Date.UTC(y, mo - 1, d, h, mi, sec, ms)) : new Date(y, mo - 1, d, h, mi, sec, ms);
}

/** COPY text-format field for a string that may hold anything. */
const field = (v: string) => (/[\\\n\r\t]/.test(v) ? copyField(v) : v);

export type BatchRows = (string | null)[][];

/** readBatch's columns. */
const C = {
  conversationId: 0,
  externalId: 1,
  split: 2,
  firstOrdinal: 3,
  turns: 4,
  messageId: 5,
  position: 6,
  sender: 7,
  text: 8,
  sentAt: 9,
  label: 10,
} as const;

/** Batch `batch`'s conversations with every message and its frozen label, in file order. */
export async function readBatch(client: pg.Client, ctx: BatchContext, batch: number): Promise<BatchRows> {
  const from = batch * ctx.batchConversations;
  const { rows } = await client.query<(string | null)[]>({
    // Per conversation of the batch, its messages through the (conversation_id, position) index
    // and each one's frozen label from the plan row's arrays (a handful of ids: a probe of
    // dataset_build_turns per message was half of this read). Written as LATERAL on purpose: as
    // a plain join the planner hashes the batch's 2,000 ids against a scan of every message, so
    // each batch cost O(all messages) and a build O(N²).
    // The conversation's own columns come on its first row only (renderBatch reads them there,
    // and a non-null conversation_id starts a conversation), a message's id and position only
    // when it is a labeled turn: fewer strings to parse and collect in this process.
    text: `SELECT ${['conversation_id', 'external_id', 'split', 'first_ordinal', 'turns'].map((c) => `CASE WHEN m.first THEN b.${c} END`).join(', ')},
                  CASE WHEN m.label IS NOT NULL THEN m.id END, CASE WHEN m.label IS NOT NULL THEN m.position END, m.sender, m.text, m.sent_at, m.label
           FROM dataset_build_conversations b
           CROSS JOIN LATERAL (SELECT m.id, m.position, m.sender, m.text, m.sent_at, row_number() OVER (ORDER BY m.position) = 1 AS first,
                                      b.labels[array_position(b.message_ids, m.id)] AS label
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
 * The file hashes' input, as bytes: whole lines of one split are copied into one reused buffer
 * and hashed a buffer at a time (the digest is the same as line by line). No line is ever built
 * as a string: a line is its frame's prefix, the conversation's JSON-escaped lines, the closing
 * line and the frame's suffix, each already UTF-8.
 */
class LineBytes {
  private buf = Buffer.allocUnsafe(1 << 20);
  private n = 0;
  private lines = 0;
  private split: SplitName | null = null;

  constructor(private readonly hasher: SplitHasher) {}

  /** Room for a line of `bytes` bytes of `split`, at the returned offset (then `end` it). */
  begin(split: SplitName, bytes: number): Buffer {
    if (split !== this.split || this.n + bytes > this.buf.length) {
      this.flush();
      this.split = split;
      if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(2 * bytes);
    }
    return this.buf;
  }

  get at(): number {
    return this.n;
  }

  end(at: number): void {
    this.n = at;
    this.lines++;
  }

  flush(): void {
    if (this.split && this.lines) this.hasher.addBytes(this.split, this.buf.subarray(0, this.n), this.lines);
    this.n = 0;
    this.lines = 0;
  }
}

/** A closing line's tokens, UTF-8, JSON body (UTF-8) and COPY field, once per distinct closing line of a batch. */
interface Closing {
  tokens: number;
  raw: Buffer;
  json: Buffer;
  field: string;
}

/** A buffer of at least `size` bytes holding `buf`'s first `keep`. */
function grown(buf: Buffer, size: number, keep: number): Buffer {
  const bigger = Buffer.allocUnsafe(2 * size);
  buf.copy(bigger, 0, 0, keep);
  return bigger;
}

/**
 * Renders the batch's examples (lines, tokens, checks, content md5) and, when `digest` is given,
 * adds its lines to the in-memory file hashes (so batches must be rendered in file order).
 */
export function renderBatch(ctx: BatchContext, rows: BatchRows, digest: InMemoryDigest | null): RenderedBatch {
  const { versionId, params } = ctx;
  const lineFor = jsonExampleLineWriter(params.instructions);
  const frame = lineFrame(params.instructions);
  const prefixBytes = frame.prefix.length + 1; // and the opening quote
  const totalTokens = exampleTokenCounter(params.instructions);
  const stats: BatchStats = { ...emptyLineChecks(), examples: 0, transcripts: 0, counts: emptyCounts() };
  // The cookbook checks read a line's structure, not its text: every line here is the same
  // JSON with a different user string, so its result depends only on the label and on whether
  // the user message is empty. Each such shape is checked on its first real line, and its
  // result counted for every line of that shape (example-stats.ts, lineShapeChecker).
  const checkShape = lineShapeChecker();
  const closings = new Map<string, Closing>();
  const seen = new Set<string>();
  let transcripts = '';
  let examples = '';
  const prefix = `${versionId}\t`;
  const out = digest ? new LineBytes(digest.hasher) : null;
  // One conversation's lines, JSON-escaped and UTF-8, back to back: lineAt[i] is where line i
  // starts. A line never splits a surrogate pair, so a run of lines escapes as the run of their
  // escapes.
  let body: Buffer = Buffer.allocUnsafe(1 << 16);
  let lineAt = new Int32Array(64);
  // The same lines as plain UTF-8 (textAt: line starts), and one user message at a time.
  let text: Buffer = Buffer.allocUnsafe(1 << 16);
  let textAt = new Int32Array(64);
  let user: Buffer = Buffer.allocUnsafe(1 << 16);

  const renderConversation = (first: number, end: number) => {
    const head = rows[first];
    const conversationId = head[C.conversationId]!;
    const externalId = field(head[C.externalId]!);
    const split = head[C.split] as SplitName;
    const firstOrdinal = Number(head[C.firstOrdinal]);
    const turns = Number(head[C.turns]);
    const messages: TranscriptMessage[] = new Array(end - first);
    for (let i = first; i < end; i++) {
      const r = rows[i];
      messages[i - first] = { sender: r[C.sender] as TranscriptMessage['sender'], text: r[C.text]!, sentAt: sentAt(r[C.sentAt]) };
    }
    const stored = storeTranscript(messages);
    const sha = stored.sha256.toString('hex');
    if (!seen.has(sha)) {
      seen.add(sha);
      transcripts += `\\\\x${sha}\t${copyField(stored.text)}\n`;
    }
    const n = stored.lines.length;
    const lineTokens = new Int32Array(n).fill(-1);
    const tokensOf = (i: number) => (lineTokens[i] >= 0 ? lineTokens[i] : (lineTokens[i] = transcriptLineTokens(stored.lines[i])));
    // The JSON bodies of lines 0 … escaped − 1 are in `body` (written on demand, in order).
    let escaped = 0;
    if (out) {
      if (lineAt.length < n + 1) lineAt = new Int32Array(2 * (n + 1));
      lineAt[0] = 0;
    }
    const escapeTo = (to: number) => {
      for (; escaped < to; escaped++) {
        const json = JSON.stringify(stored.lines[escaped]);
        const at = lineAt[escaped];
        if (at + 3 * json.length > body.length) body = grown(body, at + 3 * json.length, at);
        // Without its quotes (JSON.stringify's are ASCII: one byte each).
        lineAt[escaped + 1] = at + body.write(json, at) - 2;
        body.copyWithin(at, at + 1, lineAt[escaped + 1] + 1);
      }
    };
    // The user messages' md5s: the conversation's lines as UTF-8 (lines 0 … encoded − 1, on
    // demand), a turn's window of them copied out with its closing line after it, one one-shot
    // md5 each.
    let encoded = 0;
    textAt[0] = 0;
    if (textAt.length < n + 1) textAt = new Int32Array(2 * (n + 1));
    const encodeTo = (to: number) => {
      for (; encoded < to; encoded++) {
        const line = stored.lines[encoded];
        const at = textAt[encoded];
        if (at + 3 * line.length > text.length) text = grown(text, at + 3 * line.length, at);
        textAt[encoded + 1] = at + text.write(line, at);
      }
    };
    let ordinal = firstOrdinal;
    for (let t = 0; t < messages.length; t++) {
      const label = rows[first + t][C.label] as LabelValueName | null;
      if (!label) continue;
      const w = exampleWindow(stored, messages, t, params.context);
      let closing = closings.get(w.closing);
      if (!closing) {
        closing = {
          tokens: countTokens(w.closing),
          raw: Buffer.from(w.closing),
          json: Buffer.from(JSON.stringify(w.closing).slice(1, -1)),
          field: field(w.closing),
        };
        closings.set(w.closing, closing);
      }
      let userTokens = closing.tokens;
      for (let i = w.firstLine; i < t; i++) userTokens += tokensOf(i);
      const tokens = totalTokens(label, userTokens);
      checkShape(stats, () => lineFor(JSON.stringify(windowContent(stored, w, t)), label), label, w.contextChars === 0 && w.closing === '');
      if (out) {
        escapeTo(t);
        const suffix = frame.suffixes.get(label)!;
        const from = lineAt[w.firstLine];
        const to = lineAt[t];
        const bytes = prefixBytes + (to - from) + closing.json.length + 1 + suffix.length;
        const buf = out.begin(split, bytes);
        let at = out.at;
        at += frame.prefix.copy(buf, at);
        buf[at++] = 0x22;
        at += body.copy(buf, at, from, to);
        at += closing.json.copy(buf, at);
        buf[at++] = 0x22;
        at += suffix.copy(buf, at);
        out.end(at);
        digest!.tokens.add(split, tokens);
      }
      stats.counts[split][label]++;
      encodeTo(t);
      const from = textAt[w.firstLine];
      const userBytes = textAt[t] - from + closing.raw.length;
      if (userBytes > user.length) user = Buffer.allocUnsafe(2 * userBytes);
      closing.raw.copy(user, text.copy(user, 0, from, textAt[t]));
      const md5 = hash('md5', user.subarray(0, userBytes), 'hex');
      examples +=
        `${prefix}${split}\t${ordinal++}\t${conversationId}\t${externalId}\t${rows[first + t][C.messageId]}\t${rows[first + t][C.position]}\t${label}\t${tokens}` +
        `\t\\\\x${sha}\t${w.contextFrom}\t${w.contextChars}\t${closing.field}\t${md5}\n`;
    }
    const written = ordinal - firstOrdinal;
    // The plan counted these turns at freeze time; a conversation re-imported since has other message ids.
    if (written !== turns) {
      throw new DatasetBuildError(
        `conversation ${head[C.externalId]} changed during the build (${turns} frozen turns, ${written} found); build a new version.`,
      );
    }
    stats.examples += written;
  };

  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i][C.conversationId] !== null) {
      renderConversation(start, i);
      start = i;
    }
  }
  out?.flush();
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
