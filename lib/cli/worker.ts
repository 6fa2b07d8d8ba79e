// npm run worker — runs background jobs (dataset builds, …) against the Studio's database.
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { stopQueue } from '../jobs/queue';
import { startWorker } from '../jobs/worker';
import { defineCli, parseOrExit } from './flags';

parseOrExit(
  defineCli({
    command: 'npm run worker',
    description:
      "Runs the background jobs (dataset builds, fine-tune launches and polling, evaluation runs) against the Studio's database; several may run at once.",
    flags: {},
  }),
);

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
// Migrations take a session advisory lock: behind PgBouncer in transaction mode they need the
// server directly (DIRECT_DATABASE_URL); every other query goes through DATABASE_URL.
await applyPendingMigrations(process.env.DIRECT_DATABASE_URL || url);
await startWorker();

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await stopQueue().catch(() => {});
  await disconnectDb();
  await embedded?.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
