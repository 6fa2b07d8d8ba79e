// npm run bench:scale — a benchmark, not a test. The whole path a lead takes with 1M labeled
// turns, through the product's own code and processes, each step beside a floor measured in the
// same run:
//   data    BENCH_SCALE_TURNS (default 1,000,000) labeled turns written with COPY (scale-data.ts)
//   build   requestDatasetVersion → the worker's dataset-build job        vs COPY of the labeled turns
//   export  writeExportFiles (what `npm run export` and the page stream)   vs COPY of the example rows
//   upload  launchFineTune → the worker's launch job writes train + validation from the database to
//           temp files, then uploads them through the openai SDK to the local trainer
//           (the upload alone, from the worker's log)                       vs a plain read of the files
//   train   the trainer's job, followed by the worker's poller             (target: trainer peak RSS)
//   eval    startEvalRun → the worker's eval-run job on the 100k test split (through the trainer's
//           Batch API; EVAL_BATCH=off: one request per example) vs the same chat completions sent
//           straight from the SDK one by one at the same concurrency (no database)
//   metrics summarizeRun (what finishing a run computes)                    vs count(*) GROUP BY truth, predicted
//   compare compareEvalRuns + the first page of disagreements (the compare page) vs a join counting them
// Every step prints time, rows/s, and the peak memory of each process meanwhile: this bench, the
// worker and the trainer (RSS of the process tree), PostgreSQL (Pss summed over its backends).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { readPostmasterPid } from '../db/embedded/postmaster-pid';
import { freePort } from '../testing/free-port';
import { startTrainerProcess, startWorkerProcess, stopChild } from './child-processes';
import { copyOut } from './copy-out';
import { withPeakMemory, type TrackedProcess } from './process-memory';
import { readSeconds } from './read-file';
import { copyScaleData, LABELED_TURNS_PER_CONVERSATION, SCALE_LEAD } from './scale-data';

const TURNS = Number(process.env.BENCH_SCALE_TURNS ?? 1_000_000);
const EPOCHS = Number(process.env.BENCH_SCALE_EPOCHS ?? 1);
const EVAL_CONCURRENCY = Number(process.env.BENCH_SCALE_EVAL_CONCURRENCY ?? 16);
/** Examples the SDK-only eval baseline sends (its rate is what matters, not covering the split). */
const EVAL_BASELINE_EXAMPLES = Number(process.env.BENCH_SCALE_EVAL_BASELINE ?? 20_000);
const API_KEY = 'sk-bench-scale';
const POLL_MS = 100;
const t0 = performance.now();
const log = (m: string) => process.stderr.write(`[bench +${((performance.now() - t0) / 1000).toFixed(0)}s] ${m}\n`);
const echo = (line: string) => process.env.BENCH_SCALE_VERBOSE === '1' && process.stderr.write(`  ${line}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-scale-'));
fs.chmodSync(tmp, 0o755);
const pgDir = path.join(tmp, 'pg');
const server = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), quiet: true });
const url = server.url;
process.env.DATABASE_URL = url;

interface Step {
  name: string;
  rows: number;
  seconds: number;
  baseline: { what: string; rows: number; seconds: number } | null;
  target: string;
  pass: boolean;
  peakMb: Record<string, number>;
  cpuSeconds: Record<string, number>;
  note?: string;
}
const steps: Step[] = [];
const processes: TrackedProcess[] = [{ name: 'bench', pid: process.pid, measure: 'self' }];
const tracked = () => {
  const pm = readPostmasterPid(pgDir);
  return pm ? [...processes, { name: 'postgres', pid: pm.pid, measure: 'pss' as const }] : processes;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls `read` until it returns a value (not undefined), logging `progress` every 5 s. */
async function until<T>(read: () => Promise<T | undefined>, progress?: () => Promise<string>): Promise<T> {
  let last = Date.now();
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (progress && Date.now() - last > 5000) {
      log(`  ${await progress()}`);
      last = Date.now();
    }
    await sleep(POLL_MS);
  }
}

const children: { stop: () => Promise<void> }[] = [];
try {
  await applyPendingMigrations(url);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // the server stopping at the end is expected
  await client.connect();
  const conversations = Math.ceil(TURNS / LABELED_TURNS_PER_CONVERSATION);
  const gen0 = performance.now();
  const labeled = await copyScaleData(client, conversations, log);
  const genSeconds = (performance.now() - gen0) / 1000;
  log(`${labeled.toLocaleString('en-US')} labeled turns in ${genSeconds.toFixed(1)} s`);

  const trainer = await startTrainerProcess(path.join(tmp, 'trainer'), API_KEY, echo);
  children.push({ stop: () => stopChild(trainer.child) });
  processes.push({ name: 'trainer', pid: trainer.child.pid!, measure: 'rss' });
  process.env.TRAINER_URL = trainer.url;
  process.env.TRAINER_API_KEY = API_KEY;
  // Auto-evals off: the bench starts the one eval it measures, so nothing else competes for the cores.
  // The launch step logs, per file, how long writing it from the database and uploading it took.
  const uploadLines: string[] = [];
  const workerEcho = (line: string) => {
    if (/ written from the database in /.test(line)) uploadLines.push(line);
    echo(line);
  };
  const worker = await startWorkerProcess({ DATABASE_URL: url, TRAINER_URL: trainer.url, TRAINER_API_KEY: API_KEY, AUTO_EVAL_AFTER_FINETUNE: '0' }, workerEcho);
  children.push({ stop: () => stopChild(worker) });
  processes.push({ name: 'worker', pid: worker.pid!, measure: 'rss' });

  const { buildStep, buildBaseline: buildBaselineCopy } = await import('./scale-build-step');
  const { writeExportFiles } = await import('../datasets/export-files');
  const { launchFineTune } = await import('../finetunes/launch-fine-tune');
  const { startEvalRun } = await import('../evals/start-eval-run');
  const { summarizeRun } = await import('../evals/summarize-run');
  const { finishEvalRun } = await import('../evals/run-eval');
  const { compareEvalRuns } = await import('../evals/compare');
  const { listDisagreements } = await import('../evals/disagreements');
  const { promptMessages } = await import('../datasets/example-line');
  const { db, disconnectDb } = await import('../db');
  await db().evalRun.findMany({ take: 1 }); // the Prisma client's first query compiles its engine: not part of any step
  const actor = { ...SCALE_LEAD };
  const one = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows[0];

  // ---- build ----
  log('build: baseline COPY of the labeled turns with their conversations’ messages…');
  const buildBaseline = await buildBaselineCopy(client, tmp);
  log('build: the worker builds the version…');
  // The wait polls the version row (scale-build-step.ts); scale-build.ts runs this step alone.
  const build = await withPeakMemory(tracked, () => buildStep(client, actor, log));
  const { versionId, examples } = build.result;
  steps.push({
    name: 'build (worker: dataset-build job)',
    rows: labeled,
    seconds: build.seconds,
    baseline: { what: 'COPY labeled turns', ...buildBaseline },
    target: '≥ 50,000 turns/s',
    pass: labeled / build.seconds >= 50_000,
    peakMb: build.peakMb,
    cpuSeconds: build.cpuSeconds,
    note: `${examples.toLocaleString('en-US')} examples`,
  });

  // ---- export ----
  log('export: baseline COPY of the stored example rows…');
  const exportBaseline = await copyOut(
    client,
    `COPY (SELECT e.split, e.ordinal, e.external_id, e.message_id, e.label, e.user_content
           FROM dataset_examples e WHERE e.version_id = ${versionId} ORDER BY e.split, e.ordinal) TO STDOUT`,
    path.join(tmp, 'baseline-examples.copy'),
  );
  log('export: writing the files…');
  const outDir = path.join(tmp, 'export');
  const exp = await withPeakMemory(tracked, () => writeExportFiles(versionId, outDir));
  const exportRatio = exp.result.rows / exp.seconds / (exportBaseline.rows / exportBaseline.seconds);
  steps.push({
    name: 'export (train/validation/test.jsonl + manifest)',
    rows: exp.result.rows,
    seconds: exp.seconds,
    baseline: { what: 'COPY example rows', ...exportBaseline },
    target: '≥ 50% of COPY',
    pass: exportRatio >= 0.5,
    peakMb: exp.peakMb,
    cpuSeconds: exp.cpuSeconds,
  });

  // ---- upload + train ----
  const uploaded = ['train.jsonl', 'validation.jsonl'].map((f) => path.join(outDir, f)).filter((f) => fs.statSync(f).size > 0);
  const lines = (f: string) => {
    let n = 0;
    const buf = fs.readFileSync(f);
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
    return n;
  };
  const uploadRows = uploaded.reduce((s, f) => s + lines(f), 0);
  const uploadBytes = uploaded.reduce((s, f) => s + fs.statSync(f).size, 0);
  for (const f of uploaded) await readSeconds(f); // warm in the page cache, as the worker's freshly written copy is
  let plainRead = 0;
  for (const f of uploaded) plainRead += await readSeconds(f);
  log(
    `upload: ${uploadRows.toLocaleString('en-US')} lines, ${(uploadBytes / 2 ** 20).toFixed(0)} MB (plain read ${plainRead.toFixed(2)} s); launching the fine-tune…`,
  );
  type JobRow = { status: string; error: string | null; training_file_id: string | null; validation_file_id: string | null; fine_tuned_model: string | null };
  const jobRow = (id: number) =>
    one<JobRow>('SELECT status::text, error, training_file_id, validation_file_id, fine_tuned_model FROM fine_tune_jobs WHERE id = $1', [id]);
  const terminal = (r: JobRow) => ['succeeded', 'failed', 'cancelled'].includes(r.status);
  const upload = await withPeakMemory(tracked, async () => {
    const launched = await launchFineTune(actor, {
      datasetVersionId: versionId,
      provider: 'local',
      baseModel: 'local-base',
      nEpochs: EPOCHS,
      seed: 1,
      suffix: 'scale',
    });
    await until(async () => {
      const r = await jobRow(launched.id);
      if (terminal(r) && r.status !== 'succeeded') throw new Error(`fine-tune ${r.status}: ${r.error}`);
      return r.training_file_id && (r.validation_file_id || uploaded.length === 1) ? r : undefined;
    });
    return launched.id;
  });
  const jobId = upload.result;
  // The upload is what the plain read is set beside: the same bytes, from the worker's temp file
  // (in the page cache, as the read's are) to the trainer. Writing that file from the database
  // first is the export's work (the export step above has its target), shown beside it.
  const launchTimes = await until(async () => {
    const re = new RegExp(`^\\[worker\\] fine-tune ${jobId}: (\\S+) \\(([\\d.]+) MB\\) written from the database in ([\\d.]+) s, uploaded in ([\\d.]+) s`);
    const mine = uploadLines.map((l) => re.exec(l)).filter((m) => m !== null);
    if (mine.length < uploaded.length) return undefined;
    return {
      write: mine.reduce((t, m) => t + Number(m[3]), 0),
      upload: mine.reduce((t, m) => t + Number(m[4]), 0),
      perFile: mine.map((m) => `${m[1]} ${m[2]} MB in ${m[4]} s`).join(', '),
    };
  });
  steps.push({
    name: 'upload (worker temp file → trainer, openai SDK)',
    rows: uploadRows,
    seconds: launchTimes.upload,
    baseline: { what: 'plain read of the files', rows: uploadRows, seconds: plainRead },
    target: '≥ 50% of plain read',
    pass: plainRead / launchTimes.upload >= 0.5,
    peakMb: upload.peakMb,
    cpuSeconds: upload.cpuSeconds,
    note:
      `${(uploadBytes / 2 ** 20).toFixed(0)} MB (${launchTimes.perFile}); the whole launch took ${upload.seconds.toFixed(1)} s, of which writing the files from the database ` +
      `${launchTimes.write.toFixed(1)} s (peak MB and CPU s cover the whole launch)`,
  });
  log(`train: ${EPOCHS} epoch(s)…`);
  const train = await withPeakMemory(tracked, () =>
    until(
      async () => {
        const r = await jobRow(jobId);
        if (!terminal(r)) return undefined;
        if (r.status !== 'succeeded' || !r.fine_tuned_model) throw new Error(`fine-tune ${r.status}: ${r.error}`);
        return r.fine_tuned_model;
      },
      async () => `fine-tune ${(await jobRow(jobId)).status}`,
    ),
  );
  const model = train.result;
  const trainRows = lines(path.join(outDir, 'train.jsonl'));
  steps.push({
    name: `train (${EPOCHS} epoch${EPOCHS === 1 ? '' : 's'}, trainer worker thread)`,
    rows: trainRows * EPOCHS,
    seconds: train.seconds,
    baseline: null,
    target: 'trainer peak RSS ≤ 2 GB',
    pass: Math.max(upload.peakMb.trainer ?? 0, train.peakMb.trainer ?? 0) <= 2048,
    peakMb: train.peakMb,
    cpuSeconds: train.cpuSeconds,
    note: model,
  });

  // ---- eval ----
  const { rows: prompts } = await client.query<{ u: string; instructions: string }>(
    `SELECT e.user_content AS u, v.params->>'instructions' AS instructions FROM dataset_examples e JOIN dataset_versions v ON v.id = e.version_id
     WHERE e.version_id = $1 AND e.split = 'test' ORDER BY e.ordinal LIMIT $2`,
    [versionId, EVAL_BASELINE_EXAMPLES],
  );
  log(`eval: baseline, ${prompts.length.toLocaleString('en-US')} chat completions straight from the SDK at concurrency ${EVAL_CONCURRENCY}…`);
  const sdk = new OpenAI({ apiKey: API_KEY, baseURL: `${trainer.url}/v1`, maxRetries: 0 });
  const evalBaselineRun = await withPeakMemory(tracked, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: EVAL_CONCURRENCY }, async () => {
        while (next < prompts.length) {
          const p = prompts[next++];
          await sdk.chat.completions.create({
            model,
            messages: promptMessages(p.instructions, p.u),
            temperature: 0,
            max_tokens: 5,
            logprobs: true,
            top_logprobs: 3,
          });
        }
      }),
    );
  });
  const evalBaseline = { rows: prompts.length, seconds: evalBaselineRun.seconds };
  const perRequestMs = (cpu: Record<string, number>, k: string, rows: number) => (((cpu[k] ?? 0) / rows) * 1000).toFixed(2);
  log(`  ${Math.round(evalBaseline.rows / evalBaseline.seconds).toLocaleString('en-US')} completions/s; the worker evaluates the test split…`);
  type RunRow = { status: string; error: string | null; progress_done: number; progress_total: number };
  const runRow = (id: number) => one<RunRow>('SELECT status::text, error, progress_done, progress_total FROM eval_runs WHERE id = $1', [id]);
  let storedAt = 0;
  const evalStep = await withPeakMemory(tracked, async () => {
    const run = await startEvalRun(actor, { datasetVersionId: versionId, model, provider: 'local', concurrency: EVAL_CONCURRENCY });
    const t = performance.now();
    const end = await until(
      async () => {
        const r = await runRow(run.runId);
        if (!storedAt && r.progress_total > 0 && r.progress_done >= r.progress_total) storedAt = performance.now();
        return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
      },
      async () => {
        const r = await runRow(run.runId);
        return `eval ${r.status} ${r.progress_done.toLocaleString('en-US')}/${r.progress_total.toLocaleString('en-US')}`;
      },
    );
    if (end.status !== 'succeeded') throw new Error(`eval run ${run.runId} ${end.status}: ${end.error}`);
    return { runId: run.runId, total: end.progress_total, predictSeconds: ((storedAt || performance.now()) - t) / 1000 };
  });
  const { runId, total: evalTotal } = evalStep.result;
  // The worker inherits this environment: EVAL_BATCH=off on the command line measures one request per example.
  const evalPath = ['off', '0', 'false', 'no'].includes((process.env.EVAL_BATCH ?? '').trim().toLowerCase()) ? 'one request per example' : 'Batch API';
  steps.push({
    name: `eval (worker: eval-run job, ${evalPath}, every prediction stored)`,
    rows: evalTotal,
    seconds: evalStep.seconds,
    baseline: { what: 'SDK chat completions, no database', ...evalBaseline },
    target: '≥ 1,000 examples/s',
    pass: evalTotal / evalStep.seconds >= 1000,
    peakMb: evalStep.peakMb,
    cpuSeconds: evalStep.cpuSeconds,
    note:
      `predictions stored after ${evalStep.result.predictSeconds.toFixed(1)} s, then the worker's metrics; CPU ms per example: ` +
      `trainer ${perRequestMs(evalStep.cpuSeconds, 'trainer', evalTotal)}, worker ${perRequestMs(evalStep.cpuSeconds, 'worker', evalTotal)}, ` +
      `postgres ${perRequestMs(evalStep.cpuSeconds, 'postgres', evalTotal)} (baseline: trainer ${perRequestMs(evalBaselineRun.cpuSeconds, 'trainer', evalBaseline.rows)}, ` +
      `SDK caller ${perRequestMs(evalBaselineRun.cpuSeconds, 'bench', evalBaseline.rows)})`,
  });

  // ---- metrics ----
  const groupBy = async () => {
    const t = performance.now();
    await client.query('SELECT truth, predicted, count(*) FROM eval_predictions WHERE run_id = $1 GROUP BY truth, predicted', [runId]);
    return (performance.now() - t) / 1000;
  };
  await groupBy();
  const metricsBaseline = await groupBy();
  log('metrics: summarizeRun…');
  const metrics = await withPeakMemory(tracked, () => summarizeRun(runId));
  steps.push({
    name: 'metrics (summarizeRun: all metrics + bootstrap)',
    rows: evalTotal,
    seconds: metrics.seconds,
    baseline: { what: 'count(*) GROUP BY truth, predicted', rows: evalTotal, seconds: metricsBaseline },
    target: '≤ 10 s',
    pass: metrics.seconds <= 10,
    peakMb: metrics.peakMb,
    cpuSeconds: metrics.cpuSeconds,
    note: `accuracy ${metrics.result.accuracy?.toFixed(4)}`,
  });

  // ---- compare ----
  // A second run on the same examples (a model that answers a tenth of them differently), by SQL:
  // what the compare page reads is the two runs' stored rows, however they were made.
  const runB = (
    await one<{ id: number }>(
      `INSERT INTO eval_runs (model, provider, dataset_version_id, split, status, settings, created_by_id, progress_done, progress_total, started_at)
       SELECT 'bench-variant', provider, dataset_version_id, split, 'running', settings, created_by_id, progress_done, progress_total, now() FROM eval_runs WHERE id = $1
       RETURNING id`,
      [runId],
    )
  ).id;
  await client.query(
    `INSERT INTO eval_predictions (run_id, ordinal, conversation_id, message_id, truth, predicted, confidence, raw_output, latency_ms, prompt_tokens, completion_tokens, error)
     SELECT $2, ordinal, conversation_id, message_id, truth,
            CASE WHEN ordinal % 10 = 3 THEN (CASE predicted WHEN 'END' THEN 'CONTINUE' WHEN 'CONTINUE' THEN 'SCHEDULE' ELSE 'END' END) ELSE predicted END,
            confidence, raw_output, latency_ms, prompt_tokens, completion_tokens, error
     FROM eval_predictions WHERE run_id = $1`,
    [runId, runB],
  );
  await client.query('ANALYZE eval_predictions');
  await finishEvalRun(runB);
  const joinBaseline = async () => {
    const t = performance.now();
    await client.query(
      `SELECT count(*) FILTER (WHERE a.predicted <> b.predicted) AS differ,
              count(*) FILTER (WHERE (a.predicted = a.truth::text) AND (b.predicted <> b.truth::text)) AS b10,
              count(*) FILTER (WHERE (a.predicted <> a.truth::text) AND (b.predicted = b.truth::text)) AS b01
       FROM eval_predictions a JOIN eval_predictions b ON b.run_id = $2 AND b.ordinal = a.ordinal WHERE a.run_id = $1`,
      [runId, runB],
    );
    return (performance.now() - t) / 1000;
  };
  await joinBaseline();
  const compareBaseline = await joinBaseline();
  log('compare: compareEvalRuns + the first page of disagreements…');
  const cmp = await withPeakMemory(tracked, async () => {
    const c = await compareEvalRuns(actor, [runId, runB]);
    const page = await listDisagreements(actor, { baseRunId: runId, otherRunId: runB });
    return { c, page };
  });
  steps.push({
    name: 'compare page data (2 runs, McNemar + disagreements p.1)',
    rows: evalTotal * 2,
    seconds: cmp.seconds,
    baseline: { what: 'join counting discordant pairs', rows: evalTotal * 2, seconds: compareBaseline },
    target: '—',
    pass: true,
    peakMb: cmp.peakMb,
    cpuSeconds: cmp.cpuSeconds,
    note: `${cmp.result.c.mcnemar[0].b01 + cmp.result.c.mcnemar[0].b10} discordant, ${cmp.result.page.rows.length} rows on page 1`,
  });
  await client.end();
  await disconnectDb();
  // The queue client requestDatasetVersion and friends opened: stopped before the database is.
  const { stopQueue } = await import('../jobs/queue');
  await stopQueue();

  // ---- report ----
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const names = ['bench', 'worker', 'trainer', 'postgres'];
  console.log(
    `\nbench:scale — ${n(labeled)} labeled turns (${n(conversations)} conversations × 10 messages), ${n(examples)} examples, ${n(evalTotal)} evaluated; ` +
      `${os.cpus().length} cores, Node ${process.version}, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')} at the end; data by COPY in ${genSeconds.toFixed(1)} s`,
  );
  console.log(
    `| step | rows | time | rows/s | baseline (same run) | baseline rows/s | ours / baseline | target | | peak MB ${names.join(' / ')} | CPU s ${names.join(' / ')} | |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of steps) {
    const rate = s.rows / s.seconds;
    const base = s.baseline ? s.baseline.rows / s.baseline.seconds : null;
    console.log(
      `| ${s.name} | ${n(s.rows)} | ${s.seconds.toFixed(1)} s | ${n(rate)} | ${s.baseline ? `${s.baseline.what} (${s.baseline.seconds.toFixed(2)} s)` : '—'} | ${base ? n(base) : '—'} | ${base ? `${((rate / base) * 100).toFixed(0)}%` : '—'} | ${s.target} | ${s.target === '—' ? '' : s.pass ? 'PASS' : 'MISS'} | ${names.map((k) => (s.peakMb[k] ? n(s.peakMb[k]) : '—')).join(' / ')} | ${names.map((k) => (s.cpuSeconds[k] !== undefined ? s.cpuSeconds[k].toFixed(1) : '—')).join(' / ')} | ${s.note ?? ''} |`,
    );
  }
  const missed = steps.filter((s) => !s.pass).map((s) => s.name.split(' ')[0]);
  console.log(missed.length ? `Missed: ${missed.join(', ')}` : 'Every target met.');
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  for (const c of children.reverse()) await c.stop().catch(() => {});
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
