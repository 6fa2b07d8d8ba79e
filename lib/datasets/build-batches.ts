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
import type pg from 'pg';
import { copyRow } from '../imports/copy-text';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { copyLines } from './build-sql';
import type { SplitHasher } from './content-hash';
import { DatasetBuildError } from './errors';
import { exampleLineWriter } from './example-line';
import { checkLine, emptyLineChecks, exampleTokenCounter, type LineChecks, type TokenCollector } from './example-stats';
import { SPLITS, type DatasetParams, type SplitName } from './params';
import { countTokens } from './tokens';
import type { TranscriptMessage } from './transcript';
import { exampleSlice, storeTranscript } from './transcript-store';

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

type Row = {
  seq: number;
  conversation_id: number;
  external_id: string;
  split: SplitName;
  first_ordinal: number;
  turns: number;
  id: number;
  position: number;
  sender: 'recruiter' | 'candidate';
  text: string;
  sent_at: Date | null;
  label: LabelValueName | null;
};

const hex = (b: Buffer) => `\\x${b.toString('hex')}`;

/** Writes batch `batch`; returns null when it was already written (by an earlier run or another worker). */
export async function writeBatch(client: pg.Client, ctx: BatchContext, batch: number, digest: InMemoryDigest | null): Promise<BatchStats | null> {
  const { versionId, params } = ctx;
  await client.query('BEGIN');
  try {
    const [state] = (await client.query<{ batches_done: number }>('SELECT batches_done FROM dataset_versions WHERE id = $1 FOR UPDATE', [versionId])).rows;
    if (!state || state.batches_done !== batch) {
      await client.query('ROLLBACK');
      return null;
    }
    const from = batch * ctx.batchConversations;
    const { rows } = await client.query<Row>(
      `SELECT b.seq, b.conversation_id, b.external_id, b.split::text AS split, b.first_ordinal, b.turns,
              m.id, m.position, m.sender::text AS sender, m.text, m.sent_at, t.label::text AS label
       FROM dataset_build_conversations b
       JOIN messages m ON m.conversation_id = b.conversation_id
       LEFT JOIN dataset_build_turns t ON t.version_id = b.version_id AND t.message_id = m.id
       WHERE b.version_id = $1 AND b.seq >= $2 AND b.seq < $3
       ORDER BY b.seq, m.position`,
      [versionId, from, from + ctx.batchConversations],
    );
    const write = exampleLineWriter(params.instructions);
    const totalTokens = exampleTokenCounter(params.instructions);
    const stats: BatchStats = { ...emptyLineChecks(), examples: 0, transcripts: 0, counts: emptyCounts() };
    const seen = new Set<string>();
    let transcripts = '';
    let examples = '';

    const renderConversation = (conv: Row[]) => {
      const { conversation_id, external_id, split, first_ordinal, turns } = conv[0];
      const messages: TranscriptMessage[] = conv.map((r) => ({ sender: r.sender, text: r.text, sentAt: r.sent_at }));
      const stored = storeTranscript(messages);
      const sha = stored.sha256.toString('hex');
      if (!seen.has(sha)) {
        seen.add(sha);
        transcripts += copyRow([hex(stored.sha256), stored.text]);
      }
      const lineTokens = new Int32Array(stored.lines.length).fill(-1);
      const tokensOf = (i: number) => (lineTokens[i] >= 0 ? lineTokens[i] : (lineTokens[i] = countTokens(stored.lines[i])));
      let ordinal = first_ordinal;
      for (let t = 0; t < conv.length; t++) {
        const label = conv[t].label;
        if (!label) continue;
        const slice = exampleSlice(stored, messages, t, params.context);
        let userTokens = countTokens(slice.closing);
        for (let i = slice.firstLine; i < t; i++) userTokens += tokensOf(i);
        const tokens = totalTokens(label, userTokens);
        const line = write(slice.userContent, label);
        checkLine(stats, line);
        if (digest) {
          digest.hasher.add(split, line);
          digest.tokens.add(split, tokens);
        }
        stats.counts[split][label]++;
        const md5 = createHash('md5').update(slice.userContent).digest('hex');
        examples += copyRow([
          versionId,
          split,
          ordinal++,
          conversation_id,
          external_id,
          conv[t].id,
          conv[t].position,
          label,
          tokens,
          `\\x${sha}`,
          slice.contextFrom,
          slice.contextChars,
          slice.closing,
          md5,
        ]);
      }
      const written = ordinal - first_ordinal;
      // The plan counted these turns at freeze time; a conversation re-imported since has other message ids.
      if (written !== turns) {
        throw new DatasetBuildError(`conversation ${external_id} changed during the build (${turns} frozen turns, ${written} found); build a new version.`);
      }
      stats.examples += written;
    };

    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || rows[i].seq !== rows[start].seq) {
        renderConversation(rows.slice(start, i));
        start = i;
      }
    }
    stats.transcripts = seen.size;
    await client.query('CREATE TEMP TABLE IF NOT EXISTS build_transcripts (sha256 bytea, text text) ON COMMIT DELETE ROWS');
    await copyLines(client, 'COPY build_transcripts (sha256, text) FROM STDIN', [transcripts]);
    await client.query('INSERT INTO dataset_transcripts (sha256, text) SELECT sha256, text FROM build_transcripts ON CONFLICT (sha256) DO NOTHING');
    await copyLines(
      client,
      `COPY dataset_examples (version_id, split, ordinal, conversation_id, external_id, message_id, position, label, tokens,
                              transcript_sha, context_from, context_chars, closing, content_md5) FROM STDIN`,
      [examples],
    );
    await client.query('INSERT INTO dataset_build_batches (version_id, batch, stats) VALUES ($1, $2, $3)', [versionId, batch, JSON.stringify(stats)]);
    await client.query(
      `UPDATE dataset_versions SET batches_done = $2, progress_phase = 'Writing examples', progress_done = progress_done + $3, progress_total = $4
       WHERE id = $1`,
      [versionId, batch + 1, stats.examples, ctx.examplesTotal],
    );
    await client.query('COMMIT');
    if (digest) digest.nextBatch = batch + 1;
    return stats;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
