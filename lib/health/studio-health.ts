// What /api/health reports: the database, the background worker and the local trainer, each
// checked for real on every call, so an outside supervisor (systemd, a load balancer, Docker)
// can act on the answer. Unauthenticated by design; holds nothing an anonymous caller may not see.
import { checkDatabase } from './check-database';
import { checkTrainer } from './check-trainer';
import { checkWorker } from './check-worker';
import type { CheckResult } from './checks';

// Short, but room for a web process's first call, which also starts its queue client.
const TIMEOUT_MS = 3_000;

export interface StudioHealth {
  status: 'ok' | 'failing';
  checkedAt: string;
  checks: { database: CheckResult; worker: CheckResult; trainer: CheckResult };
  /** The names of the failing checks. */
  failing: string[];
}

export async function studioHealth(opts: { timeoutMs?: number } = {}): Promise<StudioHealth> {
  const timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  const [database, worker, trainer] = await Promise.all([checkDatabase(timeoutMs), checkWorker(timeoutMs), checkTrainer(timeoutMs)]);
  const checks = { database, worker, trainer };
  const failing = Object.entries(checks)
    .filter(([, c]) => c.status === 'failing')
    .map(([name]) => name);
  return { status: failing.length ? 'failing' : 'ok', checkedAt: new Date().toISOString(), checks, failing };
}
