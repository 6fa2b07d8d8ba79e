// npm run bench:queue-walk — how the labeling progress bar and the work queue's claim scale at
// BENCH_CONVERSATIONS (100k): the progress read from maintained totals beside the SUM over every
// conversation it replaced, and one claim when the newest half of the list is already fully
// labeled (the claim walks the activity index past every finished conversation) beside one on the
// fresh list, with the claim's plan (EXPLAIN ANALYZE of its raw-SQL twin) in both states.
import { performance } from 'node:perf_hooks';
import type { Actor } from '../auth/session';
import { latency, main, type BenchContext, type BenchRow, type BenchStep } from './queue';

const RUNS = 30;

async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const RAW_CLAIM_PLAN = `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON)
  SELECT c.id FROM conversations c
  WHERE NOT c.is_golden AND c.recruiter_turns > 0 AND c.min_turn_labels < 1
    AND c.recruiter_turns > 0 AND c.min_turn_labels < 1
  ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 1`;

async function plan(ctx: BenchContext): Promise<string> {
  const { rows } = await ctx.client.query<{ 'QUERY PLAN': string }>(RAW_CLAIM_PLAN);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

const step: BenchStep = {
  name: 'progress and claim walk',
  async run(ctx) {
    const { overallProgress } = await import('../conversations/get-conversation');
    const { claimNextConversation } = await import('../labeling/queue');
    const { db } = await import('../db');
    await ctx.client.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ('walk', 'walk', 'walk@bench', 'reviewer', now())`);
    const actor: Actor = { id: 'walk', email: 'walk@bench', name: 'walk', role: 'reviewer' };
    const rows: BenchRow[] = [];

    await overallProgress(actor); // the pool's first connection is not the read
    const ours = await time(() => overallProgress(actor));
    const raw = await time(() =>
      ctx.client.query(
        `SELECT (SELECT sum(recruiter_turns) FROM conversations WHERE NOT is_golden) AS total, (SELECT sum(labeled_turns) FROM conversation_reviewers WHERE reviewer_id = $1) AS mine`,
        ['bench-import'],
      ),
    );
    rows.push({ op: 'progress (totals vs SUM over conversations)', ours: latency(ours), raw: latency(raw), target: 50 });

    const view = { q: '', filter: 'all', sort: 'recent' } as const;
    const claim = async () => {
      const c = await claimNextConversation(actor, view, { currentId: null, exclude: [] });
      if (c) await db().labelingLease.deleteMany({ where: { conversationId: c.conversationId } });
    };
    rows.push({ op: 'claim, fresh list', ours: latency(await time(claim, 10)), raw: null, target: 50 });
    const freshPlan = await plan(ctx);
    // The newest half finished (as after weeks of labeling from the top).
    await ctx.client.query(
      `
      UPDATE conversations SET min_turn_labels = 1, labeled_turns = recruiter_turns
      WHERE id IN (SELECT id FROM conversations ORDER BY last_activity_at DESC, id DESC LIMIT $1)`,
      [Math.floor(ctx.conversations / 2)],
    );
    await ctx.client.query('VACUUM ANALYZE conversations');
    rows.push({ op: 'claim, newest half finished', ours: latency(await time(claim, 10)), raw: null, target: 50 });
    const walkedPlan = await plan(ctx);
    ctx.log(`claim plan, fresh list:\n${freshPlan}`);
    ctx.log(`claim plan, newest half finished:\n${walkedPlan}`);
    return { rows, checks: [] };
  },
};

await main([step]);
