// npm run bench:eval-metrics — a benchmark, not a test. On a scratch PostgreSQL it COPYs
// BENCH_EVAL_METRICS_PREDICTIONS (default 1,000,000) predictions into each of two eval runs
// (conversations of BENCH_EVAL_METRICS_TURNS = 10 turns; run B answers a share of the examples
// differently), then times, beside a baseline doing the floor of the same work in the same run:
//   - finishing run A (finishEvalRun, the worker's code path: every metric in SQL, the clustered
//     bootstrap in Node), against a plain `count(*) GROUP BY truth, predicted` over its rows, and
//     the worker event loop's longest stall meanwhile (a 10 ms timer and monitorEventLoopDelay);
//   - comparing A and B (compareEvalRuns, what the compare page calls: stored metrics, McNemar
//     discordance joined in SQL), against a plain join counting the discordant pairs;
//   - reading the run page's data (getEvalRun), which is the stored summary.
// BENCH_EVAL_METRICS_OLD=1 also times the old finish (load every prediction, summarize in memory).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { createRng } from '../prng';
import { freePort } from '../testing/free-port';

const PREDICTIONS = Number(process.env.BENCH_EVAL_METRICS_PREDICTIONS ?? 1_000_000);
const TURNS = Number(process.env.BENCH_EVAL_METRICS_TURNS ?? 10);
const OLD = process.env.BENCH_EVAL_METRICS_OLD === '1';
const TARGET_SECONDS = 10;
const LABELS = ['END', 'CONTINUE', 'SCHEDULE'] as const;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-eval-metrics-'));
fs.chmodSync(tmp, 0o755);
const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
const url = process.env.BENCH_DATABASE_URL ?? server!.url;
process.env.DATABASE_URL = url;

/** COPY text rows of one run: run B keeps A's truths and re-answers ~15% of the examples. */
function* predictionRows(runId: number, seed: number, reanswer: number): Generator<string> {
  const truthRng = createRng(20_261_201);
  const rng = createRng(seed);
  let buf = '';
  for (let o = 1; o <= PREDICTIONS; o++) {
    const truth = LABELS[Math.floor(truthRng() * 3)];
    const base = truthRng();
    let right = base < 0.85;
    if (rng() < reanswer) right = rng() < 0.87;
    const predicted = right ? truth : rng() < 0.03 ? 'invalid' : LABELS[(LABELS.indexOf(truth) + 1 + Math.floor(rng() * 2)) % 3];
    const confidence = predicted === 'invalid' ? '\\N' : (right ? 0.55 + 0.45 * rng() : 0.35 + 0.5 * rng()).toFixed(6);
    const conversation = Math.ceil(o / TURNS);
    buf += `${runId}\t${o}\t${conversation}\t${o}\t${truth}\t${predicted}\t${confidence}\t${predicted}\t${20 + Math.floor(rng() * 200)}\t${300 + (o % 500)}\t2\t\\N\n`;
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

async function copyPredictions(client: pg.Client, rows: Iterable<string>): Promise<void> {
  const stream = client.query(
    copyFrom(
      `COPY eval_predictions (run_id, ordinal, conversation_id, message_id, truth, predicted, confidence, raw_output, latency_ms, prompt_tokens, completion_tokens, error) FROM STDIN`,
    ),
  );
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (const chunk of rows) if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
  stream.end();
  await done;
}

const seconds = (t: number) => (performance.now() - t) / 1000;
const fmt = (s: number) => `${s.toFixed(2)} s`;

/** Longest gap between ticks of a 10 ms timer, and monitorEventLoopDelay's max, while fn runs. */
async function watchEventLoop<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; maxGapMs: number; maxDelayMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 10);
  const t = performance.now();
  try {
    const result = await fn();
    const s = seconds(t);
    maxGapMs = Math.max(maxGapMs, performance.now() - last);
    return { result, seconds: s, maxGapMs, maxDelayMs: h.max / 1e6 };
  } finally {
    clearInterval(timer);
    h.disable();
  }
}

try {
  await applyPendingMigrations(url);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // the server stopping at the end (or after a failure) is expected
  await client.connect();
  await client.query(
    `INSERT INTO users (id, name, email, role, updated_at) VALUES ('bench-lead', 'Bench Lead', 'lead@bench', 'ml_lead', now()) ON CONFLICT DO NOTHING`,
  );
  const {
    rows: [{ id: datasetId }],
  } = await client.query<{ id: number }>(`INSERT INTO datasets (name, owner_id) VALUES ('bench-eval-metrics', 'bench-lead') RETURNING id`);
  const {
    rows: [{ id: versionId }],
  } = await client.query<{ id: number }>(
    `INSERT INTO dataset_versions (dataset_id, version, status, params, created_by_id, example_count) VALUES ($1, 1, 'ready', '{}', 'bench-lead', $2) RETURNING id`,
    [datasetId, PREDICTIONS],
  );
  const runIds: number[] = [];
  for (const model of ['model-a', 'model-b']) {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO eval_runs (model, provider, dataset_version_id, split, status, settings, created_by_id, progress_done, progress_total, started_at)
       VALUES ($1, 'local', $2, 'test', 'running', '{"concurrency": 16, "maxTokens": 5, "temperature": 0, "logprobs": true, "topLogprobs": 3}', 'bench-lead', $3, $3, now()) RETURNING id`,
      [model, versionId, PREDICTIONS],
    );
    runIds.push(rows[0].id);
  }
  const [runA, runB] = runIds;
  const copySeconds: number[] = [];
  for (const [i, id] of runIds.entries()) {
    log(`COPY ${PREDICTIONS.toLocaleString('en-US')} predictions into run ${id}…`);
    const t = performance.now();
    await copyPredictions(client, predictionRows(id, 7 + i, i === 0 ? 0 : 0.15));
    copySeconds.push(seconds(t));
  }
  await client.query('VACUUM ANALYZE eval_predictions');

  const baselineGroupBy = async () => {
    const t = performance.now();
    await client.query(`SELECT truth, predicted, count(*) FROM eval_predictions WHERE run_id = $1 GROUP BY truth, predicted`, [runA]);
    return seconds(t);
  };
  const baselineJoin = async () => {
    const t = performance.now();
    await client.query(
      `SELECT count(*) FILTER (WHERE (a.predicted = a.truth::text) AND (b.predicted <> b.truth::text)) AS b10,
              count(*) FILTER (WHERE (a.predicted <> a.truth::text) AND (b.predicted = b.truth::text)) AS b01
       FROM eval_predictions a JOIN eval_predictions b ON b.run_id = $2 AND b.ordinal = a.ordinal WHERE a.run_id = $1`,
      [runA, runB],
    );
    return seconds(t);
  };
  await baselineGroupBy(); // warm the run's pages; neither side is measured cold

  const { finishEvalRun } = await import('../evals/run-eval');
  const { compareEvalRuns } = await import('../evals/compare');
  const { getEvalRun } = await import('../evals/queries');
  const { db, disconnectDb } = await import('../db');
  // The Prisma client's first query compiles its query engine (WASM): a worker does that at start, not in a finish.
  await db().evalRun.findMany({ take: 1 });
  const actor = { id: 'bench-lead', email: 'lead@bench', name: 'Bench Lead', role: 'ml_lead' as const };

  const groupBy = await baselineGroupBy();
  log(`finishing run ${runA} (metrics in SQL, bootstrap in Node)…`);
  const finishA = await watchEventLoop(() => finishEvalRun(runA));
  if (finishA.result.status !== 'succeeded') throw new Error(`run ${runA} ${finishA.result.status}: ${finishA.result.error}`);
  const finishB = await watchEventLoop(() => finishEvalRun(runB));
  const m = finishA.result.metrics!;

  const join = await baselineJoin();
  log('comparing the two runs…');
  const cmpT = performance.now();
  const cmp = await compareEvalRuns(actor, [runA, runB]);
  const compareSeconds = seconds(cmpT);
  const pageT = performance.now();
  await getEvalRun(actor, runA);
  const pageSeconds = seconds(pageT);

  let old: { seconds: number; maxGapMs: number } | null = null;
  if (OLD) {
    log('the old finish: every prediction loaded, summarized in memory…');
    const { summarizePredictions } = await import('../evals/summarize');
    const { isPredictedLabel } = await import('../evals/metrics');
    const w = await watchEventLoop(async () => {
      const preds = await db().evalPrediction.findMany({
        where: { runId: runA },
        orderBy: { ordinal: 'asc' },
        select: {
          conversationId: true,
          truth: true,
          predicted: true,
          confidence: true,
          error: true,
          latencyMs: true,
          promptTokens: true,
          completionTokens: true,
        },
      });
      return summarizePredictions(preds.map((p) => ({ ...p, predicted: isPredictedLabel(p.predicted) ? p.predicted : 'invalid' })));
    });
    old = { seconds: w.seconds, maxGapMs: w.maxGapMs };
  }
  await client.end();
  await disconnectDb();

  const n = PREDICTIONS.toLocaleString('en-US');
  console.log(`\nEval metrics benchmark: ${n} predictions per run, ${(PREDICTIONS / TURNS).toLocaleString('en-US')} conversations, ${os.cpus().length} cores`);
  console.log(`(COPY of each run's predictions: ${copySeconds.map(fmt).join(', ')})`);
  console.log('| step | ours | baseline (same rows, same run) | ours / baseline | event loop max stall |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| finish run A: every metric + bootstrap (2000 × ${m.accuracyCi?.clusters?.toLocaleString('en-US')} conversations) | ${fmt(finishA.seconds)} | ${fmt(groupBy)} (count(*) GROUP BY truth, predicted) | ${(finishA.seconds / groupBy).toFixed(1)}× | ${finishA.maxGapMs.toFixed(0)} ms (monitor ${finishA.maxDelayMs.toFixed(0)} ms) |`,
  );
  console.log(`| finish run B | ${fmt(finishB.seconds)} | | | ${finishB.maxGapMs.toFixed(0)} ms |`);
  console.log(
    `| compare A vs B: stored metrics + McNemar discordance per conversation | ${fmt(compareSeconds)} | ${fmt(join)} (join counting discordant pairs) | ${(compareSeconds / join).toFixed(1)}× | — |`,
  );
  console.log(`| run page data (stored summary) | ${(pageSeconds * 1000).toFixed(1)} ms | | | — |`);
  if (old) console.log(`| old finish: load ${n} predictions, summarize in memory | ${fmt(old.seconds)} | | | ${old.maxGapMs.toFixed(0)} ms |`);
  const mc = cmp.mcnemar[0];
  console.log(
    `Run A: accuracy ${m.accuracy?.toFixed(4)}, CI [${m.accuracyCi?.low.toFixed(4)}, ${m.accuracyCi?.high.toFixed(4)}]; A vs B: b01 ${mc.b01}, b10 ${mc.b10}, ${mc.discordantClusters} discordant conversations, ${mc.method} p = ${mc.pValue.toPrecision(3)}`,
  );
  console.log(
    `Target: metrics of a ${n}-prediction run in ≤ ${TARGET_SECONDS} s: ${finishA.seconds <= TARGET_SECONDS ? 'PASS' : 'FAIL'} (${fmt(finishA.seconds)})`,
  );
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
