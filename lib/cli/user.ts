// npm run user -- create --email E --password P --role reviewer|ml_lead|admin [--name N]
import { createUserInput, upsertUserWithPassword } from '../auth/users';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { disconnectDb } from '../db';
import { defineCli, parseOrExit, usage } from './flags';

const USER_CLI = defineCli({
  command: 'npm run user --',
  description: 'Creates a user who signs in with a password, or updates the password, role and name of an existing one.',
  flags: {
    email: { type: 'string', value: 'E', required: true, help: 'their email (the sign-in name)' },
    password: { type: 'string', value: 'P', required: true, help: 'their password' },
    role: { type: 'string', value: 'reviewer|ml_lead|admin', required: true, help: 'what they may do' },
    name: { type: 'string', value: '"Full Name"', help: 'shown in the Studio (default: the part of the email before @)' },
  },
  positionals: { name: 'create', min: 1, max: 1, help: 'the action' },
});
const USAGE = usage(USER_CLI);
const args = parseOrExit(USER_CLI);
if (args.positionals[0] !== 'create') {
  console.error(`unknown action "${args.positionals[0]}" (the action is create)\n${USAGE}`);
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
  const res = await upsertUserWithPassword(parsed.data);
  console.log(`${res.created ? 'Created' : 'Updated'} ${parsed.data.email} (${parsed.data.role}).`);
  console.log(JSON.stringify({ id: res.id, email: parsed.data.email, role: parsed.data.role, created: res.created }));
} finally {
  await disconnectDb();
  await embedded?.stop();
}
