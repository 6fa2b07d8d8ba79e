// npm run bench:export — a benchmark, not a test. On a scratch PostgreSQL it makes
// BENCH_TURNS (default 1M) labeled recruiter turns (200k conversations × 10 messages, every
// recruiter turn labeled), then measures, each beside `COPY (SELECT …) TO STDOUT` of the
// same rows written to a file in the same run:
//   1. building a dataset version (labels frozen, splits, batches of examples, checks), and
//   2. exporting it (train/validation/test.jsonl + manifest.json, streamed from a cursor),
// with the process's peak RSS growth during each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from '../testing/free-port';
import { serverCpuSeconds } from './server-cpu';
import { copyOut } from './copy-out';

const TURNS = Number(process.env.BENCH_TURNS ?? 1_000_000);
const PER_CONVERSATION = 5; // recruiter turns per conversation (10 messages)
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-export-'));
fs.chmodSync(tmp, 0o755);
const pgDir = path.join(tmp, 'pg');
const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), quiet: true });
const url = process.env.BENCH_DATABASE_URL ?? server!.url;
process.env.DATABASE_URL = url;

/** Samples RSS every 25 ms while fn runs; returns growth over the starting RSS. */
async function withRss<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; rssGrowthMb: number; peakMb: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const t = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, seconds: (performance.now() - t) / 1000, rssGrowthMb: (peak - start) / 2 ** 20, peakMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

const WORDS =
  `hi yes no maybe pay hourly rate shift interview tomorrow monday friday weekend location commute forklift warehouse driver benefits overtime start training stop wrong number busy later thanks sounds good not interested`.split(
    ' ',
  );

try {
  await applyPendingMigrations(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const conversations = Math.ceil(TURNS / PER_CONVERSATION);
  log(`generating ${conversations.toLocaleString()} conversations × 10 messages, ${TURNS.toLocaleString()} labeled turns (SQL)…`);
  await client.query(
    `INSERT INTO users (id, name, email, role, updated_at) VALUES ('bench-lead', 'Bench Lead', 'lead@bench', 'ml_lead', now()), ('bench-rev', 'Bench Reviewer', 'rev@bench', 'reviewer', now())`,
  );
  await client.query(
    `INSERT INTO conversations (id, external_id, candidate_name, job_title, last_activity_at, recruiter_turns, labeled_turns, reviewer_count)
     SELECT i, 'bench-' || i, 'Candidate ' || i, 'Warehouse Associate', timestamp '2026-01-01' + i * interval '1 minute', $2, $2, 1
     FROM generate_series(1, $1) i`,
    [conversations, PER_CONVERSATION],
  );
  const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`;
  await client.query(
    `INSERT INTO messages (conversation_id, position, sender, text, sent_at)
     SELECT c, p, CASE WHEN p % 2 = 0 THEN 'recruiter' ELSE 'candidate' END::"Sender",
            -- The opening names the candidate, so no two conversations are the same text (as in real data).
            CASE WHEN p = 0 THEN 'Hi Candidate ' || c || ', ' ELSE '' END ||
            (SELECT string_agg((${words})[1 + ((c * 31 + p * 17 + k * 7) % ${WORDS.length})], ' ') FROM generate_series(1, 6 + (c + p) % 12) k),
            timestamp '2026-01-01' + c * interval '1 minute' + p * interval '7 minutes'
     FROM generate_series(1, $1) c, generate_series(0, 9) p`,
    [conversations],
  );
  await client.query(
    `INSERT INTO labels (message_id, conversation_id, reviewer_id, value)
     SELECT m.id, m.conversation_id, 'bench-rev', (ARRAY['CONTINUE','CONTINUE','SCHEDULE','END'])[1 + (m.id % 4)]::"LabelValue"
     FROM messages m WHERE m.sender = 'recruiter' AND m.position > 0
     UNION ALL
     SELECT m.id, m.conversation_id, 'bench-rev', 'CONTINUE' FROM messages m WHERE m.position = 0`,
  );
  await client.query('ANALYZE');
  const [{ n }] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM labels')).rows;
  log(`${Number(n).toLocaleString()} labels`);

  const { createDatasetVersion } = await import('../datasets/create-dataset-version');
  const { buildDatasetVersion } = await import('../datasets/build-dataset-version');
  const { writeExportFiles } = await import('../datasets/export-files');
  const { DEFAULT_PARAMS } = await import('../datasets/params');
  const { USER_CONTENT_SQL } = await import('../datasets/transcript-store');
  const actor = { id: 'bench-lead', email: 'lead@bench', name: 'Bench Lead', role: 'ml_lead' as const };

  // Baseline 1: the labeled turns with every message of their conversations, as COPY sees them.
  log('baseline: COPY of the labeled turns and their messages…');
  const buildBaseline = await copyOut(
    client,
    `COPY (SELECT m.conversation_id, c.external_id, m.id, m.position, m.sender, m.text, m.sent_at, l.value
           FROM conversations c JOIN messages m ON m.conversation_id = c.id
           LEFT JOIN labels l ON l.message_id = m.id
           WHERE c.labeled_turns > 0 ORDER BY m.conversation_id, m.position) TO STDOUT`,
    path.join(tmp, 'baseline-turns.copy'),
  );
  log('building a dataset version (include turns without a candidate, so every labeled turn is an example)…');
  let lastLog = 0;
  const created = await createDatasetVersion(actor, { name: 'bench', params: { ...DEFAULT_PARAMS, includeTurnsWithoutCandidate: true } });
  // CPU seconds beside wall time: on a shared machine the wall time mostly measures the neighbours.
  const serverCpu0 = server ? serverCpuSeconds(pgDir) : null;
  const nodeCpu0 = process.cpuUsage();
  const build = await withRss(() =>
    buildDatasetVersion(created.versionId, {
      onProgress: (phase, done, total) => {
        if (Date.now() - lastLog > 5_000) {
          log(`  ${phase} ${done.toLocaleString()}/${total.toLocaleString()}`);
          lastLog = Date.now();
        }
      },
    }),
  );

  const nodeCpu = process.cpuUsage(nodeCpu0);
  const buildCpu = { node: (nodeCpu.user + nodeCpu.system) / 1e6, server: serverCpu0 === null ? null : serverCpuSeconds(pgDir)! - serverCpu0 };
  log('baseline: COPY of the stored example rows…');
  const exportBaseline = await copyOut(
    client,
    // The same content the files hold: each user message assembled from its stored transcript slice.
    `COPY (SELECT e.split, e.ordinal, e.external_id, e.message_id, e.label, ${USER_CONTENT_SQL}
           FROM dataset_examples e JOIN dataset_transcripts t ON t.sha256 = e.transcript_sha
           WHERE e.version_id = ${created.versionId} ORDER BY e.split, e.ordinal) TO STDOUT`,
    path.join(tmp, 'baseline-examples.copy'),
  );
  log('exporting the files…');
  const out = path.join(tmp, 'export');
  const exp = await withRss(() => writeExportFiles(created.versionId, out));
  const storage = (
    await client.query<{ examples: string; transcripts: string; text: string }>(
      `SELECT pg_total_relation_size('dataset_examples') AS examples, pg_total_relation_size('dataset_transcripts') AS transcripts,
              (SELECT coalesce(sum(octet_length(text)), 0) FROM dataset_transcripts) AS text`,
    )
  ).rows[0];
  const bytes = fs.readdirSync(out).reduce((s, f) => s + fs.statSync(path.join(out, f)).size, 0);
  await client.end();

  const examples = build.result.exampleCount;
  const row = (what: string, rows: number, ours: number, copy: { rows: number; seconds: number }, rss: number) => {
    const ourRate = rows / ours;
    const copyRate = copy.rows / copy.seconds;
    return `| ${what} | ${rows.toLocaleString('en-US')} | ${ours.toFixed(1)} s | ${Math.round(ourRate).toLocaleString('en-US')} | ${Math.round(copyRate).toLocaleString('en-US')} (${copy.seconds.toFixed(1)} s) | ${((ourRate / copyRate) * 100).toFixed(0)}% | ${rss.toFixed(0)} MB |`;
  };
  console.log(
    `\nDataset export benchmark: ${examples.toLocaleString('en-US')} labeled turns (${conversations.toLocaleString('en-US')} conversations), ${os.cpus().length} cores`,
  );
  console.log('| step | rows | ours | ours rows/s | COPY rows/s (time) | ours / COPY | RSS growth |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(row('export: write train/validation/test.jsonl + manifest.json', exp.result.rows, exp.seconds, exportBaseline, exp.rssGrowthMb));
  console.log(row('build: freeze labels into a version (splits, tokens, checks)', examples, build.seconds, buildBaseline, build.rssGrowthMb));
  const mb = (n: string | number) => (Number(n) / 2 ** 20).toFixed(1);
  console.log(
    `Storage (table + TOAST + indexes): dataset_examples ${mb(storage.examples)} MB + dataset_transcripts ${mb(storage.transcripts)} MB ` +
      `(${mb(storage.text)} MB of transcript text) = ${mb(Number(storage.examples) + Number(storage.transcripts))} MB.`,
  );
  const labeled = Number(n);
  console.log(
    `Build: ${labeled.toLocaleString('en-US')} labeled turns in ${build.seconds.toFixed(1)} s = ${Math.round(labeled / build.seconds).toLocaleString('en-US')} turns/s ` +
      `(target ≥ 50,000 at 1M: ${labeled / build.seconds >= 50_000 ? 'PASS' : 'FAIL'}); COPY of its input rows ${Math.round(buildBaseline.rows / buildBaseline.seconds).toLocaleString('en-US')} rows/s. ` +
      `CPU: this process ${buildCpu.node.toFixed(1)} s, PostgreSQL ${buildCpu.server === null ? '?' : buildCpu.server.toFixed(1)} s; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}.`,
  );
  console.log(`Peak RSS: build ${build.peakMb.toFixed(0)} MB, export ${exp.peakMb.toFixed(0)} MB (whole process).`);
  console.log(`Targets: export ≥ 50% of COPY's rows/s, RSS growth ≤ 150 MB; build ≥ 50,000 turns/s. Files: ${(bytes / 2 ** 20).toFixed(0)} MB.`);
  const expRatio = exp.result.rows / exp.seconds / (exportBaseline.rows / exportBaseline.seconds);
  console.log(
    `export: ${expRatio >= 0.5 ? 'PASS' : 'FAIL'} rows/s (${(expRatio * 100).toFixed(0)}%), ${exp.rssGrowthMb <= 150 ? 'PASS' : 'FAIL'} RSS (${exp.rssGrowthMb.toFixed(0)} MB)`,
  );
} finally {
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
