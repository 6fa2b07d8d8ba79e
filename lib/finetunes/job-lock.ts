// One launcher per run at a time, across processes (worker, a second worker, the CLI's
// --wait): a PostgreSQL session advisory lock on a connection of its own. If the process dies
// the connection closes and the lock goes with it, so a crash never leaves a run locked.
import pg from 'pg';

// Arbitrary namespace ("FT") for the two-key form pg_advisory_lock(int, int).
const LOCK_NAMESPACE = 0x4654;

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  // Idle while the lock is held: a dropped connection (database restart) must not crash the
  // process; the lock went with it and the caller's own queries fail and are retried.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Runs `fn` holding the run's launch lock, waiting for it if another process has it. */
export async function withLaunchLock<T>(jobId: number, fn: () => Promise<T>): Promise<T> {
  const client = await connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, jobId]);
    return await fn();
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `fn(true)` holding the lock when it is free right now, else `fn(false)` without it. */
export async function tryLaunchLock<T>(jobId: number, fn: (locked: boolean) => Promise<T>): Promise<T> {
  const client = await connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_NAMESPACE, jobId]);
    return await fn(rows[0].locked);
  } finally {
    await client.end().catch(() => {});
  }
}
