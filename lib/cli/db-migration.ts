// npm run db:migration -- <name> — writes a new migration from changes to prisma/schema.prisma.
import { z } from 'zod';
import { resolveDatabaseUrl } from '../db/database-url';
import { createMigration } from '../db/migrate';
import { defineCli, parseOrExit } from './flags';

const {
  positionals: [raw],
} = parseOrExit(
  defineCli({
    command: 'npm run db:migration --',
    description: 'Writes a new migration (prisma/migrations/<time>_<name>/migration.sql) from the changes to prisma/schema.prisma.',
    flags: {},
    positionals: { name: '<name>', min: 1, max: 1, help: 'what the migration does, in a-z, 0-9 and _' },
  }),
);
const name = z
  .string()
  .regex(/^[a-z0-9_]+$/, 'the migration name may hold only a-z, 0-9 and _')
  .safeParse(raw);
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
