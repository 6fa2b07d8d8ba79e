// npm run bench:agreement — a benchmark, not a test. Loads ~1M labels (333,334 decision turns ×
// 3 reviewers, COPY into a scratch database) and times the agreement page's aggregate — Cohen's κ
// for every reviewer pair and Fleiss' κ overall, counted in SQL (lib/agreement/team-agreement.ts)
// and summarised with the shared formulas — beside a baseline: the plain pair GROUP BY over the
// self-joined labels table in raw SQL, without the page's scope (golden conversations, import
// sources) and without the Fleiss pass. Target: ours ≤ 2 s.
//
// `benchAgreement({ serverUrl })` is exported so other benchmarks (npm run bench:queue) can run it
// against their server: it creates and drops its own database there and touches nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from '../testing/free-port';
import { mulberry32 } from '../prng';
import { agreementCountsSql, summariseAgreement, type AgreementCountRow } from '../agreement/team-agreement';
import { AGREEMENT_WORK_MEM_SQL } from '../agreement/scope';
import { LABEL_VALUES } from '../labeling/label-values';
import { percentile } from './stats';

export const AGREEMENT_TARGET_MS = 2_000;

export interface AgreementBenchResult {
  turns: number;
  labels: number;
  reviewers: number;
  loadSeconds: number;
  runs: number;
  ours: { p50: number; max: number };
  baseline: { p50: number; max: number };
  targetMs: number;
  pass: boolean;
  fleissKappa: number | null;
  pairKappas: { a: string; b: string; n: number; kappa: number | null }[];
}

export interface AgreementBenchOptions {
  /** Any database URL on the server to use; a scratch database `bench_agreement` is made beside it. */
  serverUrl: string;
  turns?: number;
  runs?: number;
  log?: (m: string) => void;
}

const REVIEWERS = ['bench-ann', 'bench-ben', 'bench-cat'];
const TURNS_PER_CONVERSATION = 10;

/** Each reviewer agrees with a hidden truth label with this probability, else picks at random. */
const ACCURACY = [0.85, 0.75, 0.65];

function* chunks(turns: number, make: (start: number, end: number) => string, per = 10_000): Generator<string> {
  for (let s = 0; s < turns; s += per) yield make(s, Math.min(turns, s + per));
}

async function copy(client: pg.Client, sql: string, lines: Iterable<string>) {
  await pipeline(Readable.from(lines), client.query(copyFrom(sql)));
}

/** Writes the benchmark corpus into an empty, migrated database. */
export async function loadAgreementBenchData(client: pg.Client, turns: number) {
  const conversations = Math.ceil(turns / TURNS_PER_CONVERSATION);
  await client.query('BEGIN');
  for (const id of REVIEWERS) {
    await client.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $1, $1 || '@bench.test', 'reviewer', now())`, [id]);
  }
  await copy(
    client,
    'COPY conversations (id, external_id, last_activity_at) FROM STDIN',
    chunks(conversations, (s, e) => {
      let out = '';
      for (let c = s; c < e; c++) out += `${c + 1}\tbench-${c + 1}\t2026-11-01 00:00:00\n`;
      return out;
    }),
  );
  // Per conversation: a candidate opener at position 0, then TURNS_PER_CONVERSATION recruiter
  // turns at 1..10 (decisions, so every label is in the page's scope). Message id = turn + 1.
  await copy(
    client,
    'COPY messages (id, conversation_id, position, sender, text) FROM STDIN',
    chunks(turns, (s, e) => {
      let out = '';
      for (let t = s; t < e; t++) {
        const c = Math.floor(t / TURNS_PER_CONVERSATION);
        const p = (t % TURNS_PER_CONVERSATION) + 1;
        if (p === 1) out += `${turns + c + 1}\t${c + 1}\t0\tcandidate\thi\n`;
        out += `${t + 1}\t${c + 1}\t${p}\trecruiter\tturn ${t + 1}\n`;
      }
      return out;
    }),
  );
  const next = mulberry32(20261201);
  await copy(
    client,
    'COPY labels (message_id, conversation_id, reviewer_id, value, updated_at) FROM STDIN',
    chunks(turns, (s, e) => {
      let out = '';
      for (let t = s; t < e; t++) {
        const truth = next() % 3;
        for (let r = 0; r < REVIEWERS.length; r++) {
          const v = next() / 4294967296 < ACCURACY[r] ? truth : next() % 3;
          out += `${t + 1}\t${Math.floor(t / TURNS_PER_CONVERSATION) + 1}\t${REVIEWERS[r]}\t${LABEL_VALUES[v]}\t2026-11-01 00:00:00\n`;
        }
      }
      return out;
    }),
  );
  await client.query('COMMIT');
  // As autovacuum would soon after a load: statistics, hint bits and the visibility map.
  await client.query('VACUUM ANALYZE conversations, messages, labels, users');
}

/** The same pair aggregate as the page, as one plain GROUP BY: no scope, no Fleiss, no formulas. */
const BASELINE_SQL = `
  SELECT a.reviewer_id AS ra, b.reviewer_id AS rb, a.value AS va, b.value AS vb, count(*) AS n
  FROM labels a JOIN labels b ON b.message_id = a.message_id AND a.reviewer_id < b.reviewer_id
  GROUP BY 1, 2, 3, 4`;

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; max: number }> {
  await fn(); // warm the cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), max: times[times.length - 1] };
}

export async function benchAgreement(opts: AgreementBenchOptions): Promise<AgreementBenchResult> {
  const turns = opts.turns ?? 333_334;
  const runs = opts.runs ?? 5;
  const log = opts.log ?? (() => {});
  const admin = new pg.Client({ connectionString: opts.serverUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_agreement');
  await admin.query('CREATE DATABASE bench_agreement');
  const url = opts.serverUrl.replace(/\/[^/?]+(\?|$)/, '/bench_agreement$1');
  const client = new pg.Client({ connectionString: url });
  const second = new pg.Client({ connectionString: url });
  try {
    await applyPendingMigrations(url);
    await client.connect();
    await second.connect();
    log(
      `loading ${(turns * REVIEWERS.length).toLocaleString('en-US')} labels (${turns.toLocaleString('en-US')} turns × ${REVIEWERS.length} reviewers) by COPY…`,
    );
    const t = performance.now();
    await loadAgreementBenchData(client, turns);
    const loadSeconds = (performance.now() - t) / 1000;
    log(`loaded in ${loadSeconds.toFixed(1)} s; timing ${runs} runs each…`);

    let summary: ReturnType<typeof summariseAgreement> | null = null;
    const ours = await timeRuns(runs, async () => {
      // Exactly what teamAgreement runs (it adds one small users lookup for the names): the pair
      // and item statements side by side on two connections.
      const parts = await Promise.all(
        agreementCountsSql({ includeImports: false }).map(async (sql, i) => {
          const c = i === 0 ? client : second;
          await c.query('BEGIN');
          await c.query(AGREEMENT_WORK_MEM_SQL);
          const rows = (await c.query<AgreementCountRow>(sql)).rows;
          await c.query('COMMIT');
          return rows;
        }),
      );
      const rows = parts.flat();
      summary = summariseAgreement(rows, (id) => ({ id, email: id, name: id, isImport: false }));
    });
    const baseline = await timeRuns(runs, async () => {
      await client.query('BEGIN');
      await client.query(AGREEMENT_WORK_MEM_SQL); // the same memory, so only the work differs
      await client.query(BASELINE_SQL);
      await client.query('COMMIT');
    });
    const s = summary!;
    return {
      turns,
      labels: s.labels,
      reviewers: REVIEWERS.length,
      loadSeconds,
      runs,
      ours,
      baseline,
      targetMs: AGREEMENT_TARGET_MS,
      pass: ours.p50 <= AGREEMENT_TARGET_MS,
      fleissKappa: s.fleiss.kappa,
      pairKappas: s.pairs.map((p) => ({ a: p.a.id, b: p.b.id, n: p.kappa.n, kappa: p.kappa.kappa })),
    };
  } finally {
    await client.end().catch(() => {});
    await second.end().catch(() => {});
    await admin.query('DROP DATABASE IF EXISTS bench_agreement WITH (FORCE)').catch(() => {});
    await admin.end();
  }
}

export function formatAgreementBench(r: AgreementBenchResult): string {
  const sec = (x: number) => `${(x / 1000).toFixed(2)} s`;
  return [
    `Agreement benchmark: ${r.labels.toLocaleString('en-US')} labels, ${r.turns.toLocaleString('en-US')} turns × ${r.reviewers} reviewers (loaded by COPY in ${r.loadSeconds.toFixed(1)} s)`,
    `  ours (pair κ + Fleiss κ, scoped SQL aggregate + formulas): p50 ${sec(r.ours.p50)}, max ${sec(r.ours.max)} over ${r.runs} runs`,
    `  baseline (plain pair GROUP BY, raw SQL):                   p50 ${sec(r.baseline.p50)}, max ${sec(r.baseline.max)}`,
    `  target ours p50 ≤ ${sec(r.targetMs)}: ${r.pass ? 'PASS' : 'FAIL'} · Fleiss κ ${r.fleissKappa?.toFixed(3)} · ${r.pairKappas
      .map((p) => `${p.a}/${p.b} κ ${p.kappa?.toFixed(3)}`)
      .join(', ')}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-agreement-'));
  fs.chmodSync(tmp, 0o755);
  const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
  try {
    const r = await benchAgreement({
      serverUrl: process.env.BENCH_DATABASE_URL ?? server!.url,
      turns: process.env.BENCH_TURNS ? Number(process.env.BENCH_TURNS) : undefined,
      runs: process.env.BENCH_RUNS ? Number(process.env.BENCH_RUNS) : undefined,
      log,
    });
    console.log(`\n${formatAgreementBench(r)}`);
    console.log(JSON.stringify(r));
    if (!r.pass) process.exitCode = 1;
  } catch (e) {
    console.error('benchmark failed:', e);
    process.exitCode = 1;
  } finally {
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
