// npm run bench:eval — a benchmark, not a test. On a scratch PostgreSQL it makes a ready dataset
// version with BENCH_EVAL_EXAMPLES (default 5,000) test examples (synthetic SMS transcripts in
// the Studio's export format, inserted with SQL), starts the local trainer in this process, and
// evaluates `local-base` through runEval (the worker's code path: streaming examples, the request
// pool, batched prediction inserts, progress, metrics) at concurrency 1, 4 and 16. It prints
// examples/second and per-request latency beside the target (≥ 200 examples/s at 16), then once
// more at 16 with injected 429s (retry-after 100 ms) and 500s. "refused" counts examples the
// provider answered with a non-retryable error (scored invalid); there should be none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { startLocalTrainer } from '../local-trainer/server';
import { sampleExamples } from '../seed/examples';
import { freePort } from '../testing/free-port';
import { percentile } from './stats';

const EXAMPLES = Number(process.env.BENCH_EVAL_EXAMPLES ?? 5000);
const CONCURRENCIES = (process.env.BENCH_EVAL_CONCURRENCY ?? '1,4,16').split(',').map(Number);
// A last row under injected faults (429 with retry-after, 500) at the target concurrency, to show
// what retries cost; BENCH_EVAL_FAULTS="" skips it.
const FAULTS = process.env.BENCH_EVAL_FAULTS ?? '429:0.3,500:0.2';
const TARGET_CONCURRENCY = 16;
const TARGET_PER_SECOND = 200;
const API_KEY = 'sk-bench';
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-eval-'));
fs.chmodSync(tmp, 0o755);
const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
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

  const trainer = await startLocalTrainer({ port: 0, dataDir: path.join(tmp, 'trainer'), apiKey: API_KEY });
  process.env.TRAINER_URL = trainer.url;
  process.env.TRAINER_API_KEY = API_KEY;
  const { startEvalRun } = await import('../evals/start-eval-run');
  const { runEval } = await import('../evals/run-eval');
  const { disconnectDb } = await import('../db');
  const actor = { id: 'bench-lead', email: 'lead@bench', name: 'Bench Lead', role: 'ml_lead' as const };

  // Warm-up (JIT, connection pools, the trainer's model cache): a short run, not measured.
  const warm = await startEvalRun(actor, { datasetVersionId: versionId, model: 'local-base', provider: 'local', concurrency: 4 }, { enqueue: false });
  await runEval(warm.runId, { stopAfter: 200 });

  const results: {
    label: string;
    concurrency: number;
    n: number;
    seconds: number;
    perSecond: number;
    p50: number;
    p95: number;
    accuracy: number | null;
    retries: number;
    gaveUp: number;
  }[] = [];
  const plan: { label: string; concurrency: number; faults: string }[] = CONCURRENCIES.map((c) => ({ label: String(c), concurrency: c, faults: '' }));
  if (FAULTS) plan.push({ label: `${TARGET_CONCURRENCY}, faults ${FAULTS}`, concurrency: TARGET_CONCURRENCY, faults: FAULTS });
  const { parseFaultsEnv } = await import('../local-trainer/faults');
  for (const { label, concurrency, faults } of plan) {
    trainer.faults.set(faults ? { ...parseFaultsEnv(faults), retry_after_ms: 100 } : {});
    const run = await startEvalRun(actor, { datasetVersionId: versionId, model: 'local-base', provider: 'local', concurrency }, { enqueue: false });
    log(`concurrency ${label}: evaluating ${EXAMPLES.toLocaleString('en-US')} examples…`);
    const t = performance.now();
    const r = await runEval(run.runId);
    log(
      `  ${r.stats.requests} requests: ${r.stats.rateLimited} × 429, ${r.stats.serverErrors} × 5xx, ${r.stats.connectionErrors} connection errors; ${r.metrics?.errors ?? 0} examples refused`,
    );
    const seconds = (performance.now() - t) / 1000;
    if (r.status !== 'succeeded') throw new Error(`run ${run.runId} ${r.status}: ${r.error}`);
    const { rows } = await client.query<{ latency_ms: number }>('SELECT latency_ms FROM eval_predictions WHERE run_id = $1 ORDER BY latency_ms', [run.runId]);
    const lat = rows.map((x) => x.latency_ms);
    results.push({
      label,
      concurrency,
      n: r.done,
      seconds,
      perSecond: r.done / seconds,
      p50: percentile(lat, 50),
      p95: percentile(lat, 95),
      accuracy: r.metrics!.accuracy,
      retries: r.stats.retries,
      gaveUp: r.metrics!.errors,
    });
  }
  await client.end();
  await disconnectDb();
  await trainer.close();

  console.log(`\nEval benchmark: local-base on ${EXAMPLES.toLocaleString('en-US')} test examples, local trainer in-process, ${os.cpus().length} cores`);
  console.log('| concurrency | examples | wall time | examples/s | p50 latency | p95 latency | accuracy | retries | refused |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.n.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.p50} ms | ${r.p95} ms | ${r.accuracy?.toFixed(4) ?? '—'} | ${r.retries} | ${r.gaveUp} |`,
    );
  }
  const atTarget = results.find((r) => r.label === String(TARGET_CONCURRENCY));
  if (atTarget) {
    console.log(
      `Target: ≥ ${TARGET_PER_SECOND} examples/s at concurrency ${TARGET_CONCURRENCY}: ${atTarget.perSecond >= TARGET_PER_SECOND ? 'PASS' : 'FAIL'} (${Math.round(atTarget.perSecond)}/s)`,
    );
  }
} finally {
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
