// A plain pg pool for the decision API's hot path: two statements per decision, sent as they
// are, without the ORM's per-query work. Everything else uses lib/db.ts.
import pg from 'pg';

const globalForPool = globalThis as unknown as { advisorPool?: pg.Pool };

export function advisorPool(): pg.Pool {
  if (!globalForPool.advisorPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set. Start the Studio with `npm start`, which provides a database.');
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.ADVISOR_DB_POOL) || 10 });
    // An idle client dropped by the server (a restart, crash recovery) must not crash the web
    // process: the pool discards it and the next query opens a new connection.
    pool.on('error', (e) => console.error(`[advisor] idle database connection dropped: ${(e as Error).message.split('\n')[0]}`));
    globalForPool.advisorPool = pool;
  }
  return globalForPool.advisorPool;
}

export async function closeAdvisorPool(): Promise<void> {
  await globalForPool.advisorPool?.end();
  globalForPool.advisorPool = undefined;
}
