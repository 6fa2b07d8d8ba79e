// npm run bench:eval — a benchmark, not a test. On a scratch PostgreSQL it makes a ready dataset
// version with BENCH_EVAL_EXAMPLES (default 5,000) test examples (synthetic SMS transcripts in
// the Studio's export format, inserted with SQL), starts the local trainer as a child process (as
// `npm start` runs it), and evaluates `local-base` through runEval (the worker's code path:
// streaming examples, batched prediction inserts, progress, metrics) two ways: one request per
// example at concurrency BENCH_EVAL_CONCURRENCY (default 1, 4 and 16), and through the Batch API
// (EVAL_BATCH=always; BENCH_EVAL_BATCH=0 skips it). Then both once more under injected 429s
// (retry-after 100 ms) and 500s (BENCH_EVAL_FAULTS, "" skips them). It prints examples/second,
// per-request latency, and the CPU milliseconds per example of each process — this one (the
// runner: the worker's code), the trainer and PostgreSQL — with the load average beside them: on
// a shared machine, CPU per example says more than wall time. "refused" counts examples the
// provider answered with a non-retryable error (scored invalid); there should be none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { sampleExamples } from '../seed/examples';
import { freePort } from '../testing/free-port';
import { startTrainerProcess, stopChild } from './child-processes';
import { cpuSeconds } from './process-memory';
import { serverCpuSeconds } from './server-cpu';
import { percentile } from './stats';

const EXAMPLES = Number(process.env.BENCH_EVAL_EXAMPLES ?? 5000);
const CONCURRENCIES = (process.env.BENCH_EVAL_CONCURRENCY ?? '1,4,16').split(',').map(Number);
// A last row under injected faults (429 with retry-after, 500) at the target concurrency, to show
// what retries cost; BENCH_EVAL_FAULTS="" skips it.
const FAULTS = process.env.BENCH_EVAL_FAULTS ?? '429:0.3,500:0.2';
const BATCH = process.env.BENCH_EVAL_BATCH !== '0';
const TARGET_CONCURRENCY = 16;
const TARGET_PER_SECOND = 200;
/** Issue 13: the whole eval path at ≥ 1,000 examples/s on this machine. */
const TARGET_BATCH_PER_SECOND = 1000;
const API_KEY = 'sk-bench';
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-eval-'));
fs.chmodSync(tmp, 0o755);
const pgDir = path.join(tmp, 'pg');
const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), quiet: true });
const url = process.env.BENCH_DATABASE_URL ?? server!.url;
process.env.DATABASE_URL = url;

try {
  await applyPendingMigrations(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();

  log(`making a ready dataset version with ${EXAMPLES.toLocaleString('en-US')} test examples (SQL)…`);
  const { DEFAULT_PARAMS } = await import('../datasets/params');
  await client.query(
    `INSERT INTO users (id, name, email, role, updated_at) VALUES ('bench-lead', 'Bench Lead', 'lead@bench', 'ml_lead', now()) ON CONFLICT DO NOTHING`,
  );
  const {
    rows: [{ id: datasetId }],
  } = await client.query<{ id: number }>(
    `INSERT INTO datasets (name, owner_id) VALUES ('bench-eval-' || extract(epoch from now())::bigint, 'bench-lead') RETURNING id`,
  );
  const lines = sampleExamples(EXAMPLES, 20_261_125);
  const counts = { END: 0, CONTINUE: 0, SCHEDULE: 0 } as Record<string, number>;
  for (const l of lines) counts[l.messages[2].content]++;
  const {
    rows: [{ id: versionId }],
  } = await client.query<{ id: number }>(
    `INSERT INTO dataset_versions (dataset_id, version, status, params, created_by_id, started_at, finished_at, example_count, counts)
     VALUES ($1, 1, 'ready', $2, 'bench-lead', now(), now(), $3, $4) RETURNING id`,
    [
      datasetId,
      JSON.stringify(DEFAULT_PARAMS),
      EXAMPLES,
      JSON.stringify({ train: { END: 0, CONTINUE: 0, SCHEDULE: 0 }, validation: { END: 0, CONTINUE: 0, SCHEDULE: 0 }, test: counts }),
    ],
  );
  // Each user message as a transcript of its own, sliced whole (lib/datasets/transcript-store.ts).
  await client.query(
    `WITH x AS (SELECT o, l, u, sha256(convert_to(u, 'UTF8')) AS sha FROM unnest($2::int[], $3::text[], $4::text[]) AS t(o, l, u)),
          tr AS (INSERT INTO dataset_transcripts (sha256, text) SELECT DISTINCT sha, u FROM x ON CONFLICT DO NOTHING)
     INSERT INTO dataset_examples (version_id, split, ordinal, conversation_id, external_id, message_id, position, label, tokens,
                                   transcript_sha, context_from, context_chars, closing, content_md5)
     SELECT $1, 'test', o, 1000 + o, 'bench-' || o, 100000 + o, 2, l::"LabelValue", length(u) / 4, sha, 1, length(u), '', md5(u)::uuid
     FROM x`,
    [versionId, lines.map((_, i) => i + 1), lines.map((l) => l.messages[2].content), lines.map((l) => l.messages[1].content)],
  );
  await client.query('ANALYZE dataset_examples');

  const trainer = await startTrainerProcess(path.join(tmp, 'trainer'), API_KEY);
  process.env.TRAINER_URL = trainer.url;
  process.env.TRAINER_API_KEY = API_KEY;
  const setFaults = async (cfg: Record<string, unknown>) => {
    const res = await fetch(`${trainer.url}/_control/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(cfg),
    });
    if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
  };
  const { startEvalRun } = await import('../evals/start-eval-run');
  const { runEval } = await import('../evals/run-eval');
  const { disconnectDb } = await import('../db');
  const { parseFaultsEnv } = await import('../local-trainer/faults');
  const actor = { id: 'bench-lead', email: 'lead@bench', name: 'Bench Lead', role: 'ml_lead' as const };

  // Warm-up (JIT, connection pools, the trainer's model cache): a short run each way, not measured.
  process.env.EVAL_BATCH = 'off';
  const warm = await startEvalRun(actor, { datasetVersionId: versionId, model: 'local-base', provider: 'local', concurrency: 4 }, { enqueue: false });
  await runEval(warm.runId, { stopAfter: 200 });

  interface Row {
    label: string;
    path: 'per request' | 'batch';
    n: number;
    seconds: number;
    perSecond: number;
    p50: number | null;
    p95: number | null;
    accuracy: number | null;
    retries: number;
    gaveUp: number;
    /** CPU ms per example: this process (the runner), the trainer, PostgreSQL. */
    cpuMs: { runner: number; trainer: number; postgres: number | null };
    load: string;
  }
  const results: Row[] = [];
  const plan: { label: string; path: Row['path']; concurrency: number; faults: string }[] = CONCURRENCIES.map((c) => ({
    label: String(c),
    path: 'per request',
    concurrency: c,
    faults: '',
  }));
  if (BATCH) plan.push({ label: 'batch', path: 'batch', concurrency: TARGET_CONCURRENCY, faults: '' });
  if (FAULTS) {
    plan.push({ label: `${TARGET_CONCURRENCY}, faults ${FAULTS}`, path: 'per request', concurrency: TARGET_CONCURRENCY, faults: FAULTS });
    if (BATCH) plan.push({ label: `batch, faults ${FAULTS}`, path: 'batch', concurrency: TARGET_CONCURRENCY, faults: FAULTS });
  }
  const trainerProc = { name: 'trainer', pid: trainer.child.pid!, measure: 'rss' as const };
  const cpuNow = () => {
    const u = process.cpuUsage();
    return { runner: (u.user + u.system) / 1e6, trainer: cpuSeconds(trainerProc), postgres: server ? serverCpuSeconds(pgDir) : null };
  };
  for (const { label, path: how, concurrency, faults } of plan) {
    await setFaults(faults ? { ...parseFaultsEnv(faults), retry_after_ms: 100 } : {});
    process.env.EVAL_BATCH = how === 'batch' ? 'always' : 'off';
    const run = await startEvalRun(actor, { datasetVersionId: versionId, model: 'local-base', provider: 'local', concurrency }, { enqueue: false });
    log(`${how === 'batch' ? 'batch' : `concurrency ${label}`}: evaluating ${EXAMPLES.toLocaleString('en-US')} examples…`);
    const c0 = cpuNow();
    const t = performance.now();
    const r = await runEval(run.runId, { log: how === 'batch' ? (l) => log(`  ${l}`) : undefined });
    const seconds = (performance.now() - t) / 1000;
    const c1 = cpuNow();
    log(
      `  ${r.stats.requests} requests: ${r.stats.rateLimited} × 429, ${r.stats.serverErrors} × 5xx, ${r.stats.connectionErrors} connection errors; ${r.metrics?.errors ?? 0} examples refused`,
    );
    if (r.status !== 'succeeded') throw new Error(`run ${run.runId} ${r.status}: ${r.error}`);
    const { rows } = await client.query<{ latency_ms: number }>(
      'SELECT latency_ms FROM eval_predictions WHERE run_id = $1 AND latency_ms IS NOT NULL ORDER BY latency_ms',
      [run.runId],
    );
    const lat = rows.map((x) => x.latency_ms);
    const perExample = (a: number, b: number) => ((b - a) * 1000) / r.done;
    results.push({
      label,
      path: how,
      n: r.done,
      seconds,
      perSecond: r.done / seconds,
      p50: lat.length ? percentile(lat, 50) : null,
      p95: lat.length ? percentile(lat, 95) : null,
      accuracy: r.metrics!.accuracy,
      retries: r.stats.retries,
      gaveUp: r.metrics!.errors,
      cpuMs: {
        runner: perExample(c0.runner, c1.runner),
        trainer: perExample(c0.trainer, c1.trainer),
        postgres: c0.postgres !== null && c1.postgres !== null ? perExample(c0.postgres, c1.postgres) : null,
      },
      load: os.loadavg()[0].toFixed(1),
    });
  }
  await client.end();
  await disconnectDb();
  await stopChild(trainer.child);

  console.log(`\nEval benchmark: local-base on ${EXAMPLES.toLocaleString('en-US')} test examples, local trainer as a child process, ${os.cpus().length} cores`);
  console.log(
    '| concurrency / path | examples | wall time | examples/s | p50 latency | p95 latency | accuracy | retries | refused | CPU ms/example runner / trainer / postgres | load (1 min) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const ms = (x: number | null) => (x === null ? '—' : x.toFixed(3));
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.n.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.p50 ?? '—'}${r.p50 === null ? '' : ' ms'} | ${r.p95 ?? '—'}${r.p95 === null ? '' : ' ms'} | ${r.accuracy?.toFixed(4) ?? '—'} | ${r.retries} | ${r.gaveUp} | ${ms(r.cpuMs.runner)} / ${ms(r.cpuMs.trainer)} / ${ms(r.cpuMs.postgres)} | ${r.load} |`,
    );
  }
  const atTarget = results.find((r) => r.label === String(TARGET_CONCURRENCY));
  if (atTarget) {
    console.log(
      `Target: ≥ ${TARGET_PER_SECOND} examples/s at concurrency ${TARGET_CONCURRENCY}: ${atTarget.perSecond >= TARGET_PER_SECOND ? 'PASS' : 'FAIL'} (${Math.round(atTarget.perSecond)}/s)`,
    );
  }
  const batch = results.find((r) => r.label === 'batch');
  if (batch) {
    console.log(
      `Target: ≥ ${TARGET_BATCH_PER_SECOND} examples/s through the Batch API: ${batch.perSecond >= TARGET_BATCH_PER_SECOND ? 'PASS' : 'FAIL'} (${Math.round(batch.perSecond)}/s)`,
    );
    const same = results.filter((r) => r.accuracy !== batch.accuracy);
    if (same.length) console.log(`Note: accuracy differs between rows (${same.map((r) => r.label).join(', ')}): the two paths should agree exactly.`);
  }
} finally {
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
