import { db } from '../db';
import { timed, type CheckResult } from './checks';

/** A round trip through the process's own pool, the path every page's query takes. */
export function checkDatabase(timeoutMs: number): Promise<CheckResult> {
  return timed(timeoutMs, async () => {
    await db().$queryRaw`SELECT 1`;
    return { status: 'ok' };
  });
}
