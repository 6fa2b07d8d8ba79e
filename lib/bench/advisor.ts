// npm run bench:advisor — a benchmark, not a test. On a scratch PostgreSQL it starts the local
// trainer, the worker and the Studio as separate processes, as `npm start` runs them (the Studio is the real
// production server, lib/cli/web.ts start as `npm start` runs it, built if stale), promotes `local-base`, creates an API key,
// and sends BENCH_ADVISOR_REQUESTS (5,000) decision requests from BENCH_ADVISOR_CLIENTS (50)
// concurrent clients, each a live conversation cut before one of its recruiter turns, twice: as
// fast as the clients get answers (throughput: decisions/s), and paced at the target rate of
// 200/s (latency: with 50 clients always waiting, a closed loop measures mostly the queue it
// builds, 50 / rate). In the same run it sends the same prompts (rendered by the same code)
// straight to the trainer's chat completions the same two ways: the model call alone. It prints
// decisions/s, p50/p95 of the end-to-end latency beside the model call alone, the Studio
// overhead, and lost log rows (answered decisions without a stored row), against the targets:
// ≥ 200 decisions/s, overhead p95 ≤ 25 ms, 0 lost rows. The worker merges live conversations
// during every measured run, as in production; one extra paced run with the merge held off is
// printed as a diagnostic of what the merge costs the answers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import OpenAI from 'openai';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { buildIfStale } from '../cli/build-if-stale';
import { freePort } from '../testing/free-port';
import { generateSampleConversations } from '../seed/generate';
import { percentile } from './stats';
import { cpuSeconds, processChildren, processTree, type TrackedProcess } from './process-memory';
import { backendCpuByGroup, cpuDelta } from './pg-cpu';
import { serverCpuSeconds } from './server-cpu';

const REQUESTS = Number(process.env.BENCH_ADVISOR_REQUESTS ?? 5000);
const CLIENTS = Number(process.env.BENCH_ADVISOR_CLIENTS ?? 50);
const TARGET_PER_SECOND = 200;
const TARGET_OVERHEAD_P95 = 25;
const TRAINER_KEY = 'bench-trainer-key';
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-advisor-'));
fs.chmodSync(tmp, 0o755);
let server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
// BENCH_ADVISOR_PG_STATS=1: restart the scratch server with pg_stat_statements (statements inside
// functions and triggers too) and print, per run, the statements PostgreSQL spent its time on
// and its CPU per backend (whose connection, or which background process).
const PG_STATS = process.env.BENCH_ADVISOR_PG_STATS === '1' && server !== null;
if (PG_STATS && server) {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  for (const [k, v] of [
    ['shared_preload_libraries', 'pg_stat_statements'],
    ['pg_stat_statements.track', 'all'],
    ['pg_stat_statements.track_planning', 'on'],
  ])
    await c.query(`ALTER SYSTEM SET ${k} = '${v}'`);
  await c.end();
  const port = server.port;
  await server.stop();
  server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port, quiet: true });
}
const url = process.env.BENCH_DATABASE_URL ?? server!.url;
process.env.DATABASE_URL = url;
const children: ChildProcess[] = [];

async function waitFor(u: string, what: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(u);
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${what} did not come up at ${u}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `total` tasks with `concurrency` workers; returns each task's latency (ms) and the wall time. */
async function pool<T>(total: number, concurrency: number, task: (i: number) => Promise<T>): Promise<{ results: T[]; latencies: number[]; seconds: number }> {
  const results: T[] = new Array(total);
  const latencies: number[] = new Array(total);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        results[i] = await task(i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return { results, latencies, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The same, paced: `concurrency` clients together sending `perSecond` requests a second (client k
 * sends its j-th request at (k + concurrency·j) / perSecond s, or when its previous answer came,
 * whichever is later). Latencies then show the time to answer, not a queue the benchmark built.
 */
async function pacedPool<T>(
  total: number,
  concurrency: number,
  perSecond: number,
  task: (i: number) => Promise<T>,
): Promise<{ results: T[]; latencies: number[]; seconds: number }> {
  const results: T[] = new Array(total);
  const latencies: number[] = new Array(total);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, k) => {
      for (let i = k; i < total; i += concurrency) {
        const due = t0 + (i * 1000) / perSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t = performance.now();
        results[i] = await task(i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return { results, latencies, seconds: (performance.now() - t0) / 1000 };
}

// CPU seconds per process during each run: on two shared cores, where a run's time goes (the
// Studio, the worker's merge and suggestions, the trainer, PostgreSQL) says more than wall time.
const PROCESS_NAMES = ['trainer', 'worker', 'studio'] as const;
function cpuSnapshot(): Record<string, number> {
  const tree = processChildren();
  const out: Record<string, number> = { bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 };
  children.forEach((c, i) => {
    if (c.pid && PROCESS_NAMES[i]) out[PROCESS_NAMES[i]] = cpuSeconds({ name: PROCESS_NAMES[i], pid: c.pid, measure: 'rss' } satisfies TrackedProcess, tree);
  });
  out.postgres = server ? (serverCpuSeconds(path.join(tmp, 'pg')) ?? NaN) : NaN;
  return out;
}
const cpuRuns: { run: string; seconds: number; requests: number; cpu: Record<string, number> }[] = [];
const pgReports: string[] = [];
function backendSnapshot(): Record<string, number> {
  const tree = processChildren();
  const owners: Record<string, number[]> = { bench: [process.pid] };
  children.forEach((c, i) => {
    if (c.pid && PROCESS_NAMES[i]) owners[PROCESS_NAMES[i]] = processTree(c.pid, tree);
  });
  return backendCpuByGroup(path.join(tmp, 'pg'), owners);
}
async function measured<T extends { seconds: number }>(run: string, requests: number, fn: () => Promise<T>): Promise<T> {
  const stats = PG_STATS ? new pg.Client({ connectionString: url }) : null;
  if (stats) {
    await stats.connect();
    await stats.query('SELECT pg_stat_statements_reset()');
  }
  const backends = PG_STATS ? backendSnapshot() : {};
  const before = cpuSnapshot();
  const r = await fn();
  const after = cpuSnapshot();
  cpuRuns.push({ run, seconds: r.seconds, requests, cpu: Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)])) });
  if (stats) {
    const perBackend = cpuDelta(backends, backendSnapshot());
    const { rows } = await stats.query<{ calls: string; exec: number; plan: number; rows: string; query: string }>(
      `SELECT calls, total_exec_time AS exec, total_plan_time AS plan, rows, query FROM pg_stat_statements
       WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time + total_plan_time DESC LIMIT 20`,
    );
    await stats.end();
    pgReports.push(
      [
        `PostgreSQL during "${run}": CPU seconds per backend group: ${perBackend.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(' · ')}`,
        `  statements by time (ms per request: execution + planning; calls per request; the statement):`,
        ...rows.map(
          (q) =>
            `  ${(q.exec / requests).toFixed(3).padStart(8)} + ${(q.plan / requests).toFixed(3).padStart(6)}  ${(Number(q.calls) / requests).toFixed(2).padStart(6)}  ${q.query.replace(/\s+/g, ' ').slice(0, 150)}`,
        ),
      ].join('\n'),
    );
  }
  return r;
}

try {
  await applyPendingMigrations(url);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  if (PG_STATS) await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await db.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ('bench-admin', 'Bench Admin', 'admin@bench', 'admin', now())`);
  const admin = { id: 'bench-admin', email: 'admin@bench', name: 'Bench Admin', role: 'admin' as const };
  const { promoteModel } = await import('../advisor/promotions');
  const { createApiKey } = await import('../advisor/api-keys');
  const { decisionPrompt } = await import('../advisor/render');
  const { decisionResponseSchema } = await import('../advisor/api-schema');
  const { askForLabel } = await import('../evals/ask-label');
  const { drainLiveInbox, LIVE_MERGE_LOCK_KEY } = await import('../advisor/live-ingest');
  const { disconnectDb } = await import('../db');
  const promotion = await promoteModel(admin, { model: 'local-base', provider: 'local', threshold: 0.7, timeoutMs: 10_000, note: 'bench' });
  const { key } = await createApiKey(admin, { name: 'bench', ratePerMinute: 1_000_000 });
  await disconnectDb();

  const trainerPort = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: url,
    TRAINER_URL: `http://127.0.0.1:${trainerPort}`,
    TRAINER_PORT: String(trainerPort),
    TRAINER_API_KEY: TRAINER_KEY,
    TRAINER_DATA_DIR: path.join(tmp, 'trainer'),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  children.push(spawn(process.execPath, ['--import', 'tsx', 'lib/local-trainer/cli.ts'], { stdio: ['ignore', 'ignore', 'inherit'], env }));
  // The worker, as `npm start` runs it: it merges the live conversations while the runs go on.
  children.push(spawn(process.execPath, ['--import', 'tsx', 'lib/cli/worker.ts'], { stdio: ['ignore', 'ignore', 'inherit'], env }));
  buildIfStale();
  const port = await freePort();
  children.push(
    // The web process as `npm start` runs it (lib/cli/web.ts: Next behind node:http, which answers
    // the decision API itself; WEB_DECISION_FAST_PATH=0 leaves that to Next's router too).
    // BENCH_ADVISOR_PROFILE=DIR: a V8 CPU profile of the Studio process, written when it stops.
    spawn(
      process.execPath,
      [
        ...(process.env.BENCH_ADVISOR_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_ADVISOR_PROFILE}`] : []),
        '--import',
        'tsx',
        'lib/cli/web.ts',
        'start',
        '-p',
        String(port),
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...env, PORT: String(port), BETTER_AUTH_URL: `http://localhost:${port}`, BETTER_AUTH_SECRET: 'bench-secret-bench-secret-bench-secret' },
      },
    ),
  );
  const studio = `http://127.0.0.1:${port}`;
  await waitFor(`http://127.0.0.1:${trainerPort}/v1/models`, 'the local trainer');
  await waitFor(`${studio}/sign-in`, 'the Studio');
  log(
    `Studio (lib/cli/web.ts start, decision fast path ${process.env.WEB_DECISION_FAST_PATH === '0' ? 'off' : 'on'}) on :${port}, local trainer on :${trainerPort}`,
  );

  // Live conversations: each request is a sample conversation cut just before one of its
  // recruiter turns (the turn the chatbot is about to take). 1,000 conversations, so most
  // requests update a conversation the Studio already holds, as live traffic does. The runs
  // follow one another through the traffic (warm-up, then each run where the previous one
  // stopped), so a conversation only ever grows, as a chatbot's do; once one has been sent at
  // every turn it comes back as a new conversation (a generation suffix). Until 2026-12-02 every
  // run started over at the first cut, so each later run's first 1,000 requests sent
  // conversations shorter than stored, which only the importer's slow path merges and no
  // chatbot sends.
  const convs = generateSampleConversations(1000, 20_261_201);
  const turnsOf = convs.map((c) => c.messages.map((m, p) => (m.sender === 'recruiter' && p > 0 ? p : -1)).filter((p) => p > 0));
  const now = new Date();
  const WARM = 300;
  const runOffset = { warm: 0, burst: WARM, paced: WARM + REQUESTS, held: WARM + 2 * REQUESTS };
  const bodies: { conversation: object; messages: ReturnType<typeof decisionPrompt> }[] = [];
  for (let i = 0; i < WARM + 3 * REQUESTS; i++) {
    const c = convs[i % convs.length];
    const turns = turnsOf[i % convs.length];
    const round = Math.floor(i / convs.length);
    const generation = turns.length ? Math.floor(round / turns.length) : round;
    const cut = turns.length ? turns[round % turns.length] : c.messages.length;
    const conversation = {
      external_id: `live-${c.external_id}${generation ? `-g${generation}` : ''}`,
      candidate_name: c.candidate_name,
      job_title: c.job_title,
      messages: c.messages.slice(0, cut).map(({ label: _l, ...m }) => m),
    };
    bodies.push({ conversation, messages: decisionPrompt(promotion.instructions, conversation, 'all', now) });
  }

  const callAt = (offset: number) => (i: number) => call(offset + i);
  const directAt = (offset: number) => (i: number) => direct(offset + i);
  const call = async (i: number) => {
    const res = await fetch(`${studio}/api/v1/advisor/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversation: bodies[i].conversation }),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`request ${i}: ${res.status} ${JSON.stringify(json)}`);
    return decisionResponseSchema.parse(json);
  };
  const trainer = new OpenAI({ apiKey: TRAINER_KEY, baseURL: `http://127.0.0.1:${trainerPort}/v1`, maxRetries: 0, timeout: 10_000 });
  const direct = (i: number) => askForLabel(trainer, { model: 'local-base', messages: bodies[i].messages });

  log('warm-up (JIT, pools, route compilation): 300 requests each way, not measured');
  await pool(WARM, CLIENTS, (i) => direct(i));
  await pool(WARM, CLIENTS, callAt(runOffset.warm));
  const { rows: warm } = await db.query<{ n: string }>('SELECT count(*) AS n FROM advisor_decisions');
  const warmRows = Number(warm[0].n);

  log(`throughput: ${REQUESTS.toLocaleString('en-US')} requests, ${CLIENTS} clients each sending its next request as soon as it has an answer`);
  const load0 = os.loadavg()[0];
  const burst = await measured('throughput, decision API', REQUESTS, () => pool(REQUESTS, CLIENTS, callAt(runOffset.burst)));
  const burstDirect = await measured('throughput, model alone', REQUESTS, () => pool(REQUESTS, CLIENTS, directAt(runOffset.burst)));
  log(
    `latency at the target rate: ${REQUESTS.toLocaleString('en-US')} requests from ${CLIENTS} clients, ${TARGET_PER_SECOND}/s together; the same prompts straight to the trainer at the same pace`,
  );
  const model = await measured(`at ${TARGET_PER_SECOND}/s, model alone`, REQUESTS, () =>
    pacedPool(REQUESTS, CLIENTS, TARGET_PER_SECOND, directAt(runOffset.paced)),
  );
  const api = await measured(`at ${TARGET_PER_SECOND}/s, decision API`, REQUESTS, () =>
    pacedPool(REQUESTS, CLIENTS, TARGET_PER_SECOND, callAt(runOffset.paced)),
  );
  // A diagnostic, not a figure: the same paced run once more with the merge held off (the bench
  // holds the merge's lock, so the worker's sweeps find it busy and the inbox simply fills). The
  // gap to the run above is what the merge running beside the answers costs them, measured in
  // this run on this machine, whatever else the machine is doing. The backlog is merged after.
  log('the same paced run with the live merge held off (diagnostic: what the merge costs the answers)');
  const hold = new pg.Client({ connectionString: url });
  await hold.connect();
  await hold.query('BEGIN');
  await hold.query('SELECT pg_advisory_xact_lock($1)', [LIVE_MERGE_LOCK_KEY]);
  const apiHeld = await measured(`at ${TARGET_PER_SECOND}/s, decision API, merge held off`, REQUESTS, () =>
    pacedPool(REQUESTS, CLIENTS, TARGET_PER_SECOND, callAt(runOffset.held)),
  );
  await hold.query('COMMIT');
  await hold.end();
  // The framework's floor: the same server answering a route that does nothing per request
  // (the OpenAPI document, built once), at the same concurrency.
  const floor = await measured('throughput, a route doing nothing', REQUESTS, () =>
    pool(REQUESTS, CLIENTS, async () => (await fetch(`${studio}/api/v1/openapi.json`)).text()),
  );
  const load1 = os.loadavg()[0];

  // Lost rows: answered decisions whose row is not in the log (every run).
  const ids = [...burst.results, ...api.results, ...apiHeld.results].map((r) => r.decision_id);
  const { rows: stored } = await db.query<{ n: string }>('SELECT count(*) AS n FROM advisor_decisions WHERE id = ANY($1::bigint[])', [ids]);
  const lost = ids.length - Number(stored[0].n);
  const { rows: total } = await db.query<{ n: string }>('SELECT count(*) AS n FROM advisor_decisions');
  // Per request: end-to-end minus the model call as the Studio timed it (from the log).
  const { rows: logged } = await db.query<{ id: string; model_latency_ms: number | null; fell_back: boolean }>(
    'SELECT id, model_latency_ms, fell_back FROM advisor_decisions WHERE id = ANY($1::bigint[])',
    [ids],
  );
  const modelMs = new Map(logged.map((r) => [Number(r.id), r.model_latency_ms]));
  const fellBack = logged.filter((r) => r.fell_back).length;
  const overheadOf = (run: typeof api) => run.results.map((r, i) => run.latencies[i] - (modelMs.get(r.decision_id) ?? 0)).sort((a, b) => a - b);
  const overheadPerRequest = overheadOf(api);
  const overheadHeld = overheadOf(apiHeld);
  // The live merge catches up after the burst: wait for it and report how long.
  const t0 = performance.now();
  for (;;) {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM live_conversation_inbox');
    if (Number(rows[0].n) === 0 || performance.now() - t0 > 15_000) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // Anything the worker has not merged 15 s after the last answer is merged here (and counted).
  const { closeAdvisorPool } = await import('../advisor/pool');
  const sweptByWorker = await drainLiveInbox();
  await closeAdvisorPool();
  const mergeSeconds = (performance.now() - t0) / 1000;
  const { rows: liveRows } = await db.query<{ n: string; unlinked: string }>(
    `SELECT (SELECT count(*) FROM conversations WHERE is_live) AS n, (SELECT count(*) FROM advisor_decisions WHERE conversation_id IS NULL) AS unlinked`,
  );
  await db.end();

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const sApi = sorted(api.latencies);
  const sModel = sorted(model.latencies);
  const sBurst = sorted(burst.latencies);
  const sBurstDirect = sorted(burstDirect.latencies);
  const rate = REQUESTS / burst.seconds;
  const overheadP95 = percentile(overheadPerRequest, 95);
  const f = (x: number) => `${x.toFixed(1)} ms`.padStart(9);
  const row = (name: string, perSecond: number, xs: number[]) =>
    `${name.padEnd(44)}${perSecond.toFixed(0).padStart(8)}  ${f(percentile(xs, 50))}  ${f(percentile(xs, 95))}`;
  const lines = [
    `decision API benchmark: ${REQUESTS.toLocaleString('en-US')} requests per run, ${CLIENTS} concurrent clients, Studio = lib/cli/web.ts start (production build${process.env.WEB_DECISION_FAST_PATH === '0' ? ', decision fast path off' : ''}), model = local-base on the local trainer`,
    `machine: ${os.cpus().length} cores, load average ${load0.toFixed(2)} → ${load1.toFixed(2)} during the runs (shared with other work)`,
    '',
    `${''.padEnd(44)}     /s        p50        p95`,
    row('throughput, decision API (Studio)', rate, sBurst),
    row('throughput, model call alone', REQUESTS / burstDirect.seconds, sBurstDirect),
    row('throughput, a route doing nothing (Next floor)', REQUESTS / floor.seconds, sorted(floor.latencies)),
    row(`at ${TARGET_PER_SECOND}/s, decision API (Studio)`, REQUESTS / api.seconds, sApi),
    row(`at ${TARGET_PER_SECOND}/s, model call alone`, REQUESTS / model.seconds, sModel),
    row(`at ${TARGET_PER_SECOND}/s, decision API, merge held off (diag.)`, REQUESTS / apiHeld.seconds, sorted(apiHeld.latencies)),
    '',
    `Studio overhead at ${TARGET_PER_SECOND}/s, p95: ${overheadP95.toFixed(1)} ms per request (end-to-end minus that request's model call as the Studio timed it); p95 end-to-end − p95 model alone = ${(percentile(sApi, 95) - percentile(sModel, 95)).toFixed(1)} ms`,
    `diagnostic, the same paced run with the live merge held off: overhead p95 ${percentile(overheadHeld, 95).toFixed(1)} ms (p50 ${percentile(overheadHeld, 50).toFixed(1)} ms; with the merge: p50 ${percentile(overheadPerRequest, 50).toFixed(1)} ms)`,
    `lost log rows: ${lost} of ${ids.length} answered decisions (the log holds ${Number(total[0].n) - warmRows} rows from the measured runs + ${warmRows} warm-up); fell back: ${fellBack}`,
    `live merge: ${Number(liveRows[0].n)} live conversations, inbox drained ${mergeSeconds.toFixed(1)} s after the last answer (${sweptByWorker} left for the bench to merge), ${Number(liveRows[0].unlinked)} decisions not linked to their conversation`,
    '',
    `targets: ≥ ${TARGET_PER_SECOND} decisions/s ${rate >= TARGET_PER_SECOND ? 'MET' : 'MISSED'} · overhead p95 ≤ ${TARGET_OVERHEAD_P95} ms at ${TARGET_PER_SECOND}/s ${overheadP95 <= TARGET_OVERHEAD_P95 ? 'MET' : 'MISSED'} · 0 lost rows ${lost === 0 ? 'MET' : 'MISSED'}`,
  ];
  const names = ['studio', 'worker', 'trainer', 'postgres', 'bench'];
  lines.push(
    '',
    `CPU seconds per process during each run (wall seconds beside; the Studio's CPU ms per request last)`,
    `${'run'.padEnd(48)}${'wall'.padStart(7)}${names.map((n) => n.padStart(10)).join('')}${'studio ms/req'.padStart(15)}`,
    ...cpuRuns.map(
      (r) =>
        `${r.run.padEnd(48)}${r.seconds.toFixed(1).padStart(7)}${names.map((n) => (r.cpu[n] ?? NaN).toFixed(1).padStart(10)).join('')}${((1000 * (r.cpu.studio ?? NaN)) / r.requests).toFixed(2).padStart(15)}`,
    ),
  );
  if (pgReports.length) lines.push('', ...pgReports);
  console.log(lines.join('\n'));
} finally {
  for (const c of children) c.kill('SIGINT');
  await new Promise((r) => setTimeout(r, process.env.BENCH_ADVISOR_PROFILE ? 5_000 : 500));
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
