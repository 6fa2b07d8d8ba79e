// npm run user -- create --email E --password P --role reviewer|ml_lead|admin [--name N] [--reset]
// `create` refuses an address that already has an account; with --reset it sets that
// account's password and role instead (and signs it out everywhere) — the way back in for a
// locked-out admin from the shell.
import { parseArgs } from 'node:util';
import { createUser, createUserInput, upsertUserWithPassword } from '../auth/users';
import { InputError } from '../errors';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { disconnectDb } from '../db';

const USAGE = 'usage: npm run user -- create --email E --password P --role reviewer|ml_lead|admin [--name "Full Name"] [--reset]';

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, reset: { type: 'boolean' } },
  });
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.positionals[0] !== 'create') {
  console.error(USAGE);
  process.exit(2);
}
const { reset, ...fields } = args.values;
const parsed = createUserInput.safeParse(fields);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.') || 'input'}: ${issue.message}`);
  console.error(USAGE);
  process.exit(2);
}
const input = parsed.data;
const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let status = 0;
try {
  await applyPendingMigrations(url);
  const res = reset ? await upsertUserWithPassword(input) : { ...(await createUser(input)), created: true };
  console.log(`${res.created ? 'Created' : 'Reset'} ${input.email} (${input.role}).`);
  console.log(JSON.stringify({ id: res.id, email: input.email, role: input.role, created: res.created }));
} catch (e) {
  if (!(e instanceof InputError)) throw e;
  for (const i of e.issues) console.error(`--${i.field}: ${i.message}${i.field === 'email' && !reset ? ' (add --reset to set its password and role)' : ''}`);
  status = 1;
} finally {
  await disconnectDb();
  await embedded?.stop();
}
process.exit(status);
