// npx tsx lib/bench/scale-build.ts — bench:scale's build step alone (same data, same worker
// job, same sampler, the same COPY baseline), for iterating on the dataset build without the export/train/eval steps.
// BENCH_SCALE_TURNS (default 200,000); BENCH_WORKER_NODE_OPTIONS is passed to the worker as
// NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"); BENCH_KEEP_PG=1 leaves the
// database running afterwards (its URL is printed) for EXPLAIN ANALYZE. BENCH_KEEP=<dir>: the
// scratch PostgreSQL lives in <dir>/pg and stays after the run; a later run with the same
// BENCH_KEEP reuses the loaded data (pending migrations applied, earlier datasets dropped), so a
// 1M build can be timed again without the minutes of COPY.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { readPostmasterPid } from '../db/embedded/postmaster-pid';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from '../testing/free-port';
import { startWorkerProcess, stopChild } from './child-processes';
import { withPeakMemory, type TrackedProcess } from './process-memory';
import { copyScaleData, LABELED_TURNS_PER_CONVERSATION, SCALE_LEAD } from './scale-data';

const TURNS = Number(process.env.BENCH_SCALE_TURNS ?? 200_000);
const t0 = performance.now();
const log = (m: string) => process.stderr.write(`[bench +${((performance.now() - t0) / 1000).toFixed(0)}s] ${m}\n`);

const KEEP = process.env.BENCH_KEEP ? path.resolve(process.env.BENCH_KEEP) : null;
const tmp = KEEP ?? fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-build-'));
fs.mkdirSync(tmp, { recursive: true });
fs.chmodSync(tmp, 0o755);
const pgDir = path.join(tmp, 'pg');
const reuse = KEEP !== null && fs.existsSync(path.join(pgDir, 'PG_VERSION'));
const server = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), quiet: true });
const url = server.url;
process.env.DATABASE_URL = url;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | null = null;
try {
  await applyPendingMigrations(url);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  let labeled: number;
  if (reuse) {
    // The same data as the run that loaded it; only the earlier runs' datasets go.
    await client.query('DELETE FROM datasets');
    await client.query('DELETE FROM dataset_transcripts');
    await client.query('VACUUM ANALYZE');
    labeled = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM labels')).rows[0].n);
    log(`reusing the database in ${pgDir} (BENCH_KEEP): ${labeled.toLocaleString('en-US')} labeled turns`);
  } else {
    labeled = await copyScaleData(client, Math.ceil(TURNS / LABELED_TURNS_PER_CONVERSATION), log);
  }
  const workerEnv: Record<string, string> = { DATABASE_URL: url, TRAINER_URL: 'http://127.0.0.1:9', TRAINER_API_KEY: 'x', AUTO_EVAL_AFTER_FINETUNE: '0' };
  if (process.env.BENCH_WORKER_NODE_OPTIONS) workerEnv.NODE_OPTIONS = process.env.BENCH_WORKER_NODE_OPTIONS;
  worker = await startWorkerProcess(workerEnv);
  const processes: TrackedProcess[] = [
    { name: 'bench', pid: process.pid, measure: 'self' },
    { name: 'worker', pid: worker.pid!, measure: 'rss' },
  ];
  const tracked = () => {
    const pm = readPostmasterPid(pgDir);
    return pm ? [...processes, { name: 'postgres', pid: pm.pid, measure: 'pss' as const }] : processes;
  };
  const { buildStep, buildBaseline } = await import('./scale-build-step');
  const { db, disconnectDb } = await import('../db');
  await db().evalRun.findMany({ take: 1 });
  log('baseline: COPY of the labeled turns with their conversations’ messages…');
  const baseline = await buildBaseline(client, tmp);
  const load = os.loadavg()[0];
  const build = await withPeakMemory(tracked, () => buildStep(client, { ...SCALE_LEAD }, log));
  const rate = labeled / build.seconds;
  console.log(
    `build: ${labeled.toLocaleString('en-US')} turns → ${build.result.examples.toLocaleString('en-US')} examples in ${build.seconds.toFixed(1)} s = ` +
      `${Math.round(rate).toLocaleString('en-US')} turns/s; CPU s ${Object.entries(build.cpuSeconds)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')}; peak MB ${Object.entries(build.peakMb)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')}; load ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; hash ${build.result.contentHash.slice(0, 16)}`,
  );
  const baseRate = labeled / baseline.seconds;
  console.log(
    `baseline (same run): COPY of the labeled turns in ${baseline.seconds.toFixed(2)} s = ${Math.round(baseRate).toLocaleString('en-US')} turns/s; ` +
      `build / baseline ${((rate / baseRate) * 100).toFixed(0)}%`,
  );
  await client.end();
  await disconnectDb();
  const { stopQueue } = await import('../jobs/queue');
  await stopQueue();
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  if (worker) await stopChild(worker).catch(() => {});
  if (process.env.BENCH_KEEP_PG === '1') {
    console.log(`database left running: ${url} (data ${pgDir}, postmaster ${readPostmasterPid(pgDir)?.pid})`);
    process.exit(process.exitCode ?? 0);
  } else {
    await server.stop();
    if (!KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
