// npm run bench:labeling — a benchmark, not a test. On a scratch PostgreSQL it loads
// BENCH_CONVERSATIONS (100k by default; the target scale is 1M conversations / 10M messages)
// through the Studio's import path, then measures the conversations list (every filter in
// every sort, searches, deep pages), the progress totals, "next needing me" (the work
// queue's claim) and the label write path, each beside the same work done in raw SQL over
// `pg`, and the import beside PostgreSQL COPY of the same rows.
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
import { countRoundTrips } from './round-trips';
import { serverCpuSeconds } from './server-cpu';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
// BENCH_ONLY=<regex> times only the lines whose name matches (say "mine|label write"), for iterating.
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const wanted = (op: string) => !ONLY || ONLY.test(op);
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

// BENCH_KEEP=<dir>: the scratch PostgreSQL (and the generated files) live in <dir> and stay after
// the run. A later run with the same BENCH_KEEP and BENCH_CONVERSATIONS finds the loaded
// database and skips generation, COPY, the import and the setup: it only times (for iterating on
// the read paths; the import's figure needs a run without a loaded <dir>). BENCH_IMPORT_ONLY=1
// stops after the import and its COPY baselines. BENCH_IMPORT_ROUNDS (default 2): COPY and the
// import take turns this many times, each into a fresh database; the ratio is of the medians.
const KEEP = process.env.BENCH_KEEP ? path.resolve(process.env.BENCH_KEEP) : null;
const IMPORT_ONLY = process.env.BENCH_IMPORT_ONLY === '1';
// BENCH_IMPORT_ROUNDS: how many times COPY and the import take turns (the figure is the ratio of the medians).
const IMPORT_ROUNDS = Math.max(1, Number(process.env.BENCH_IMPORT_ROUNDS ?? 2));
const tmp = KEEP ?? fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-'));
fs.mkdirSync(tmp, { recursive: true });
fs.chmodSync(tmp, 0o755);
const loadedMarker = path.join(tmp, `loaded-${CONVERSATIONS}`);
const reuse = KEEP !== null && !IMPORT_ONLY && fs.existsSync(loadedMarker);
const port = await freePort();
const server = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port, quiet: true });
const url = process.env.BENCH_DATABASE_URL ?? server!.url;
process.env.DATABASE_URL = url;

const results: { op: string; ours: { p50: number; p95: number }; raw: { p50: number; p95: number }; target: number }[] = [];
interface ImportFigures {
  ours: number;
  copy: number;
  ratio: number;
  seconds: number;
  copySeconds: number;
  copyRuns: number[];
  importRuns: number[];
  /** Median CPU seconds of one run: this process (the import's reader) and the PostgreSQL server. */
  cpu: { importNode: number; importPg: number; copyNode: number; copyPg: number };
  load: { copy: number; import: number };
}
interface Run {
  seconds: number;
  nodeCpu: number;
  pgCpu: number | null;
  load: number;
}
// Written inside load() (a closure), so typed by assertion: TypeScript would narrow a plain `= null` to null.
let importFigures = null as ImportFigures | null;
let labelWriteTrips = null as { ours: number; previous: number } | null;

try {
  await applyPendingMigrations(url);
  const { refreshConversationStats, pgRunner } = await import('../conversations/stats');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  if (reuse) log(`reusing the database loaded in ${tmp} (BENCH_KEEP): no generation, COPY, import or setup`);
  else await load();
  async function load() {
    // The import is timed into an empty database: a kept one from an earlier or failed run is not.
    if ((await client.query('SELECT EXISTS (SELECT 1 FROM conversations) AS any')).rows[0].any)
      throw new Error(`${tmp} already holds conversations (an earlier run's): give BENCH_KEEP a new directory to load and time the import`);
    if (KEEP) fs.rmSync(loadedMarker, { force: true });
    log(`generating ${CONVERSATIONS.toLocaleString()} conversations × 10 messages…`);
    let phase = performance.now();
    const files = writeBenchFiles(tmp, CONVERSATIONS);
    log(`  generated in ${((performance.now() - phase) / 1000).toFixed(1)} s`);

    // Baseline: COPY the same conversation and message rows into an empty copy of the schema.
    // On a shared machine the load moves in minutes (the COPY alone moved by half between two
    // runs), so COPY and the import take turns, BENCH_IMPORT_ROUNDS times (default 2): COPY,
    // import, COPY, import, each into a fresh database, and the figure is the ratio of the
    // medians, with the load average and the CPU seconds (this process, the server) of each.
    const freshDatabase = async (name: string): Promise<string> => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const dbUrl = url.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
      await applyPendingMigrations(dbUrl);
      return dbUrl;
    };
    const pgDir = server ? path.join(tmp, 'pg') : null;
    const timed = async (run: () => Promise<void>): Promise<Run> => {
      const load = [os.loadavg()[0]];
      const cpu = process.cpuUsage();
      const pgCpu = pgDir ? serverCpuSeconds(pgDir) : null;
      const started = performance.now();
      await run();
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      // A closed connection's backend counts once the postmaster has reaped it.
      await new Promise((r) => setTimeout(r, 500));
      const pgAfter = pgDir ? serverCpuSeconds(pgDir) : null;
      load.push(os.loadavg()[0]);
      return {
        seconds,
        nodeCpu: (used.user + used.system) / 1e6,
        pgCpu: pgCpu !== null && pgAfter !== null ? pgAfter - pgCpu : null,
        load: (load[0] + load[1]) / 2,
      };
    };
    const copyBaseline = async (): Promise<Run> => {
      const copyUrl = await freshDatabase('bench_copy');
      const copyClient = new pg.Client({ connectionString: copyUrl });
      await copyClient.connect();
      const r = await timed(async () => {
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
      });
      await copyClient.end();
      return r;
    };
    const { importConversationsFile } = await import('../imports');
    const copies: Run[] = [];
    const imports: Run[] = [];
    const describe = (r: Run) =>
      `${r.seconds.toFixed(1)} s (CPU: bench process ${r.nodeCpu.toFixed(1)} s, PostgreSQL ${r.pgCpu === null ? '?' : r.pgCpu.toFixed(1)} s; load ${r.load.toFixed(1)})`;
    for (let round = 1; round <= IMPORT_ROUNDS; round++) {
      log(`round ${round} of ${IMPORT_ROUNDS}: COPY of the same rows…`);
      copies.push(await copyBaseline());
      log(`  COPY: ${describe(copies.at(-1)!)}`);
      // The last round imports into the bench's own database, which the timings below use.
      const importUrl = round === IMPORT_ROUNDS ? url : await freshDatabase('bench_import');
      log(`round ${round} of ${IMPORT_ROUNDS}: the Studio import path…`);
      imports.push(
        await timed(async () => {
          await importConversationsFile(files.jsonl, { databaseUrl: importUrl, onProgress: (st, d) => log(`  import ${st}${d ? `: ${d}` : ''}`) });
        }),
      );
      log(`  import: ${describe(imports.at(-1)!)}`);
    }
    const median = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b);
      return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    };
    const seconds = median(imports.map((r) => r.seconds));
    const copySeconds = median(copies.map((r) => r.seconds));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    importFigures = {
      ours: files.messages / seconds,
      copy: files.messages / copySeconds,
      ratio: copySeconds / seconds,
      seconds,
      copySeconds,
      copyRuns: copies.map((r) => r.seconds),
      importRuns: imports.map((r) => r.seconds),
      cpu: {
        importNode: median(imports.map((r) => r.nodeCpu)),
        importPg: median(imports.map((r) => r.pgCpu ?? NaN)),
        copyNode: median(copies.map((r) => r.nodeCpu)),
        copyPg: median(copies.map((r) => r.pgCpu ?? NaN)),
      },
      load: { copy: mean(copies.map((r) => r.load)), import: mean(imports.map((r) => r.load)) },
    };
    log(`import: median ${seconds.toFixed(1)} s, COPY: median ${copySeconds.toFixed(1)} s (${((copySeconds / seconds) * 100).toFixed(0)}% of COPY's rows/s)`);
    if (IMPORT_ONLY) return;

    // Reviewers with labels of their own on one conversation in 14 (most of a large corpus is
    // unlabeled), so every filter has matches and misses; and the setup stays minutes at 1M.
    log('adding reviewers and their labels…');
    phase = performance.now();
    for (let r = 1; r <= 5; r++) {
      await client.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $2, $3, 'reviewer', now())`, [
        `bench-r${r}`,
        `Reviewer ${r}`,
        `r${r}@bench.test`,
      ]);
      await client.query(
        `INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
       SELECT m.id, m.conversation_id, $1, (ARRAY['END','CONTINUE','SCHEDULE']::"LabelValue"[])[1 + (m.id % 3)], now()
       FROM messages m WHERE m.sender = 'recruiter' AND m.conversation_id % 70 = $2 AND m.position < 6`,
        [`bench-r${r}`, r],
      );
    }
    // What the other filters and the uncertainty sort read, so each has matches and misses: an
    // advisor with suggestions on one conversation in 50's open turns, a deferred live turn on
    // one in 500, a flag on one in 300, a comment on another one in 300.
    log('adding suggestions, advisor decisions, flags and comments…');
    const promotion = (
      await client.query<{ id: number }>(
        `INSERT INTO advisor_promotions (model, provider, threshold, timeout_ms, instructions, context, promoted_by_id)
       VALUES ('bench-advisor', 'local', 0.7, 2000, '', '"all"'::jsonb, 'bench-r1') RETURNING id`,
      )
    ).rows[0].id;
    await client.query(
      `INSERT INTO turn_suggestions (message_id, conversation_id, model, provider, promotion_id, value, confidence)
     SELECT m.id, m.conversation_id, 'bench-advisor', 'local', $1, 'CONTINUE', ((m.id::bigint * 7919) % 1000) / 1000.0
     FROM messages m WHERE m.conversation_id % 50 = 3 AND m.sender = 'recruiter' AND m.position > 0`,
      [promotion],
    );
    await client.query(
      `INSERT INTO advisor_decisions (external_id, conversation_id, position, decision, confidence, acted, threshold, model, promotion_id, latency_ms)
     SELECT c.external_id, c.id, 4, 'CONTINUE', 0.41, false, 0.7, 'bench-advisor', $1, 180 FROM conversations c WHERE c.id % 500 = 7`,
      [promotion],
    );
    await client.query(
      `INSERT INTO turn_flags (message_id, conversation_id, reviewer_id, reason)
     SELECT m.id, m.conversation_id, 'bench-r2', 'unclear' FROM messages m WHERE m.conversation_id % 300 = 11 AND m.position = 2`,
    );
    await client.query(
      `INSERT INTO turn_comments (message_id, conversation_id, author_id, body)
     SELECT m.id, m.conversation_id, 'bench-r3', 'is this a reschedule?' FROM messages m WHERE m.conversation_id % 300 = 13 AND m.position = 4`,
    );
    // The work queue's leases of reviewer 1 (the "Held by me" filter): a few held, a few run out.
    await client.query(
      `INSERT INTO labeling_leases (conversation_id, reviewer_id, claimed_at, expires_at)
     SELECT c.id, 'bench-r1', now(), now() + CASE WHEN c.id % 2 = 0 THEN interval '10 minutes' ELSE interval '-1 minute' END
     FROM conversations c WHERE c.id % 20000 = 17`,
    );
    const ids = (
      await client.query<{ id: number }>(
        `SELECT conversation_id AS id FROM labels WHERE reviewer_id LIKE 'bench-r%' UNION SELECT conversation_id FROM turn_suggestions ORDER BY 1`,
      )
    ).rows.map((r) => r.id);
    log(`  refreshing the counters of ${ids.length.toLocaleString('en-US')} conversations…`);
    for (let i = 0; i < ids.length; i += 10_000) await refreshConversationStats(pgRunner(client), ids.slice(i, i + 10_000));
    await client.query('VACUUM ANALYZE');
    log(`  set up in ${((performance.now() - phase) / 1000).toFixed(1)} s`);
    if (KEEP) fs.writeFileSync(loadedMarker, new Date().toISOString());
  }
  if (!IMPORT_ONLY) await measureAll();
  await client.end();

  async function measureAll() {
    const actor = { id: 'bench-r1', email: 'r1@bench.test', name: 'Reviewer 1', role: 'reviewer' as const };
    const { listConversations, listStatements, viewWhereSql } = await import('../conversations/list-conversations');
    const { CONVERSATION_FILTERS, listParamsSchema, uncertaintyCursor } = await import('../conversations/list-params');
    const { overallProgress } = await import('../conversations/get-conversation');
    const { claimNextConversation } = await import('../labeling/queue');
    const { labelTurn } = await import('../labeling/label-turn');

    // The raw-SQL twin of listConversations: the very statements it builds, sent over plain pg
    // (the page, the capped count and the planned estimate at once).
    const rawPool = new pg.Pool({ connectionString: url, max: 4 });
    const rawList = async (params: ReturnType<typeof listParamsSchema.parse>) => {
      const sql = listStatements(actor, params);
      await Promise.all([
        rawPool.query(sql.page.text, sql.page.values),
        rawPool.query(sql.count.text, sql.count.values),
        rawPool.query(sql.estimate.text, sql.estimate.values),
      ]);
    };

    // Every filter in every sort the conversations page offers, two searches, and deep pages.
    const sorts = ['recent', 'oldest', 'uncertain'] as const;
    const cases: [string, Record<string, unknown>][] = [
      ...Object.keys(CONVERSATION_FILTERS).flatMap((filter) =>
        sorts.map((sort): [string, Record<string, unknown>] => [`list: ${filter}, ${sort}`, { filter, sort }]),
      ),
      ['list: search "forklift"', { q: 'forklift' }],
      ['list: search "forklift", uncertain', { q: 'forklift', sort: 'uncertain' }],
      ['list: search "reschedule interview"', { q: 'reschedule interview' }],
      ['list: search "bench-4711" (an id)', { q: 'bench-4711' }],
    ];
    const deep = await client.query<{ last_activity_at: Date; id: number }>(
      'SELECT last_activity_at, id FROM conversations ORDER BY last_activity_at DESC, id DESC OFFSET $1 LIMIT 1',
      [Math.floor(CONVERSATIONS / 2)],
    );
    const middle = `${deep.rows[0].last_activity_at.getTime()}_${deep.rows[0].id}`;
    const deepUnsure = await client.query<{ v: number; id: number }>(
      'SELECT min_suggestion_confidence AS v, id FROM conversations WHERE min_suggestion_confidence < 1 ORDER BY min_suggestion_confidence, id OFFSET $1 LIMIT 1',
      [Math.floor(CONVERSATIONS / 200)],
    );
    const page = Math.floor(CONVERSATIONS / 100) + 1;
    cases.push(
      [`list: all, page ${page} (after a cursor)`, { after: middle }],
      [`list: all, page ${page} back (before a cursor)`, { before: middle }],
      [`list: unlabeled, page ${page}`, { filter: 'unlabeled', after: middle }],
    );
    if (deepUnsure.rows[0])
      cases.push([`list: uncertain, deep page`, { sort: 'uncertain', after: uncertaintyCursor(Number(deepUnsure.rows[0].v), deepUnsure.rows[0].id) }]);
    for (const [name, raw] of cases.filter(([n]) => wanted(n))) {
      log(`measuring ${name}…`);
      const params = listParamsSchema.parse(raw);
      const ours = await measure(RUNS, () => listConversations(actor, params));
      const rawTimes = await measure(RUNS, () => rawList(params));
      results.push({ op: name, ours, raw: rawTimes, target: 100 });
      log(`  ours p95 ${ms(ours.p95)}, raw p95 ${ms(rawTimes.p95)}`);
    }

    if (wanted('progress')) log('measuring progress…');
    if (wanted('progress'))
      results.push({
        op: 'progress (my turns / all turns)',
        ours: await measure(RUNS * 4, () => overallProgress(actor)),
        raw: await measure(RUNS * 4, () =>
          client.query(`SELECT key, sum(delta) FROM labeling_totals WHERE key = ANY($1::text[]) GROUP BY key`, [['turns', `reviewer:${actor.id}`]]),
        ),
        target: 50,
      });

    // "Next needing me": a reviewer presses n again and again without labeling, so every claim
    // must walk past the ones just left (up to 200 excluded) to a new conversation.
    for (const [name, view, who] of [
      ['next needing me (all, recent)', { q: '', filter: 'all', sort: 'recent' }, 'bench-r4'],
      ['next needing me (unlabeled, oldest)', { q: '', filter: 'unlabeled', sort: 'oldest' }, 'bench-r5'],
      ['next needing me (search "forklift")', { q: 'forklift', filter: 'all', sort: 'recent' }, 'bench-r3'],
    ] as const) {
      if (!wanted(name)) continue;
      log(`measuring ${name}…`);
      const claimer = { ...actor, id: who, email: `${who.slice(-2)}@bench.test` };
      let current: number | null = null;
      const left: number[] = [];
      const ours = await measure(RUNS * 2, async () => {
        const claim = await claimNextConversation(claimer, view, { currentId: current, exclude: left.slice(-200) });
        if (current) left.push(current);
        current = claim?.conversationId ?? null;
      });
      // Raw: the same first look (the open-conversation index, the view, the exclusions, the
      // row lock) and the lease insert, without the needs-me and slot re-checks.
      const where = viewWhereSql(claimer, { q: view.q, filter: view.filter });
      const rawLeft: number[] = [];
      const raw = await measure(RUNS * 2, async () => {
        await client.query('BEGIN');
        const order = view.sort === 'oldest' ? 'ASC' : 'DESC';
        const r = await client.query<{ id: number }>(
          `SELECT c.id FROM conversations c WHERE NOT c.is_golden AND c.recruiter_turns > 0 AND c.min_turn_labels < 1 AND ${where.text.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + 1}`)}
           AND c.id <> ALL($1::int[]) ORDER BY c.last_activity_at ${order}, c.id ${order} LIMIT 1 FOR NO KEY UPDATE OF c SKIP LOCKED`,
          [rawLeft.slice(-200), ...where.values],
        );
        if (r.rows[0]) {
          await client.query(
            `INSERT INTO labeling_leases (conversation_id, reviewer_id, claimed_at, expires_at) VALUES ($1, 'bench-r2', now(), now() + interval '10 minutes')
           ON CONFLICT (conversation_id, reviewer_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
            [r.rows[0].id],
          );
          rawLeft.push(r.rows[0].id);
        }
        await client.query('COMMIT');
      });
      results.push({ op: name, ours, raw, target: 50 });
      log(`  ours p95 ${ms(ours.p95)}, raw p95 ${ms(raw.p95)}`);
    }

    if (wanted('label write')) await measureLabelWrite();
    await rawPool.end();

    async function measureLabelWrite() {
      log('measuring the label write path…');
      const turns = (
        await client.query<{ id: number }>(`SELECT id FROM messages WHERE sender = 'recruiter' ORDER BY (id::bigint * 7919) % 1000003 LIMIT 2000`)
      ).rows.map((r) => r.id);
      const values = ['END', 'CONTINUE', 'SCHEDULE', null] as const;
      const writer = { ...actor, id: 'bench-r2' };
      const ours = await measure(500, (i) => labelTurn(writer, { messageId: turns[i % 1000], value: values[i % 4] }));
      // The previous write path, an interactive transaction of the same steps (lock, read after
      // it, label + history, the counter statements), on other turns in the same run.
      const { lockRecruiterTurn, TURN_WRITE_TRANSACTION } = await import('../labeling/turn-actions-rules');
      const { writeLabelInLockedTurn } = await import('../labeling/label-turn');
      const { db } = await import('../db');
      const previousWrite = (reviewerId: string, messageId: number, value: (typeof values)[number]) =>
        db().$transaction(async (tx) => {
          const { conversationId, current } = await lockRecruiterTurn(tx, messageId, reviewerId, 'labeled');
          if (current.label === value) return;
          if (await writeLabelInLockedTurn(tx, { messageId, conversationId, reviewerId, value, source: 'ui' }))
            await refreshConversationStats(tx, [conversationId]);
        }, TURN_WRITE_TRANSACTION);
      const previous = await measure(500, (i) => previousWrite('bench-r4', turns[i % 1000], values[i % 4]));
      // Round trips of one changed write each way (a fresh turn and value, so both really write).
      const ourTrips = await countRoundTrips(() => labelTurn(writer, { messageId: turns[1999], value: 'END' }));
      const previousTrips = await countRoundTrips(() => previousWrite('bench-r4', turns[1999], 'END'));
      labelWriteTrips = { ours: ourTrips, previous: previousTrips };
      log(`  round trips per changed write: ${ourTrips} (previous path ${previousTrips})`);
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
      results.push({ op: 'label write, previous path', ours: previous, raw, target: 15 });
    }
  }
} catch (e) {
  console.error('benchmark failed:', e);
  process.exitCode = 1;
} finally {
  const { disconnectDb } = await import('../db');
  await disconnectDb();
  await server?.stop();
  if (!KEEP) fs.rmSync(tmp, { recursive: true, force: true });
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `\nLabeling benchmark: ${CONVERSATIONS.toLocaleString('en-US')} conversations, ${(CONVERSATIONS * 10).toLocaleString('en-US')} messages, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}\n`,
);
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
    `\nimport: ${Math.round(f.ours).toLocaleString('en-US')} messages/s (median ${f.seconds.toFixed(1)} s) vs COPY ${Math.round(f.copy).toLocaleString('en-US')} rows/s (median ${f.copySeconds.toFixed(1)} s) = ${(f.ratio * 100).toFixed(0)}% of COPY (target ≥ 40%) ${f.ratio >= 0.4 ? 'PASS' : 'FAIL'}; taking turns: COPY ${f.copyRuns.map((x) => `${x.toFixed(1)} s`).join(' / ')}, import ${f.importRuns.map((x) => `${x.toFixed(1)} s`).join(' / ')}; median CPU: import ${f.cpu.importNode.toFixed(1)} s bench process + ${f.cpu.importPg.toFixed(1)} s PostgreSQL, COPY ${f.cpu.copyNode.toFixed(1)} s + ${f.cpu.copyPg.toFixed(1)} s; load average ${f.load.copy.toFixed(1)} during COPY, ${f.load.import.toFixed(1)} during the import`,
  );
}
if (labelWriteTrips) console.log(`label write round trips: ${labelWriteTrips.ours} (previous path, an interactive transaction: ${labelWriteTrips.previous})`);
console.log(JSON.stringify({ conversations: CONVERSATIONS, import: importFigures, labelWriteTrips, operations: results }));
