// npm run bench:queue — a benchmark, not a test. On a scratch PostgreSQL: 100k conversations
// (10 messages each, COPY), a third of them already labeled; then 20 reviewers work the queue
// at once — claim (timed), label every decision turn through labelTurn, claim the next —
// first through the Studio (claimNextConversation), then through a hand-written raw-SQL
// claim doing the same work over plain pg. Checks: no conversation handed to two reviewers
// (overlap 1), at most two at overlap 2, and every label written is stored.
//
// Built to be extended: `main(steps)` runs any list of BenchSteps against one prepared
// database and prints every step's rows and checks; a step is `{ name, run(ctx) }`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { benchAgreement } from './agreement';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from '../testing/free-port';
import type { Actor } from '../auth/session';
import { writeBenchFiles } from './bench-data';
import { ms, percentile } from './stats';

export const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
export const REVIEWERS = Number(process.env.BENCH_REVIEWERS ?? 20);
/** Conversations each reviewer claims and labels per phase. */
const CLAIMS_PER_REVIEWER = Number(process.env.BENCH_CLAIMS ?? 25);
/** Pause between one reviewer's keystrokes (a very fast reviewer); 0 hammers the server. */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 250);
const pause = (n: number) => (n > 0 ? new Promise((resolve) => setTimeout(resolve, n)) : Promise.resolve());
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export interface BenchRow {
  op: string;
  ours: Latency;
  raw: Latency | null;
  /** p95 must be at most this (ms); null: reported only. */
  target: number | null;
  note?: string;
}

export interface BenchCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface BenchContext {
  url: string;
  /** A plain connection for setup and checks. */
  client: pg.Client;
  conversations: number;
  log: (m: string) => void;
}

export interface BenchStep {
  name: string;
  run: (ctx: BenchContext) => Promise<{ rows: BenchRow[]; checks: BenchCheck[] }>;
}

export function latency(times: number[]): Latency {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN };
}

async function loadConversations(ctx: BenchContext, tmp: string) {
  ctx.log(`generating ${ctx.conversations.toLocaleString('en-US')} conversations × 10 messages…`);
  const files = writeBenchFiles(tmp, ctx.conversations);
  const c = ctx.client;
  ctx.log('COPY into conversations and messages…');
  await c.query('BEGIN');
  await pipeline(
    fs.createReadStream(files.conversationsCopy),
    c.query(copyFrom('COPY conversations (id, external_id, candidate_name, job_title, last_activity_at) FROM STDIN')),
  );
  await pipeline(fs.createReadStream(files.messagesCopy), c.query(copyFrom('COPY messages (conversation_id, position, sender, text, sent_at) FROM STDIN')));
  await c.query(`SELECT setval('conversations_id_seq', (SELECT max(id) FROM conversations))`);
  await c.query(`
    UPDATE conversations c SET recruiter_turns = s.n
    FROM (SELECT conversation_id, count(*) FILTER (WHERE sender = 'recruiter' AND position > 0) AS n FROM messages GROUP BY conversation_id) s
    WHERE c.id = s.conversation_id`);
  await c.query('COMMIT');
  // A third is labeled already (an import), spread through the order, so claims pass over them.
  await c.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ('bench-import', 'import', 'import@bench', 'reviewer', now())`);
  await c.query(`
    INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
    SELECT m.id, m.conversation_id, 'bench-import', 'CONTINUE', now() FROM messages m
    WHERE m.sender = 'recruiter' AND m.conversation_id % 3 = 0`);
  const { pgRunner, refreshConversationStats } = await import('../conversations/stats');
  const ids = (await c.query<{ id: number }>('SELECT id FROM conversations WHERE id % 3 = 0 ORDER BY id')).rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 10_000) await refreshConversationStats(pgRunner(c), ids.slice(i, i + 10_000));
  await c.query('VACUUM ANALYZE');
}

export async function addReviewers(c: pg.Client, prefix: string, n: number): Promise<Actor[]> {
  const actors: Actor[] = Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    email: `${prefix}-${i}@bench`,
    name: `${prefix} ${i}`,
    role: 'reviewer',
  }));
  for (const a of actors)
    await c.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $2, $3, 'reviewer', now())`, [a.id, a.name, a.email]);
  return actors;
}

// The raw-SQL twin of claimNextConversation, doing the same work as a hand-written transaction
// over plain pg: read the overlap setting; lock the first conversation of the view that needs
// the reviewer (a decision turn they have neither labeled nor skipped, with fewer labels than
// the overlap) and has a free slot (live leases of others plus others who labeled every turn),
// prioritized ones (an advisor decision deferred, or disputed by a label) first, skipping
// locked rows; check again in a new statement (the lock may have been granted after another
// claimer committed its lease, which the first statement's snapshot cannot see) and write the
// lease, committing asynchronously; drop the reviewer's other leases. Six round trips.
const RAW_NEEDS = `c.recruiter_turns > 0 AND NOT c.is_golden AND c.min_turn_labels < $3
  AND coalesce((SELECT r.labeled_turns FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = $1), 0) < c.recruiter_turns
  AND (SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'recruiter' AND m.position > 0
        AND (SELECT count(*) FROM labels l WHERE l.message_id = m.id AND l.reviewer_id = $1) = 0
        AND (SELECT count(*) FROM labels l WHERE l.message_id = m.id) < $3
        AND (SELECT count(*) FROM turn_skips s WHERE s.message_id = m.id AND s.reviewer_id = $1) = 0 LIMIT 1) t) > 0`;
const RAW_TAKEN = `(SELECT count(*) FROM (
    SELECT ll.reviewer_id FROM labeling_leases ll WHERE ll.conversation_id = c.id AND ll.expires_at > now() AND ll.reviewer_id <> $1
    UNION SELECT cr.reviewer_id FROM conversation_reviewers cr WHERE cr.conversation_id = c.id AND cr.labeled_turns >= c.recruiter_turns AND cr.reviewer_id <> $1) t)`;
const RAW_PRIORITY = `c.id = ANY(ARRAY(SELECT d.conversation_id FROM advisor_decisions d
    JOIN messages m ON m.conversation_id = d.conversation_id AND m.position = d.position AND m.sender = 'recruiter' AND m.position > 0
    WHERE d.conversation_id IS NOT NULL AND (NOT d.acted OR EXISTS (SELECT 1 FROM labels l WHERE l.message_id = m.id AND l.value IS DISTINCT FROM d.decision))))`;
const rawLook = (perTurn: number, prioritized: boolean) => `
  SELECT c.id FROM conversations c
  WHERE NOT c.is_golden AND c.recruiter_turns > 0 AND c.min_turn_labels < ${perTurn} AND c.id <> ALL($2::int[])
    AND ${prioritized ? RAW_PRIORITY : 'TRUE'} AND ${RAW_TAKEN} < $3 AND ${RAW_NEEDS}
  ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 1 FOR NO KEY UPDATE OF c SKIP LOCKED`;
const rawLock = (perTurn: number) => `
  WITH first AS (${rawLook(perTurn, true)}), rest AS (${rawLook(perTurn, false)})
  SELECT id FROM first UNION ALL (SELECT id FROM rest WHERE NOT EXISTS (SELECT 1 FROM first)) LIMIT 1`;

export async function rawClaim(pool: pg.Pool, reviewerId: string, currentId: number | null, exclude: number[] = []): Promise<number | null> {
  const c = await pool.connect();
  const tried: number[] = currentId ? [currentId, ...exclude] : [...exclude];
  try {
    const perTurn = (await c.query<{ n: number }>(`SELECT reviewers_per_turn AS n FROM labeling_settings WHERE id = 1`)).rows[0]?.n ?? 1;
    for (let attempt = 0; attempt < 8; attempt++) {
      await c.query('BEGIN');
      const { rows } = await c.query<{ id: number }>(rawLock(Math.max(1, Math.trunc(perTurn))), [reviewerId, tried, perTurn]);
      const id = rows[0]?.id ?? null;
      if (id === null) {
        await c.query('COMMIT');
        return null;
      }
      const put = await c.query(
        `WITH async_commit AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))
         INSERT INTO labeling_leases (conversation_id, reviewer_id, claimed_at, expires_at)
         SELECT c.id, $1, now(), now() + interval '10 minutes' FROM conversations c CROSS JOIN async_commit
         WHERE c.id = $2 AND ${RAW_TAKEN} < $3 AND ${RAW_NEEDS}
         ON CONFLICT (conversation_id, reviewer_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
        [reviewerId, id, perTurn],
      );
      if (put.rowCount === 0) {
        await c.query('ROLLBACK');
        tried.push(id);
        continue;
      }
      await c.query(`DELETE FROM labeling_leases WHERE reviewer_id = $1 AND conversation_id <> $2`, [reviewerId, id]);
      await c.query('COMMIT');
      return id;
    }
    return null;
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  } finally {
    c.release();
  }
}

export interface PhaseResult {
  claimTimes: number[];
  handed: Map<number, Set<string>>;
  labelsWritten: number;
  seconds: number;
}

/** `reviewers` work the queue at once: claim, label every decision turn, claim the next. */
export async function workQueue(
  reviewers: Actor[],
  claim: (r: Actor, currentId: number | null) => Promise<number | null>,
  decisionTurns: (conversationId: number) => Promise<number[]>,
): Promise<PhaseResult> {
  const { labelTurn } = await import('../labeling/label-turn');
  const claimTimes: number[] = [];
  const handed = new Map<number, Set<string>>();
  let labelsWritten = 0;
  const t0 = performance.now();
  await Promise.all(
    reviewers.map(async (r, ri) => {
      let current: number | null = null;
      for (let i = 0; i < CLAIMS_PER_REVIEWER; i++) {
        const t = performance.now();
        const id = await claim(r, current);
        claimTimes.push(performance.now() - t);
        if (id === null) return;
        const set = handed.get(id) ?? new Set<string>();
        set.add(r.id);
        handed.set(id, set);
        for (const [k, turn] of (await decisionTurns(id)).entries()) {
          await pause(THINK_MS);
          await labelTurn(r, { messageId: turn, value: (['END', 'CONTINUE', 'SCHEDULE'] as const)[(ri + k) % 3] });
          labelsWritten++;
        }
        current = id;
      }
    }),
  );
  return { claimTimes, handed, labelsWritten, seconds: (performance.now() - t0) / 1000 };
}

async function storedLabels(c: pg.Client, prefix: string): Promise<number> {
  return Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM labels WHERE reviewer_id LIKE $1`, [`${prefix}-%`])).rows[0].n);
}

function maxHolders(handed: Map<number, Set<string>>): number {
  return Math.max(0, ...[...handed.values()].map((s) => s.size));
}

interface PlanSample {
  buffers: number;
  /** Conversations read and passed over on the way to the one locked (filtered out, or locked by others). */
  passedOver: number;
  execMs: number;
  planMs: number;
}

/** Sums a JSON plan's counters over the nodes that read `conversations`. */
function passedOver(node: Record<string, unknown>): number {
  const own = node['Relation Name'] === 'conversations' ? Number(node['Rows Removed by Filter'] ?? 0) : 0;
  const kids = (node.Plans as Record<string, unknown>[] | undefined) ?? [];
  return own + kids.reduce((n, k) => n + passedOver(k), 0);
}

/**
 * While the reviewers work: every 200 ms, one more claimer's claim statement under EXPLAIN
 * (ANALYZE, BUFFERS), rolled back. What one claim reads with 20 others claiming and labeling.
 */
function probeClaims(ctx: BenchContext, url: string, perTurn: number): { stop: () => Promise<PlanSample[]> } {
  const samples: PlanSample[] = [];
  let running = true;
  const done = (async () => {
    const { claimSql } = await import('../labeling/queue');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const id = `bench-probe-${perTurn}`;
    await c.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $1, $1, 'reviewer', now()) ON CONFLICT DO NOTHING`, [id]);
    const q = claimSql({ id, email: id, name: id, role: 'reviewer' }, { q: '', filter: 'all', sort: 'recent' }, perTurn, 600, []);
    while (running) {
      await c.query('BEGIN');
      const { rows } = await c.query<{ 'QUERY PLAN': [{ Plan: Record<string, unknown>; 'Execution Time': number; 'Planning Time': number }] }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`,
        q.values,
      );
      await c.query('ROLLBACK');
      const [r] = rows[0]['QUERY PLAN'];
      samples.push({
        buffers: Number(r.Plan['Shared Hit Blocks']) + Number(r.Plan['Shared Read Blocks']),
        passedOver: passedOver(r.Plan),
        execMs: r['Execution Time'],
        planMs: r['Planning Time'],
      });
      await pause(200);
    }
    await c.end();
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return samples;
    },
  };
}

function planNote(samples: PlanSample[]): string {
  const med = (f: (s: PlanSample) => number) =>
    percentile(
      [...samples.map(f)].sort((a, b) => a - b),
      50,
    );
  const p95 = (f: (s: PlanSample) => number) =>
    percentile(
      [...samples.map(f)].sort((a, b) => a - b),
      95,
    );
  return `EXPLAIN of ${samples.length} claims among them: buffers p50 ${med((s) => s.buffers)} / p95 ${p95((s) => s.buffers)}, rows passed over p50 ${med((s) => s.passedOver)} / p95 ${p95((s) => s.passedOver)}, execution p50 ${med((s) => s.execMs).toFixed(2)} ms, planning p50 ${med((s) => s.planMs).toFixed(2)} ms`;
}

/** Opens every connection of both pools first, so neither side's first claims pay for connecting. */
async function warmUp(rawPool: pg.Pool) {
  const { db } = await import('../db');
  await Promise.all(Array.from({ length: 10 }, () => db().$queryRaw`SELECT 1 AS one FROM pg_sleep(0.05)`));
  await Promise.all(Array.from({ length: 10 }, () => rawPool.query('SELECT pg_sleep(0.05)')));
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/**
 * The claim step: at overlap 1, then 2, the Studio's claims (claimNextConversation) and the
 * raw-SQL claim doing the same work, each phase with its own reviewers on the same database.
 */
export const claimStep: BenchStep = {
  name: 'claims',
  async run(ctx) {
    const { claimNextConversation } = await import('../labeling/queue');
    const { updateLabelingSettings } = await import('../labeling/settings');
    const c = ctx.client;
    const view = { q: '', filter: 'all' as const, sort: 'recent' as const };
    const turnsPool = new pg.Pool({ connectionString: ctx.url, max: 4 });
    const rawPool = new pg.Pool({ connectionString: ctx.url, max: 10 });
    await warmUp(rawPool);
    const decisionTurns = async (id: number) =>
      (
        await turnsPool.query<{ id: number }>(
          `SELECT id FROM messages WHERE conversation_id = $1 AND sender = 'recruiter' AND position > 0 ORDER BY position`,
          [id],
        )
      ).rows.map((r) => r.id);
    const rows: BenchRow[] = [];
    const checks: BenchCheck[] = [];
    const admin: Actor = { id: 'bench-admin', email: '', name: 'bench', role: 'admin' };

    for (const overlap of [1, 2]) {
      await updateLabelingSettings(admin, { reviewersPerTurn: overlap, blind: 'auto' });
      ctx.log(`overlap ${overlap}: ${REVIEWERS} reviewers × ${CLAIMS_PER_REVIEWER} claims through claimNextConversation…`);
      const ours = await addReviewers(c, `bench-q${overlap}`, REVIEWERS);
      const probe = probeClaims(ctx, ctx.url, overlap);
      let cpu = process.cpuUsage();
      const a = await workQueue(
        ours,
        async (r, current) => (await claimNextConversation(r, view, { currentId: current }))?.conversationId ?? null,
        decisionTurns,
      );
      const cpuOurs = cpuSeconds(process.cpuUsage(cpu));
      const plans = await probe.stop();

      ctx.log(`overlap ${overlap}: ${REVIEWERS} reviewers × ${CLAIMS_PER_REVIEWER} claims through the raw-SQL claim…`);
      const rawReviewers = await addReviewers(c, `bench-raw${overlap}`, REVIEWERS);
      cpu = process.cpuUsage();
      const b = await workQueue(rawReviewers, (r, current) => rawClaim(rawPool, r.id, current), decisionTurns);
      const cpuRaw = cpuSeconds(process.cpuUsage(cpu));

      rows.push({
        op: `claim, overlap ${overlap} (${REVIEWERS} reviewers at once)`,
        ours: latency(a.claimTimes),
        raw: latency(b.claimTimes),
        target: 50,
        note:
          `${(a.claimTimes.length / a.seconds).toFixed(0)} claims/s and ${(a.labelsWritten / a.seconds).toFixed(0)} labels/s while labeling; ` +
          `bench process CPU per phase (claims + labels) ${cpuOurs.toFixed(1)} s ours / ${cpuRaw.toFixed(1)} s raw; round trips per claim 2 ours / 6 raw; ${planNote(plans)}`,
      });
      const most = Math.max(maxHolders(a.handed), maxHolders(b.handed));
      const overTurn = Number(
        (
          await c.query<{ n: string }>(
            `SELECT count(*) AS n FROM (SELECT l.message_id FROM labels l
             WHERE l.message_id IN (SELECT message_id FROM labels WHERE reviewer_id LIKE ANY($1::text[])) GROUP BY l.message_id HAVING count(*) > $2) x`,
            [[`bench-q${overlap}-%`, `bench-raw${overlap}-%`], overlap],
          )
        ).rows[0].n,
      );
      checks.push({
        name: `overlap ${overlap}: no conversation handed to more than ${overlap} reviewer${overlap > 1 ? 's' : ''}, no turn labeled more than ${overlap} times`,
        ok: most <= overlap && overTurn === 0,
        detail: `${a.handed.size} conversations handed out (Studio), ${b.handed.size} (raw); most holders of one: ${maxHolders(a.handed)} / ${maxHolders(b.handed)}; turns over: ${overTurn}`,
      });
      const storedA = await storedLabels(c, `bench-q${overlap}`);
      const storedB = await storedLabels(c, `bench-raw${overlap}`);
      checks.push({
        name: `overlap ${overlap}: no label lost`,
        ok: storedA === a.labelsWritten && storedB === b.labelsWritten,
        detail: `${a.labelsWritten} written, ${storedA} stored (Studio); ${b.labelsWritten} / ${storedB} (raw)`,
      });
    }
    await updateLabelingSettings(admin, { reviewersPerTurn: 1, blind: 'auto' });
    await rawPool.end();
    await turnsPool.end();
    return { rows, checks };
  },
};

// κ over 1M labels (issue: ≤ 2 s), in a database of its own on the same server (lib/bench/agreement.ts).
export const agreementStep: BenchStep = {
  name: 'agreement',
  run: async (ctx) => {
    const r = await benchAgreement({ serverUrl: ctx.url, turns: process.env.BENCH_TURNS ? Number(process.env.BENCH_TURNS) : undefined, log: ctx.log });
    const one = (v: number) => ({ n: r.runs, p50: v, p95: v, max: v });
    return {
      rows: [
        {
          op: `κ (pairs + Fleiss) over ${r.labels.toLocaleString('en-US')} labels`,
          ours: { ...one(r.ours.p50), max: r.ours.max },
          raw: { ...one(r.baseline.p50), max: r.baseline.max },
          target: r.targetMs,
          note: 'p50 of the runs shown in both columns; raw = one plain pair GROUP BY',
        },
      ],
      checks: [],
    };
  },
};

export const DEFAULT_STEPS: BenchStep[] = [claimStep, agreementStep];

function printResults(results: { step: string; rows: BenchRow[]; checks: BenchCheck[] }[]) {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `\nQueue benchmark: ${CONVERSATIONS.toLocaleString('en-US')} conversations, ${REVIEWERS} reviewers at once, ${CLAIMS_PER_REVIEWER} claims each, ${THINK_MS} ms between keystrokes\n`,
  );
  console.log(
    `${pad('operation', 44)} ${pad('n', 6)} ${pad('ours p50', 10)} ${pad('ours p95', 10)} ${pad('raw p50', 10)} ${pad('raw p95', 10)} ${pad('target', 10)} result`,
  );
  for (const { rows } of results) {
    for (const r of rows) {
      const verdict = r.target === null ? '' : r.ours.p95 <= r.target ? 'PASS' : 'FAIL';
      console.log(
        `${pad(r.op, 44)} ${pad(String(r.ours.n), 6)} ${pad(ms(r.ours.p50), 10)} ${pad(ms(r.ours.p95), 10)} ${pad(r.raw ? ms(r.raw.p50) : '—', 10)} ${pad(r.raw ? ms(r.raw.p95) : '—', 10)} ${pad(r.target === null ? '—' : `≤ ${r.target} ms`, 10)} ${verdict}${r.note ? `  (${r.note})` : ''}`,
      );
    }
  }
  console.log('');
  for (const { checks } of results) for (const ch of checks) console.log(`${ch.ok ? 'PASS' : 'FAIL'}  ${ch.name}: ${ch.detail}`);
  console.log(JSON.stringify({ conversations: CONVERSATIONS, reviewers: REVIEWERS, results }));
}

/** Prepares a scratch database with the conversations, runs the steps, prints the figures. */
export async function main(steps: BenchStep[] = DEFAULT_STEPS): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-queue-'));
  fs.chmodSync(tmp, 0o755);
  const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
  const url = process.env.BENCH_DATABASE_URL ?? server!.url;
  process.env.DATABASE_URL = url;
  const results: { step: string; rows: BenchRow[]; checks: BenchCheck[] }[] = [];
  const client = new pg.Client({ connectionString: url });
  try {
    await applyPendingMigrations(url);
    await client.connect();
    const ctx: BenchContext = { url, client, conversations: CONVERSATIONS, log };
    await loadConversations(ctx, tmp);
    for (const step of steps) {
      log(`step: ${step.name}`);
      results.push({ step: step.name, ...(await step.run(ctx)) });
    }
  } catch (e) {
    console.error('benchmark failed:', e);
    process.exitCode = 1;
  } finally {
    await client.end().catch(() => {});
    const { disconnectDb } = await import('../db');
    await disconnectDb();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  printResults(results);
  if (results.some((r) => r.checks.some((c) => !c.ok) || r.rows.some((row) => row.target !== null && row.ours.p95 > row.target))) process.exitCode = 1;
}

// BENCH_STEPS=claims runs only the named steps (comma-separated).
const only = process.env.BENCH_STEPS?.split(',').map((n) => n.trim());
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(only ? DEFAULT_STEPS.filter((st) => only.includes(st.name)) : DEFAULT_STEPS);
