// npm run user -- create --email E --password P --role reviewer|ml_lead|admin [--name N] [--reset]
// `create` refuses an address that already has an account; with --reset it sets that
// account's password and role instead (and signs it out everywhere) — the way back in for a
// locked-out admin from the shell.
import { createUser, createUserInput, upsertUserWithPassword } from '../auth/users';
import { InputError } from '../errors';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { disconnectDb } from '../db';
import { defineCli, parseOrExit, usage } from './flags';

const USER_CLI = defineCli({
  command: 'npm run user --',
  description: 'Creates a user who signs in with a password; with --reset, sets the password, role and name of an existing one and signs them out everywhere.',
  flags: {
    email: { type: 'string', value: 'E', required: true, help: 'their email (the sign-in name)' },
    password: { type: 'string', value: 'P', required: true, help: 'their password (at least 12 characters, not the email)' },
    role: { type: 'string', value: 'reviewer|ml_lead|admin', required: true, help: 'what they may do' },
    name: { type: 'string', value: '"Full Name"', help: 'shown in the Studio (default: the part of the email before @)' },
    reset: { type: 'boolean', help: 'the account exists: set its password and role instead of refusing' },
  },
  positionals: { name: 'create', min: 1, max: 1, help: 'the action' },
});
const USAGE = usage(USER_CLI);
const args = parseOrExit(USER_CLI);
if (args.positionals[0] !== 'create') {
  console.error(`unknown action "${args.positionals[0]}" (the action is create)\n${USAGE}`);
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
