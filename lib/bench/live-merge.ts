// npx tsx lib/bench/live-merge.ts — a benchmark, not a test: what merging live traffic costs.
// On a scratch PostgreSQL it logs decisions as the API does (BENCH_MERGE_PER_BATCH, 200, per
// batch: one second at the target rate) for 1,000 sample conversations, each a little longer
// than the last time, and merges each batch with ingestLiveBatch: first with its fast paths
// (new / grown / unchanged), then, on emptied tables, the same batches through the importer's
// merge alone (the baseline: how every batch was merged before). Per batch it prints the CPU the
// merge took in PostgreSQL (its connection, from /proc; the background processes apart) and in
// Node, and the wall time. BENCH_MERGE_ROUNDS (15) batches each way: 75 is bench:advisor's
// 15,000 requests, conversations grown up to their last turn; BENCH_MERGE_PG_STATS=1 adds the
// merge's statements by time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from '../testing/free-port';
import { generateSampleConversations } from '../seed/generate';
import { percentile } from './stats';

const PER = Number(process.env.BENCH_MERGE_PER_BATCH ?? 200);
const CONVERSATIONS = 1000;
const ROUNDS = Number(process.env.BENCH_MERGE_ROUNDS ?? 15);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-merge-'));
fs.chmodSync(tmp, 0o755);
let server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
// BENCH_MERGE_PG_STATS=1: restart with pg_stat_statements and print, per way of merging, the
// merge's statements by time per batch (which of them grows with the conversations).
const PG_STATS = process.env.BENCH_MERGE_PG_STATS === '1';
if (PG_STATS) {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await c.query(`ALTER SYSTEM SET pg_stat_statements.track = 'all'`);
  await c.end();
  const port = server.port;
  await server.stop();
  server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port, quiet: true });
}
process.env.DATABASE_URL = server.url;

try {
  await applyPendingMigrations(server.url);
  const db = new pg.Client({ connectionString: server.url });
  await db.connect();
  if (PG_STATS) await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await db.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ('bench-admin', 'Bench Admin', 'admin@bench', 'admin', now())`);
  const { promoteModel } = await import('../advisor/promotions');
  const { logLiveDecision } = await import('../testing/log-live-decision');
  const { ingestLiveBatch } = await import('../advisor/live-ingest');
  const { closeAdvisorPool } = await import('../advisor/pool');
  const { disconnectDb } = await import('../db');
  const admin = { id: 'bench-admin', email: 'admin@bench', name: 'Bench Admin', role: 'admin' as const };
  const promotion = await promoteModel(admin, { model: 'local-base', provider: 'local', threshold: 0.7, timeoutMs: 1000, note: 'bench' });
  await disconnectDb();

  // Request i: conversation i mod 1,000 cut before its (i div 1,000)-th recruiter turn, as
  // bench:advisor sends them: once a conversation has been sent at every turn it comes back as a
  // new one (a generation suffix), so a conversation only grows, as a chatbot's do.
  const convs = generateSampleConversations(CONVERSATIONS, 20_261_201);
  const body = (i: number) => {
    const c = convs[i % convs.length];
    const turns = c.messages.map((m, p) => (m.sender === 'recruiter' && p > 0 ? p : -1)).filter((p) => p > 0);
    const round = Math.floor(i / convs.length);
    const generation = turns.length ? Math.floor(round / turns.length) : round;
    const cut = turns.length ? turns[round % turns.length] : c.messages.length;
    return {
      external_id: `live-${c.external_id}${generation ? `-g${generation}` : ''}`,
      candidate_name: c.candidate_name,
      job_title: c.job_title,
      messages: c.messages.slice(0, cut).map(({ label: _l, ...m }) => m),
    };
  };

  // CPU of the scratch server's processes in ms: client backends (the merge's connection, while
  // it merges) and the background ones (autovacuum, writers: work the merge leaves behind).
  // /proc/<pid>/schedstat counts the time on a CPU in ns; /proc/<pid>/stat only in 10 ms ticks.
  const cpuMs = (pid: number) => {
    try {
      return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      try {
        const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        return 0; // gone, or not readable
      }
    }
  };
  const probePids = new Set<number>(); // the probes' backends (below), not the merge's
  const ticks = async () => {
    const { rows } = await db.query<{ pid: number; client: boolean }>(`SELECT pid, backend_type = 'client backend' AS client FROM pg_stat_activity`);
    const sum = { client: 0, background: 0 };
    for (const { pid, client } of rows) if (!probePids.has(pid)) sum[client ? 'client' : 'background'] += cpuMs(pid);
    return sum;
  };

  // The merge's own statements: pg_stat_statements read before and after each merge (not the logging).
  type Stat = { calls: number; exec: number; query: string };
  const snapshot = async () => {
    const { rows } = await db.query<{ queryid: string; calls: string; exec: number; query: string }>(
      `SELECT queryid::text, calls, total_exec_time AS exec, query FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'`,
    );
    return new Map(rows.map((r) => [r.queryid, { calls: Number(r.calls), exec: r.exec, query: r.query }]));
  };
  const statements: string[] = [];
  const report = (name: string, totals: Map<string, Stat>, batches: number) =>
    statements.push(
      `${name}: the merge's statements by execution time (ms per batch, calls per batch, the statement)`,
      ...[...totals.values()]
        .sort((x, y) => y.exec - x.exec)
        .slice(0, 12)
        .map(
          (q) => `  ${(q.exec / batches).toFixed(2).padStart(8)} ${(q.calls / batches).toFixed(1).padStart(6)}  ${q.query.replace(/\s+/g, ' ').slice(0, 140)}`,
        ),
    );

  type Batch = { phase: string; pgMs: number; bgMs: number; nodeMs: number; wallMs: number; walKb: number };
  // Runs far longer than any window; cancelled after each batch.
  const PROBE_SQL = 'SELECT count(*) FROM generate_series(1::bigint, 10000000000::bigint)';
  const probes: pg.Client[] = [];
  for (let k = 0; k < os.cpus().length; k++) {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    probePids.add((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    probes.push(c);
  }
  const { openMergeConnection } = await import('../advisor/live-ingest');
  const { liveMergeNice } = await import('../advisor/merge-priority');
  const niceValue = liveMergeNice() || 10;
  const mergers: { client: pg.Client; nice: number }[] = [];
  for (const nice of [0, niceValue]) {
    const { client, priority } = await openMergeConnection(nice);
    console.log(`merge connection ${nice}: ${priority}`);
    mergers.push({ client, nice: priority.includes(`nice ${nice}`) ? nice : 0 });
  }
  const probeStats: Record<string, { lost: number[]; share: number[]; wall: number[] }> = {};
  async function run(importerOnly: boolean): Promise<Batch[]> {
    const out: Batch[] = [];
    const totals = new Map<string, Stat>();
    let updated = 0;
    const kinds: Record<string, number> = {};
    for (let round = 0, i = 0; round < ROUNDS; round++) {
      for (let k = 0; k < PER; k++, i++) {
        const conversation = body(i);
        await logLiveDecision(conversation, promotion.id);
      }
      const before = PG_STATS ? await snapshot() : null;
      // What the merge takes from work at normal priority (the answers' processes): one
      // connection per core runs one long CPU-bound statement (no round trips, so nothing in this
      // process paces it) through the merge and then for as long again without it; their CPU in
      // each window, from /proc. The fast paths alternate batches between a merge connection at
      // normal priority and one at LIVE_MERGE_NICE (same run, same traffic).
      const merger = importerOnly ? undefined : mergers[round % 2];
      const running = probes.map((c) => c.query(PROBE_SQL).catch(() => null));
      await new Promise((res) => setTimeout(res, 20));
      const probeCpu = () => [...probePids].reduce((n, pid) => n + cpuMs(pid), 0);
      const c0 = probeCpu();
      const lsn0 = (await db.query<{ l: string }>('SELECT pg_current_wal_insert_lsn()::text AS l')).rows[0].l;
      const pg0 = await ticks();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await ingestLiveBatch({ importerOnly, client: merger?.client });
      const wallMs = performance.now() - t0;
      const c1 = probeCpu();
      const cpu = process.cpuUsage(cpu0);
      const pg1 = await ticks();
      const walBytes = Number((await db.query<{ b: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text AS b', [lsn0])).rows[0].b);
      const c2 = probeCpu();
      await new Promise((res) => setTimeout(res, wallMs));
      const c3 = probeCpu();
      await db.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [[...probePids]]);
      await Promise.all(running);
      const key = importerOnly ? 'importer' : `nice ${merger!.nice}`;
      const pr = (probeStats[key] ??= { lost: [], share: [], wall: [] });
      // CPU ms the probes did not get while the merge ran, against the same length of time without it.
      pr.lost.push(c3 - c2 - (c1 - c0));
      pr.share.push((c1 - c0) / Math.max(1, c3 - c2));
      pr.wall.push(wallMs);
      const pgMs = pg1.client - pg0.client;
      const bgMs = pg1.background - pg0.background;
      if (r.merged !== PER) throw new Error(`batch ${round}: merged ${r.merged} of ${PER}`);
      // Statements of the updates only (the first pass over the conversations inserts them).
      if (before && (round * PER) / CONVERSATIONS >= 1) {
        updated += 1;
        for (const [id, q] of await snapshot()) {
          const b = before.get(id) ?? { calls: 0, exec: 0 };
          if (q.calls === b.calls) continue;
          const t = totals.get(id) ?? { calls: 0, exec: 0, query: q.query };
          t.calls += q.calls - b.calls;
          t.exec += q.exec - b.exec;
          totals.set(id, t);
        }
      }
      // The phases of this traffic: first sight of every conversation, then updates (most grown by a turn, the rest a conversation's next generation).
      for (const [k, n] of Object.entries(r.kinds ?? {})) kinds[k] = (kinds[k] ?? 0) + n;
      out.push({
        phase: (round * PER) / CONVERSATIONS < 1 ? 'new' : 'updated',
        pgMs,
        bgMs,
        nodeMs: (cpu.user + cpu.system) / 1000,
        wallMs,
        walKb: walBytes / 1024,
      });
    }
    console.log(`${importerOnly ? 'importer' : 'fast paths'}: conversations merged by kind ${JSON.stringify(kinds)}`);
    if (PG_STATS) report(importerOnly ? 'updates, importer' : 'updates, fast paths', totals, updated);
    return out;
  }

  const fast = await run(false);
  await db.query('TRUNCATE conversations, messages, labels, label_events, conversation_reviewers, advisor_decisions, live_conversation_inbox CASCADE');
  const importer = await run(true);
  await db.end();
  for (const c of [...probes, ...mergers.map((m) => m.client)]) await c.end();
  await closeAdvisorPool();

  const med = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  // PG CPU: the merging connection's; PG bg: the server's background processes meanwhile (autovacuum, writers).
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const line = (name: string, bs: Batch[]) =>
    `${name.padEnd(34)}${String(bs.length).padStart(8)}${med(bs.map((b) => b.pgMs))
      .toFixed(1)
      .padStart(12)}${mean(bs.map((b) => b.pgMs))
      .toFixed(1)
      .padStart(12)}${mean(bs.map((b) => b.bgMs))
      .toFixed(1)
      .padStart(12)}${med(bs.map((b) => b.nodeMs))
      .toFixed(0)
      .padStart(12)}${med(bs.map((b) => b.wallMs))
      .toFixed(0)
      .padStart(12)}${med(bs.map((b) => b.walKb))
      .toFixed(0)
      .padStart(10)}`;
  console.log(
    [
      `live merge benchmark: batches of ${PER} decisions over ${CONVERSATIONS} conversations, ${ROUNDS} batches each way; medians per batch (ms), and PostgreSQL's mean`,
      `machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} (shared with other work; CPU times are the merge's own)`,
      '',
      `${''.padEnd(34)}${'batches'.padStart(8)}${'PG CPU ms'.padStart(12)}${'PG mean'.padStart(12)}${'PG bg mean'.padStart(12)}${'Node CPU ms'.padStart(12)}${'wall ms'.padStart(12)}${'WAL kB'.padStart(10)}`,
      line(
        'new conversations, fast path',
        fast.filter((b) => b.phase === 'new'),
      ),
      line(
        'new conversations, importer',
        importer.filter((b) => b.phase === 'new'),
      ),
      line(
        'updated conversations, fast paths',
        fast.filter((b) => b.phase === 'updated'),
      ),
      line(
        'updated conversations, importer',
        importer.filter((b) => b.phase === 'updated'),
      ),
      '',
      `beside each merge, ${probes.length} connections at normal priority (one per core) run CPU-bound work: the CPU they did not get while the merge ran, against as long a window without it (medians per batch)`,
      ...Object.entries(probeStats).map(
        ([k, v]) =>
          `  merge ${k.padEnd(9)} normal-priority CPU lost ${med(v.lost).toFixed(1).padStart(6)} ms (mean ${mean(v.lost).toFixed(1)}), their CPU during / without ${(100 * med(v.share)).toFixed(0)} %, merge wall ${med(v.wall).toFixed(0)} ms (${v.wall.length} batches)`,
      ),
      ...statements,
    ].join('\n'),
  );
} finally {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
