// npm run db:migrate — applies pending migrations to DATABASE_URL (or the embedded database).
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { defineCli, parseOrExit } from './flags';

parseOrExit(defineCli({ command: 'npm run db:migrate', description: 'Applies pending migrations to DATABASE_URL (or the embedded database).', flags: {} }));

const { url, embedded } = await resolveDatabaseUrl();
try {
  const applied = await applyPendingMigrations(url);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
} finally {
  await embedded?.stop();
}
