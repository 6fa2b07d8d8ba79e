// Builds a queued dataset version: freezes the labeled turns into examples, assigns splits,
// hashes the files and runs the pre-flight checks. Streams with cursors and COPY, so memory
// stays flat however many turns there are.
//
// Two connections: `reader` holds one REPEATABLE READ snapshot for both passes (labels that
// change mid-build cannot split a version in two), `writer` writes the examples, the split
// assignments and the finished version in one transaction, so a crash leaves nothing behind
// and a retry starts clean. Progress goes through a third (Prisma) connection so the page sees it.
import { once } from 'node:events';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { from as copyFrom } from 'pg-copy-streams';
import { db } from '../db';
import { copyRow } from '../imports/copy-text';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { SplitHasher } from './content-hash';
import { exampleLineWriter } from './example-line';
import {
  emptyDecidedBy,
  emptyTally,
  EXCLUSION_REASONS,
  resolveTurnLabel,
  tallyDecidedBy,
  tallyOutcome,
  type DecidedByTally,
  type ExclusionReason,
  type PolicyTally,
  type TurnLabel,
} from './label-policy';
import { datasetParamsSchema, formatPolicy, SPLITS, type DatasetParams, type LabelPolicy, type SplitName } from './params';
import { checkJsonlLine, emptyFormatErrors, missingRoleWarnings } from './cookbook-checks';
import { runPreflight, type ExampleStats } from './preflight';
import { selectionWhere } from './selection';
import { assignNewConversations, conversationStratum, shuffleKey } from './split-assignment';
import { chatFramingTokens, countTokens } from './tokens';
import { contextStart, transcriptLine, turnLine, type TranscriptMessage } from './transcript';
import { ConflictError } from '../errors';
import { withDatasetBuildLease } from './build-lease';
import { splitCountsSchema } from './stored-json';

export type BuildProgress = (phase: string, done: number, total: number) => void;

// BUILD_DEBUG=1 prints how long each step took (for benchmarking the build).
const debugStart = performance.now();
const debug = (step: string) => {
  if (process.env.BUILD_DEBUG) process.stderr.write(`[build] ${((performance.now() - debugStart) / 1000).toFixed(2)}s ${step}\n`);
};

/** The version cannot be built as it stands (gone, already built, no examples). */
export class DatasetBuildError extends ConflictError {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetBuildError';
  }
}

const BATCH = 2_000;

async function* cursorRows<T>(client: pg.Client, text: string, values: unknown[]): AsyncGenerator<T> {
  const cursor = client.query(new Cursor<T>(text, values));
  try {
    for (;;) {
      const rows = await cursor.read(BATCH);
      if (rows.length === 0) return;
      yield* rows;
    }
  } finally {
    await cursor.close();
  }
}

/** Throttled progress writes to the version row (at most ~4 per second). */
function progressWriter(versionId: number, onProgress?: BuildProgress): BuildProgress & { flush(): Promise<void> } {
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const report = ((phase: string, done: number, total: number) => {
    onProgress?.(phase, done, total);
    const now = Date.now();
    if (now - last < 250 && done < total) return;
    last = now;
    pending = pending
      .then(() => db().datasetVersion.update({ where: { id: versionId }, data: { progressPhase: phase, progressDone: done, progressTotal: total } }))
      .catch(() => {});
  }) as BuildProgress & { flush(): Promise<void> };
  report.flush = () => pending.then(() => {});
  return report;
}

interface ConversationInfo {
  externalId: string;
  labels: Set<LabelValueName>;
}

interface PassOneResult {
  labeledTurns: number;
  /** Labeled opening messages: nothing comes before them, so they are never decisions. */
  opening: number;
  withoutCandidate: number;
  tallies: PolicyTally[];
  /** Under the adjudicated policy: turns decided by an adjudication, by majority, or left out. */
  decidedBy: DecidedByTally | null;
  conversations: Map<number, ConversationInfo>;
  turnIds: number[];
  turnLabels: LabelValueName[];
}

function comparisonPolicies(chosen: LabelPolicy): LabelPolicy[] {
  const k = chosen.kind === 'agree' ? chosen.k : 2;
  // Versions built with the other policies keep exactly the comparison (and manifest) they had.
  return [{ kind: 'latest' }, { kind: 'majority' }, { kind: 'agree', k }, ...(chosen.kind === 'adjudicated' ? [chosen] : [])];
}

/** Pass 1: every labeled turn in the selection, its labels resolved under each policy. */
async function resolveTurns(reader: pg.Client, params: DatasetParams, kind: 'labels' | 'golden', progress: BuildProgress): Promise<PassOneResult> {
  const where = selectionWhere(params, 1, kind);
  const total = Number(
    (await reader.query<{ n: string }>(`SELECT coalesce(sum(c.labeled_turns), 0) AS n FROM conversations c WHERE ${where.sql}`, where.values)).rows[0].n,
  );
  const policies = comparisonPolicies(params.policy);
  const chosenIndex = policies.findIndex((p) => formatPolicy(p) === formatPolicy(params.policy));
  const adjudicated = params.policy.kind === 'adjudicated';
  const result: PassOneResult = {
    labeledTurns: 0,
    opening: 0,
    withoutCandidate: 0,
    tallies: policies.map((p) => emptyTally(formatPolicy(p))),
    decidedBy: adjudicated ? emptyDecidedBy() : null,
    conversations: new Map(),
    turnIds: [],
    turnLabels: [],
  };
  const rows = cursorRows<{
    conversation_id: number;
    external_id: string;
    message_id: number;
    position: number;
    after_candidate: boolean;
    vals: LabelValueName[];
    ats: number[];
    revs: string[];
    adjudicated: LabelValueName | null;
  }>(
    reader,
    `SELECT l.conversation_id, c.external_id, l.message_id, m.position,
            EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = l.conversation_id
                    AND p.position < m.position AND p.sender = 'candidate') AS after_candidate,
            array_agg(l.value::text) AS vals,
            array_agg((extract(epoch FROM l.updated_at) * 1000)::float8) AS ats,
            array_agg(l.reviewer_id) AS revs,
            ${adjudicated ? 'a.value::text' : 'NULL::text'} AS adjudicated
     FROM conversations c
     JOIN labels l ON l.conversation_id = c.id
     JOIN messages m ON m.id = l.message_id
     ${adjudicated ? 'LEFT JOIN adjudications a ON a.message_id = l.message_id' : ''}
     WHERE ${where.sql}
     GROUP BY l.conversation_id, c.external_id, l.message_id, m.position${adjudicated ? ', a.value' : ''}`,
    where.values,
  );
  for await (const r of rows) {
    result.labeledTurns++;
    if (result.labeledTurns % 5_000 === 0) progress('Resolving labels', result.labeledTurns, total);
    // The opening text has no transcript to decide from; every later turn is a decision,
    // nudges into silence and the close after unanswered nudges included.
    if (r.position === 0) {
      result.opening++;
      continue;
    }
    if (!r.after_candidate && !params.includeTurnsWithoutCandidate) {
      result.withoutCandidate++;
      continue;
    }
    const labels: TurnLabel[] = r.vals.map((value, i) => ({ value, at: Number(r.ats[i]), reviewerId: r.revs[i] }));
    policies.forEach((p, i) => {
      const outcome = resolveTurnLabel(labels, p, r.adjudicated);
      tallyOutcome(result.tallies[i], outcome);
      if (i === chosenIndex && result.decidedBy) tallyDecidedBy(result.decidedBy, outcome);
      if (i === chosenIndex && 'label' in outcome) {
        result.turnIds.push(r.message_id);
        result.turnLabels.push(outcome.label);
        let info = result.conversations.get(r.conversation_id);
        if (!info) result.conversations.set(r.conversation_id, (info = { externalId: r.external_id, labels: new Set() }));
        info.labels.add(outcome.label);
      }
    });
  }
  progress('Resolving labels', result.labeledTurns, Math.max(total, result.labeledTurns));
  return result;
}

async function copyInto(client: pg.Client, sql: string, lines: Iterable<string>): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (const line of lines) {
    if (!stream.write(line)) await once(stream, 'drain');
  }
  stream.end();
  await done;
}

function* mapRows<T>(items: Iterable<T>, fn: (t: T) => string): Iterable<string> {
  for (const t of items) yield fn(t);
}

export interface BuildResult {
  versionId: number;
  exampleCount: number;
  contentHash: string;
  counts: Record<SplitName, Record<LabelValueName, number>>;
}

export interface BuildOptions {
  databaseUrl?: string;
  onProgress?: BuildProgress;
}

/**
 * Builds the version, one build per dataset at a time across every worker (the dataset's build
 * lease, ./build-lease.ts): builds of one lineage read and extend the same split assignments,
 * so a second build waits (its progress says for which version) and then starts from the
 * assignments the first one committed. A duplicate delivery of a build that already finished
 * returns what it built and changes nothing.
 */
export async function buildDatasetVersion(versionId: number, opts: BuildOptions = {}): Promise<BuildResult> {
  const version = await db().datasetVersion.findUnique({ where: { id: versionId }, select: { datasetId: true, version: true } });
  if (!version) throw new DatasetBuildError(`dataset version ${versionId} does not exist`);
  return withDatasetBuildLease(version, () => buildLocked(versionId, opts));
}

function builtResult(v: { id: number; exampleCount: number; contentHash: string | null; counts: unknown }): BuildResult {
  return {
    versionId: v.id,
    exampleCount: v.exampleCount,
    contentHash: v.contentHash ?? '',
    counts: splitCountsSchema.parse(v.counts) as BuildResult['counts'],
  };
}

async function buildLocked(versionId: number, opts: BuildOptions): Promise<BuildResult> {
  const progress = progressWriter(versionId, opts.onProgress);
  const connectionString = opts.databaseUrl ?? process.env.DATABASE_URL;
  const reader = new pg.Client({ connectionString });
  const writer = new pg.Client({ connectionString });
  await Promise.all([reader.connect(), writer.connect()]);
  writer.on('error', () => {}); // a connection dropped on purpose (see catch) must not crash the process
  reader.on('error', () => {}); // nor one the database dropped (a restart): the next query fails instead
  let copyInProgress: ReturnType<typeof copyFrom> | null = null;
  try {
    const version = await db().datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } });
    if (!version) throw new DatasetBuildError(`dataset version ${versionId} does not exist`);
    // Built meanwhile (by the delivery we waited for, or an earlier one): the same job's second run.
    if (version.status === 'ready') return builtResult(version);
    const params = datasetParamsSchema.parse(version.params);
    await db().datasetVersion.update({ where: { id: versionId }, data: { status: 'building', startedAt: new Date(), error: null } });

    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query(`SET LOCAL work_mem = '128MB'`);
    await writer.query('BEGIN');
    await writer.query('DELETE FROM dataset_examples WHERE version_id = $1', [versionId]);

    debug('start pass 1');
    // ---- pass 1: resolve labels, assign splits ----
    const pass = await resolveTurns(reader, params, version.dataset.kind, progress);
    if (pass.turnIds.length === 0) {
      const chosen = pass.tallies.find((t) => t.policy === formatPolicy(params.policy))!;
      const reasons = [
        pass.opening ? `${pass.opening} ${pass.opening === 1 ? 'is an opening message (not a decision)' : 'are opening messages (not decisions)'}` : '',
        pass.withoutCandidate ? `${pass.withoutCandidate} had no candidate message before them` : '',
        ...Object.entries(chosen.excluded)
          .filter(([, n]) => n > 0)
          .map(([r, n]) => `${n} excluded by the ${chosen.policy} policy (${EXCLUSION_REASONS[r as ExclusionReason]})`),
      ].filter(Boolean);
      const why =
        pass.labeledTurns === 0 ? 'the selection has no labeled turns' : `all ${pass.labeledTurns} labeled turns were left out: ${reasons.join('; ')}`;
      throw new DatasetBuildError(`No examples: ${why}.`);
    }
    debug('pass 1 done');
    const existingRows = (
      await writer.query<{ conversation_id: number; split: SplitName }>(
        'SELECT conversation_id, split::text AS split FROM dataset_split_assignments WHERE dataset_id = $1',
        [version.datasetId],
      )
    ).rows;
    const existing = new Map<number, { split: SplitName; stratum: LabelValueName }>();
    for (const r of existingRows) {
      const info = pass.conversations.get(r.conversation_id);
      if (info) existing.set(r.conversation_id, { split: r.split, stratum: conversationStratum(info.labels) });
    }
    const candidates = [...pass.conversations].map(([conversationId, info]) => ({
      conversationId,
      externalId: info.externalId,
      stratum: conversationStratum(info.labels),
    }));
    const fresh = assignNewConversations(candidates, existing, params.split, params.seed);
    await copyInto(
      writer,
      'COPY dataset_split_assignments (dataset_id, conversation_id, split, first_version) FROM STDIN',
      mapRows(fresh, ([id, split]) => copyRow([version.datasetId, id, split, version.version])),
    );
    const splitOf = (id: number) => fresh.get(id) ?? existing.get(id)!.split;

    debug('splits assigned');
    await reader.query(`CREATE TEMP TABLE build_turns (message_id int PRIMARY KEY, label "LabelValue") ON COMMIT DROP`);
    await copyInto(
      reader,
      'COPY build_turns FROM STDIN',
      mapRows(pass.turnIds.keys(), (i) => `${pass.turnIds[i]}\t${pass.turnLabels[i]}\n`),
    );
    await reader.query(`CREATE TEMP TABLE build_convs (conversation_id int, external_id text, split "DatasetSplit", key text) ON COMMIT DROP`);
    await copyInto(
      reader,
      'COPY build_convs FROM STDIN',
      mapRows(pass.conversations, ([id, info]) => copyRow([id, info.externalId, splitOf(id), shuffleKey(params.seed, info.externalId)])),
    );
    await reader.query('CREATE INDEX ON build_convs (split, key, conversation_id)');
    await reader.query('ANALYZE build_turns; ANALYZE build_convs');
    debug('temp tables ready');
    const turnsTotal = pass.turnIds.length;
    pass.turnIds = [];
    pass.turnLabels = [];

    // ---- pass 2: render examples in file order (split, seeded shuffle, position) ----
    const write = exampleLineWriter(params.instructions);
    const hasher = new SplitHasher();
    const stats = new ExampleStatsCollector(params.instructions);
    const ordinal: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
    const counts = Object.fromEntries(SPLITS.map((s) => [s, Object.fromEntries(LABEL_VALUES.map((l) => [l, 0]))])) as BuildResult['counts'];
    const out = (copyInProgress = writer.query(
      copyFrom(
        'COPY dataset_examples (version_id, split, ordinal, conversation_id, external_id, message_id, position, label, tokens, user_content) FROM STDIN',
      ),
    ));
    const outDone = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    outDone.catch(() => {}); // awaited below; on an early error it is abandoned with the connection

    type Row = {
      conversation_id: number;
      external_id: string;
      split: SplitName;
      id: number;
      position: number;
      sender: 'recruiter' | 'candidate';
      text: string;
      sent_at: Date | null;
      label: LabelValueName | null;
    };
    let current: Row[] = [];
    let written = 0;
    let copyBuffer = '';
    const flushCopy = async () => {
      const ok = out.write(copyBuffer);
      copyBuffer = '';
      if (!ok) await once(out, 'drain');
    };
    const flushConversation = async () => {
      if (current.length === 0) return;
      const messages: TranscriptMessage[] = current.map((r) => ({ sender: r.sender, text: r.text, sentAt: r.sent_at }));
      const lineTokens = new Map<number, number>();
      const tokensOf = (i: number) => {
        let n = lineTokens.get(i);
        if (n === undefined) lineTokens.set(i, (n = countTokens(transcriptLine(messages, i))));
        return n;
      };
      const { split, conversation_id, external_id } = current[0];
      for (let t = 0; t < current.length; t++) {
        const row = current[t];
        if (!row.label) continue;
        let user = '';
        let userTokens = 0;
        for (let i = contextStart(t, params.context); i < t; i++) {
          user += transcriptLine(messages, i);
          userTokens += tokensOf(i);
        }
        const closing = turnLine(messages, t);
        user += closing;
        userTokens += countTokens(closing);
        const tokens = stats.add(split, row.label, userTokens);
        const line = write(user, row.label);
        stats.checkLine(line);
        hasher.add(split, line);
        counts[split][row.label]++;
        copyBuffer += copyRow([versionId, split, ++ordinal[split], conversation_id, external_id, row.id, row.position, row.label, tokens, user]);
        written++;
      }
      // One socket write per ~256 KB instead of one per row.
      if (copyBuffer.length >= 1 << 18) await flushCopy();
      progress('Writing examples', written, turnsTotal);
      current = [];
    };
    const rows = cursorRows<Row>(
      reader,
      `SELECT b.conversation_id, b.external_id, b.split::text AS split, m.id, m.position, m.sender::text AS sender,
              m.text, m.sent_at, t.label::text AS label
       FROM build_convs b
       JOIN messages m ON m.conversation_id = b.conversation_id
       LEFT JOIN build_turns t ON t.message_id = m.id
       ORDER BY b.split, b.key, b.conversation_id, m.position`,
      [],
    );
    for await (const r of rows) {
      if (current.length && current[0].conversation_id !== r.conversation_id) await flushConversation();
      current.push(r);
    }
    await flushConversation();
    await flushCopy();
    debug('pass 2 rows streamed');
    out.end();
    await outDone;
    copyInProgress = null;
    await reader.query('COMMIT');

    debug('examples copied');
    // ---- checks ----
    progress('Checking', 0, 1);
    const duplicates = (
      await writer.query<{ exact: string; conflicting: string; cross_split: string }>(
        `SELECT coalesce(sum(n - labels), 0) AS exact,
                count(*) FILTER (WHERE labels > 1) AS conflicting,
                count(*) FILTER (WHERE splits > 1) AS cross_split
         FROM (SELECT count(*) AS n, count(DISTINCT label) AS labels, count(DISTINCT split) AS splits
               FROM dataset_examples WHERE version_id = $1 GROUP BY md5(user_content)) g`,
        [versionId],
      )
    ).rows[0];
    debug('duplicates checked');
    const { files, contentHash } = hasher.digest();
    const exampleStats = stats.finish();
    const { report: checks, tokens: tokenSummary } = runPreflight({
      counts,
      stats: exampleStats,
      duplicates: { exact: Number(duplicates.exact), conflicting: Number(duplicates.conflicting), crossSplit: Number(duplicates.cross_split) },
    });
    const sameAs = (
      await writer.query<{ version: number }>(
        `SELECT version FROM dataset_versions WHERE dataset_id = $1 AND content_hash = $2 AND status = 'ready' ORDER BY version DESC LIMIT 1`,
        [version.datasetId, contentHash],
      )
    ).rows[0]?.version;
    const exclusions = {
      labeledTurns: pass.labeledTurns,
      opening: pass.opening,
      withoutCandidate: pass.withoutCandidate,
      includeTurnsWithoutCandidate: params.includeTurnsWithoutCandidate,
      chosen: formatPolicy(params.policy),
      policies: pass.tallies,
      conversations: pass.conversations.size,
      newlyAssigned: fresh.size,
      inheritedAssignments: existing.size,
      sameContentAs: sameAs ?? null,
      ...(pass.decidedBy ? { decidedBy: pass.decidedBy } : {}),
    };
    await writer.query(
      `UPDATE dataset_versions SET status = 'ready', finished_at = now(), example_count = $2, content_hash = $3, files = $4,
              counts = $5, exclusions = $6, checks = $7, token_stats = $8, progress_phase = 'Done', progress_done = $2, progress_total = $2, error = NULL
       WHERE id = $1`,
      [
        versionId,
        written,
        contentHash,
        JSON.stringify(files),
        JSON.stringify(counts),
        JSON.stringify(exclusions),
        JSON.stringify(checks),
        JSON.stringify(tokenSummary),
      ],
    );
    debug('version updated');
    await writer.query('COMMIT');
    await progress.flush();
    return { versionId, exampleCount: written, contentHash, counts };
  } catch (e) {
    await reader.query('ROLLBACK').catch(() => {});
    if (copyInProgress) {
      // A ROLLBACK would queue behind the unfinished COPY forever: drop the connection
      // instead, and PostgreSQL rolls the transaction back itself.
      (writer as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    } else {
      await writer.query('ROLLBACK').catch(() => {});
    }
    await progress.flush();
    const message = e instanceof DatasetBuildError ? e.message : `Build failed: ${e instanceof Error ? e.message : String(e)}`;
    // Never over a version that is built (a ready version is immutable).
    await db()
      .datasetVersion.updateMany({ where: { id: versionId, status: { not: 'ready' } }, data: { status: 'failed', error: message, finishedAt: new Date() } })
      .catch(() => {});
    throw e;
  } finally {
    await Promise.all([reader.end().catch(() => {}), writer.end().catch(() => {})]);
  }
}

/** Token counts per example, kept as compact arrays (4 bytes per example). */
class ExampleStatsCollector {
  private readonly fixed: number;
  private tokens: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private trainTokens: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private n = 0;
  private nTrain = 0;
  private readonly labelTokens: Record<LabelValueName, number>;
  private formatErrors = emptyFormatErrors();
  private missingSystem = 0;
  private missingUser = 0;

  constructor(instructions: string) {
    this.fixed = chatFramingTokens() + countTokens(instructions);
    this.labelTokens = Object.fromEntries(LABEL_VALUES.map((l) => [l, countTokens(l)])) as Record<LabelValueName, number>;
  }

  /** Records one example; returns its total tokens. */
  add(split: SplitName, label: LabelValueName, userTokens: number): number {
    const total = this.fixed + userTokens + this.labelTokens[label];
    if (this.n === this.tokens.length) this.tokens = grow(this.tokens);
    this.tokens[this.n++] = total;
    if (split === 'train') {
      if (this.nTrain === this.trainTokens.length) this.trainTokens = grow(this.trainTokens);
      this.trainTokens[this.nTrain++] = total;
    }
    return total;
  }

  /** The cookbook checks on the exact bytes that go into the file (reference §1.3). */
  checkLine(line: string): void {
    if (checkJsonlLine(line, this.formatErrors) > 0) return;
    const w = missingRoleWarnings(JSON.parse(line));
    if (w.missingSystem) this.missingSystem++;
    if (w.missingUser) this.missingUser++;
  }

  finish(): ExampleStats {
    return {
      all: this.tokens.subarray(0, this.n),
      train: this.trainTokens.subarray(0, this.nTrain),
      formatErrors: this.formatErrors,
      missingSystem: this.missingSystem,
      missingUser: this.missingUser,
    };
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
