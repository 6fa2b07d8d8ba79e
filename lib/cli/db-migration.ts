// npm run db:migration -- <name> — writes a new migration from changes to prisma/schema.prisma.
import { z } from 'zod';
import { resolveDatabaseUrl } from '../db/database-url';
import { createMigration } from '../db/migrate';

const name = z
  .string({ error: 'usage: npm run db:migration -- <name>' })
  .regex(/^[a-z0-9_]+$/, 'the migration name may hold only a-z, 0-9 and _')
  .safeParse(process.argv[2]);
if (!name.success) {
  console.error(name.error.issues[0].message);
  process.exit(2);
}
const { url, embedded } = await resolveDatabaseUrl();
try {
  const dir = await createMigration(url, name.data);
  console.log(dir ? `Wrote ${dir}/migration.sql` : 'No schema changes: nothing to write.');
} finally {
  await embedded?.stop();
}
