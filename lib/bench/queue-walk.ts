// npm run bench:queue-walk — how the labeling progress bar and the work queue's claim scale at
// BENCH_CONVERSATIONS (100k; the target is 1M): the progress read from maintained totals beside
// the SUM over every conversation it replaced; one claim on the fresh list and when the newest
// half of the list is already fully labeled (the claim walks the open-conversation index, not
// every finished conversation); and "next needing me" as bench:labeling presses it — one
// reviewer pressing n again and again without labeling, up to 200 conversations left behind,
// with the advisor's deferred live turns (one conversation in 500) handed out first — beside
// the raw-SQL claim doing the same work (lib/bench/queue.ts). The claim's own statement runs
// under EXPLAIN (ANALYZE, BUFFERS) in each state.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { Actor } from '../auth/session';
import { latency, main, rawClaim, type BenchContext, type BenchRow, type BenchStep } from './queue';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** The claim statement itself (lock, check, lease) under EXPLAIN, rolled back. */
async function plan(ctx: BenchContext, actor: Actor, exclude: number[] = []): Promise<string> {
  const { claimSql } = await import('../labeling/queue');
  const q = claimSql(actor, { q: '', filter: 'all', sort: 'recent' }, 1, 600, exclude);
  await ctx.client.query('BEGIN');
  const { rows } = await ctx.client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) ${q.text}`, q.values);
  await ctx.client.query('ROLLBACK');
  const lines = rows.map((r) => r['QUERY PLAN']);
  // The whole plan is long: the scans of conversations, the lease function and the totals say what a claim reads.
  return lines.filter((l, i) => i < 2 || /Scan|Rows Removed|Planning|Execution|^\s*Buffers: shared/.test(l)).join('\n');
}

export const walkStep: BenchStep = {
  name: 'progress and claim walk',
  async run(ctx) {
    const { overallProgress } = await import('../conversations/get-conversation');
    const { claimNextConversation } = await import('../labeling/queue');
    const { db } = await import('../db');
    const c = ctx.client;
    for (const id of ['walk', 'walk-n', 'walk-raw'])
      await c.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $1, $1 || '@bench', 'reviewer', now())`, [id]);
    const actor: Actor = { id: 'walk', email: 'walk@bench', name: 'walk', role: 'reviewer' };
    const rows: BenchRow[] = [];

    await overallProgress(actor); // the pool's first connection is not the read
    const ours = await time(() => overallProgress(actor));
    const raw = await time(() =>
      c.query(
        `SELECT (SELECT sum(recruiter_turns) FROM conversations WHERE NOT is_golden) AS total, (SELECT sum(labeled_turns) FROM conversation_reviewers WHERE reviewer_id = $1) AS mine`,
        ['bench-import'],
      ),
    );
    rows.push({ op: 'progress (totals vs SUM over conversations)', ours: latency(ours), raw: latency(raw), target: 50 });

    const view = { q: '', filter: 'all', sort: 'recent' } as const;
    const claim = async () => {
      const got = await claimNextConversation(actor, view, { currentId: null, exclude: [] });
      if (got) await db().labelingLease.deleteMany({ where: { conversationId: got.conversationId } });
    };
    rows.push({ op: 'claim, fresh list', ours: latency(await time(claim, 10)), raw: null, target: 50 });
    const freshPlan = await plan(ctx, actor);

    // "Next needing me" with the advisor's deferred turns first, pressed again and again.
    await c.query(
      `INSERT INTO advisor_promotions (model, provider, threshold, timeout_ms, instructions, context, promoted_by_id)
       VALUES ('bench-advisor', 'local', 0.7, 2000, '', '"all"'::jsonb, 'walk')`,
    );
    await c.query(
      `INSERT INTO advisor_decisions (external_id, conversation_id, position, decision, confidence, acted, threshold, model, promotion_id, latency_ms)
       SELECT c.external_id, c.id, 4, 'CONTINUE', 0.41, false, 0.7, 'bench-advisor', (SELECT max(id) FROM advisor_promotions), 180
       FROM conversations c WHERE c.id % 500 = 7`,
    );
    await c.query('ANALYZE advisor_decisions');
    const pressN = (next: (current: number | null, left: number[]) => Promise<number | null>) => {
      let current: number | null = null;
      const left: number[] = [];
      return async () => {
        const id = await next(current, left.slice(-200));
        if (current) left.push(current);
        current = id;
      };
    };
    const presser: Actor = { ...actor, id: 'walk-n', email: 'walk-n@bench' };
    const oursN = await time(
      pressN(async (current, left) => (await claimNextConversation(presser, view, { currentId: current, exclude: left }))?.conversationId ?? null),
      RUNS * 2,
    );
    const rawPool = new pg.Pool({ connectionString: ctx.url, max: 2 });
    const rawN = await time(
      pressN((current, left) => rawClaim(rawPool, 'walk-raw', current, left)),
      RUNS * 2,
    );
    await rawPool.end();
    rows.push({ op: 'next needing me (n pressed, deferred first)', ours: latency(oursN), raw: latency(rawN), target: 50 });
    const priorityPlan = await plan(ctx, actor);

    // The newest half finished (as after weeks of labeling from the top).
    await c.query(
      `
      UPDATE conversations SET min_turn_labels = 1, labeled_turns = recruiter_turns
      WHERE id IN (SELECT id FROM conversations ORDER BY last_activity_at DESC, id DESC LIMIT $1)`,
      [Math.floor(ctx.conversations / 2)],
    );
    await c.query('VACUUM ANALYZE conversations');
    await c.query('DELETE FROM advisor_decisions');
    rows.push({ op: 'claim, newest half finished', ours: latency(await time(claim, 10)), raw: null, target: 50 });
    const walkedPlan = await plan(ctx, actor);
    ctx.log(`claim plan, fresh list:\n${freshPlan}`);
    ctx.log(`claim plan, deferred turns first (1 in 500 conversations):\n${priorityPlan}`);
    ctx.log(`claim plan, newest half finished:\n${walkedPlan}`);
    return { rows, checks: [] };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main([walkStep]);
