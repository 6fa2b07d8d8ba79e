// npm run user -- create --email E --password P --role reviewer|ml_lead|admin [--name N]
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createUserInput, upsertUserWithPassword } from '../auth/users';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { disconnectDb } from '../db';

const USAGE = 'usage: npm run user -- create --email E --password P --role reviewer|ml_lead|admin [--name "Full Name"]';

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  });
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.positionals[0] !== 'create') {
  console.error(USAGE);
  process.exit(2);
}
const parsed = createUserInput.safeParse(args.values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  console.error(USAGE);
  process.exit(2);
}
const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
try {
  await applyPendingMigrations(url);
  const res = await upsertUserWithPassword(args.values as z.input<typeof createUserInput>);
  console.log(`${res.created ? 'Created' : 'Updated'} ${parsed.data.email} (${parsed.data.role}).`);
  console.log(JSON.stringify({ id: res.id, email: parsed.data.email, role: parsed.data.role, created: res.created }));
} finally {
  await disconnectDb();
  await embedded?.stop();
}
