// How many PostgreSQL connections one Studio process may open at most, pool by pool, so that
// N web and M worker processes on one server can be sized against its max_connections (the
// embedded server allows 200). Every pool reads its size here, so the budget a process logs
// at start is the one it really uses. See README "Beyond one machine".
import { z } from 'zod';

export type ProcessRole = 'web' | 'worker';

function poolMax(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const r = z.coerce.number().int().min(1).max(1000).safeParse(raw.trim());
  if (!r.success) throw new Error(`${name} must be a whole number of connections from 1 to 1000 (got "${raw}")`);
  return r.data;
}

/** The Prisma client's pool (lib/db.ts), in every process. */
export const prismaPoolMax = () => poolMax('DATABASE_POOL_MAX', 10);

/** pg-boss's pool (lib/jobs/queue.ts): the worker fetches, heartbeats and supervises; a web process or CLI only sends. */
export const queuePoolMax = (role: ProcessRole | 'client') => poolMax('PGBOSS_POOL_MAX', role === 'worker' ? 6 : 2);

/** The decision API's own pool (lib/advisor/pool.ts reads the same variable), in web processes and the worker's live merge. */
export const advisorPoolMax = () => Number(process.env.ADVISOR_DB_POOL) || 10;

// Connections outside the pools, opened per piece of work and closed after it. The worker runs
// one dataset build (a reader and a writer), one browser import and one fine-tune launch (its
// upload streams the JSONL from a connection of its own) at a time: QUEUE concurrency 1 each.
const WORKER_DEDICATED = { build: 2, import: 1, upload: 1 };

export interface ConnectionBudget {
  role: ProcessRole;
  total: number;
  parts: { what: string; connections: number; setting?: string }[];
  /** Connections beyond the total that grow with the work (per download in flight). */
  extra?: string;
}

export function connectionBudget(role: ProcessRole): ConnectionBudget {
  const parts: ConnectionBudget['parts'] = [
    { what: 'Prisma', connections: prismaPoolMax(), setting: 'DATABASE_POOL_MAX' },
    { what: 'queue', connections: queuePoolMax(role), setting: 'PGBOSS_POOL_MAX' },
    { what: role === 'web' ? 'decision API' : 'live merge', connections: advisorPoolMax(), setting: 'ADVISOR_DB_POOL' },
  ];
  if (role === 'worker') {
    parts.push({ what: 'dataset build', connections: WORKER_DEDICATED.build });
    parts.push({ what: 'import', connections: WORKER_DEDICATED.import });
    parts.push({ what: 'fine-tune upload', connections: WORKER_DEDICATED.upload });
  }
  return {
    role,
    total: parts.reduce((n, p) => n + p.connections, 0),
    parts,
    ...(role === 'web' ? { extra: '1 per dataset file download or labels export in flight' } : {}),
  };
}

/** One line for the process's start-up log. */
export function describeConnectionBudget(b: ConnectionBudget): string {
  const parts = b.parts.map((p) => `${p.what} ${p.connections}${p.setting ? ` (${p.setting})` : ''}`).join(' + ');
  return `database connections: at most ${b.total} = ${parts}${b.extra ? `, plus ${b.extra}` : ''}`;
}
