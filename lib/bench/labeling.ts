// npm run bench:labeling — a benchmark, not a test. On a scratch PostgreSQL it loads
// 100k conversations / 1M messages through the Studio's import path, then measures the
// conversations list (every filter) and the label write path, each beside the same work
// done in raw SQL over `pg` (and the import beside PostgreSQL COPY of the same rows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from '../testing/free-port';
import { writeBenchFiles } from './bench-data';
import { measure, ms } from './stats';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-'));
fs.chmodSync(tmp, 0o755);
const port = await freePort();
const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port, quiet: true });
const url = process.env.BENCH_DATABASE_URL ?? server!.url;
process.env.DATABASE_URL = url;

const results: { op: string; ours: { p50: number; p95: number }; raw: { p50: number; p95: number }; target: number }[] = [];
let importFigures: { ours: number; copy: number; ratio: number; seconds: number; copySeconds: number } | null = null;

try {
  await applyPendingMigrations(url);
  log(`generating ${CONVERSATIONS.toLocaleString()} conversations × 10 messages…`);
  const files = writeBenchFiles(tmp, CONVERSATIONS);

  // Baseline: COPY the same conversation and message rows into an empty copy of the schema.
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_copy');
  await admin.query('CREATE DATABASE bench_copy');
  await admin.end();
  const copyUrl = url.replace(/\/[^/?]+(\?|$)/, '/bench_copy$1');
  await applyPendingMigrations(copyUrl);
  const copyClient = new pg.Client({ connectionString: copyUrl });
  await copyClient.connect();
  log('baseline: COPY of the same rows…');
  let t = performance.now();
  await copyClient.query('BEGIN');
  await pipeline(
    fs.createReadStream(files.conversationsCopy),
    copyClient.query(copyFrom('COPY conversations (id, external_id, candidate_name, job_title, last_activity_at) FROM STDIN')),
  );
  await pipeline(
    fs.createReadStream(files.messagesCopy),
    copyClient.query(copyFrom('COPY messages (conversation_id, position, sender, text, sent_at) FROM STDIN')),
  );
  await copyClient.query('COMMIT');
  const copySeconds = (performance.now() - t) / 1000;
  await copyClient.end();

  log('the Studio import path…');
  const { importConversationsFile } = await import('../imports');
  t = performance.now();
  await importConversationsFile(files.jsonl, { onProgress: (s, d) => log(`  import ${s}${d ? `: ${d}` : ''}`) });
  const seconds = (performance.now() - t) / 1000;
  importFigures = {
    ours: files.messages / seconds,
    copy: files.messages / copySeconds,
    ratio: copySeconds / seconds,
    seconds,
    copySeconds,
  };
  log(`import: ${seconds.toFixed(1)} s, COPY: ${copySeconds.toFixed(1)} s (${((copySeconds / seconds) * 100).toFixed(0)}% of COPY's rows/s)`);

  // Reviewers with labels of their own, so every filter has matches and misses.
  log('adding reviewers and their labels…');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (let r = 1; r <= 5; r++) {
    await client.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $2, $3, 'reviewer', now())`, [
      `bench-r${r}`,
      `Reviewer ${r}`,
      `r${r}@bench.test`,
    ]);
    await client.query(
      `INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
       SELECT m.id, m.conversation_id, $1, (ARRAY['END','CONTINUE','SCHEDULE']::"LabelValue"[])[1 + (m.id % 3)], now()
       FROM messages m WHERE m.sender = 'recruiter' AND m.conversation_id % 7 = $2 AND m.position < 6`,
      [`bench-r${r}`, r],
    );
  }
  const { refreshConversationStats, pgRunner } = await import('../conversations/stats');
  const ids = (await client.query<{ id: number }>('SELECT DISTINCT conversation_id AS id FROM labels WHERE reviewer_id LIKE $1', ['bench-r%'])).rows.map(
    (r) => r.id,
  );
  for (let i = 0; i < ids.length; i += 10_000) await refreshConversationStats(pgRunner(client), ids.slice(i, i + 10_000));
  await client.query('VACUUM ANALYZE');

  const actor = { id: 'bench-r1', email: 'r1@bench.test', name: 'Reviewer 1', role: 'reviewer' as const };
  const { listConversations } = await import('../conversations/list-conversations');
  const { CONVERSATION_FILTERS, listParamsSchema } = await import('../conversations/list-params');
  const { labelTurn } = await import('../labeling/label-turn');
  const { filterSql } = await import('../conversations/list-conversations');
  const { toPrefixTsQuery, SEARCH_CONFIG } = await import('../conversations/search-query');
  const { Prisma } = await import('../generated/prisma/client');

  // The raw-SQL twin of listConversations: the same two statements, sent over plain pg.
  const rawPool = new pg.Pool({ connectionString: url, max: 4 });
  const rawList = async (filter: string, q: string, after?: { at: Date; id: number }) => {
    const fsql = filterSql(filter as never, actor.id);
    const parts = [fsql];
    const tsq = toPrefixTsQuery(q);
    if (q) parts.push(Prisma.sql`(c.search @@ to_tsquery(${SEARCH_CONFIG}::regconfig, ${tsq}) OR c.external_id = ${q})`);
    const where = Prisma.join(parts, ' AND ');
    const keyset = after ? Prisma.sql`AND (c.last_activity_at, c.id) < (${after.at}::timestamp, ${after.id}::int)` : Prisma.empty;
    const page = Prisma.sql`SELECT c.id, c.external_id, c.candidate_name, c.job_title, c.last_activity_at, c.recruiter_turns,
        c.labeled_turns, c.end_turns, c.schedule_turns, c.reviewer_count,
        (SELECT r.labeled_turns FROM conversation_reviewers r WHERE r.conversation_id = c.id AND r.reviewer_id = ${actor.id}) AS my_labeled_turns
      FROM conversations c WHERE ${where} ${keyset} ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 51`;
    const count = Prisma.sql`SELECT count(*) AS n FROM (SELECT 1 FROM conversations c WHERE ${where} LIMIT 10001) capped`;
    await Promise.all([rawPool.query(page.text, page.values), rawPool.query(count.text, count.values)]);
  };

  const cases: [string, string, string][] = [
    ...Object.keys(CONVERSATION_FILTERS).map((f): [string, string, string] => [`list: ${f}`, f, '']),
    ['list: search "forklift"', 'all', 'forklift'],
    ['list: search "reschedule interview"', 'all', 'reschedule interview'],
  ];
  for (const [name, filter, q] of cases) {
    log(`measuring ${name}…`);
    const params = listParamsSchema.parse({ filter, q });
    const ours = await measure(RUNS, () => listConversations(actor, params));
    const raw = await measure(RUNS, () => rawList(filter, q));
    results.push({ op: name, ours, raw, target: 100 });
    log(`  ours p95 ${ms(ours.p95)}, raw p95 ${ms(raw.p95)}`);
  }
  // A deep page: keyset pagination must not slow down with depth.
  const deep = await client.query<{ last_activity_at: Date; id: number }>(
    'SELECT last_activity_at, id FROM conversations ORDER BY last_activity_at DESC, id DESC OFFSET $1 LIMIT 1',
    [Math.floor(CONVERSATIONS / 2)],
  );
  const cursor = { at: deep.rows[0].last_activity_at, id: deep.rows[0].id };
  results.push({
    op: `list: all, page ${Math.floor(CONVERSATIONS / 100) + 1}`,
    ours: await measure(RUNS, () => listConversations(actor, { ...listParamsSchema.parse({}), after: cursor })),
    raw: await measure(RUNS, () => rawList('all', '', cursor)),
    target: 100,
  });

  log('measuring the label write path…');
  const turns = (
    await client.query<{ id: number }>(`SELECT id FROM messages WHERE sender = 'recruiter' ORDER BY (id::bigint * 7919) % 1000003 LIMIT 2000`)
  ).rows.map((r) => r.id);
  const values = ['END', 'CONTINUE', 'SCHEDULE', null] as const;
  const writer = { ...actor, id: 'bench-r2' };
  const ours = await measure(500, (i) => labelTurn(writer, { messageId: turns[i % 1000], value: values[i % 4] }));
  const raw = await measure(500, async (i) => {
    const messageId = turns[1000 + (i % 1000)];
    const value = values[i % 4] ?? 'END';
    await client.query('BEGIN');
    const m = await client.query<{ conversation_id: number }>('SELECT conversation_id FROM messages WHERE id = $1', [messageId]);
    await client.query(
      `INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (message_id, reviewer_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [messageId, m.rows[0].conversation_id, 'bench-r3', value],
    );
    await client.query(`INSERT INTO label_events (message_id, conversation_id, reviewer_id, to_value, source) VALUES ($1, $2, $3, $4, 'bench')`, [
      messageId,
      m.rows[0].conversation_id,
      'bench-r3',
      value,
    ]);
    await client.query('COMMIT');
  });
  results.push({ op: 'label write (labelTurn)', ours, raw, target: 15 });
  await client.end();
  await rawPool.end();
} catch (e) {
  console.error('benchmark failed:', e);
  process.exitCode = 1;
} finally {
  const { disconnectDb } = await import('../db');
  await disconnectDb();
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\nLabeling benchmark: ${CONVERSATIONS.toLocaleString('en-US')} conversations, ${(CONVERSATIONS * 10).toLocaleString('en-US')} messages\n`);
console.log(
  `${pad('operation', 38)} ${pad('ours p50', 10)} ${pad('ours p95', 10)} ${pad('raw p50', 10)} ${pad('raw p95', 10)} ${pad('target p95', 11)} result`,
);
for (const r of results) {
  console.log(
    `${pad(r.op, 38)} ${pad(ms(r.ours.p50), 10)} ${pad(ms(r.ours.p95), 10)} ${pad(ms(r.raw.p50), 10)} ${pad(ms(r.raw.p95), 10)} ${pad(`≤ ${r.target} ms`, 11)} ${r.ours.p95 <= r.target ? 'PASS' : 'FAIL'}`,
  );
}
if (importFigures) {
  const f = importFigures;
  console.log(
    `\nimport: ${Math.round(f.ours).toLocaleString('en-US')} messages/s (${f.seconds.toFixed(1)} s) vs COPY ${Math.round(f.copy).toLocaleString('en-US')} rows/s (${f.copySeconds.toFixed(1)} s) = ${(f.ratio * 100).toFixed(0)}% of COPY (target ≥ 25%) ${f.ratio >= 0.25 ? 'PASS' : 'FAIL'}`,
  );
}
console.log(JSON.stringify({ conversations: CONVERSATIONS, import: importFigures, operations: results }));
