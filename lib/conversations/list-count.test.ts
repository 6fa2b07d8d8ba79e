// The list's count: exact up to COUNT_CAP, then the planner's estimate, flagged as such, so
// the page can say "about N" instead of walking every match of a broad filter.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { resetWithUsers, reviewer } from '../datasets/test-fixtures';
import { aboutTotal, COUNT_CAP, listConversations, plannedRows } from './list-conversations';
import { listParamsSchema } from './list-params';

const MANY = COUNT_CAP + 500;
const IN_PROGRESS = 300;

describe('conversations list count', () => {
  beforeAll(async () => {
    await resetWithUsers();
    await db().$executeRaw`
      INSERT INTO conversations (external_id, last_activity_at, updated_at, recruiter_turns, labeled_turns)
      SELECT 'count-' || g, now() - g * interval '1 minute', now(), 2, CASE WHEN g <= ${IN_PROGRESS} THEN 1 ELSE 0 END
      FROM generate_series(1, ${MANY}) g`;
    await db().$executeRaw`ANALYZE conversations`;
  });

  it('is exact up to the cap', async () => {
    const page = await listConversations(reviewer, listParamsSchema.parse({ filter: 'in_progress' }));
    expect([page.total, page.totalEstimated]).toEqual([IN_PROGRESS, false]);
  });

  it('past the cap is the planner estimate, marked as one, and never below the cap', async () => {
    const page = await listConversations(reviewer, listParamsSchema.parse({}));
    expect(page.totalEstimated).toBe(true);
    expect(page.total).toBeGreaterThanOrEqual(COUNT_CAP);
    // ANALYZE has just counted the table: the estimate is the table's size, to two digits.
    expect(page.total).toBe(aboutTotal(MANY));
    // The page itself is unaffected: a full page and a way on.
    expect(page.rows).toHaveLength(50);
    expect(page.nextCursor).not.toBeNull();
  });

  it('rounds an estimate to two significant digits, and reads EXPLAIN output in either shape', () => {
    expect(aboutTotal(187_654)).toBe(190_000);
    expect(aboutTotal(1_049)).toBe(1_000);
    // The planner may guess fewer than the count already passed: never below the cap.
    expect(aboutTotal(12)).toBe(COUNT_CAP);
    expect(aboutTotal(9_960_000)).toBe(10_000_000);
    const plan = [{ Plan: { 'Node Type': 'Seq Scan', 'Plan Rows': 4321 } }];
    expect(plannedRows(plan)).toBe(4321);
    expect(plannedRows(JSON.stringify(plan))).toBe(4321);
    expect(plannedRows(null)).toBe(0);
  });
});
