// npm start — everything one machine needs: PostgreSQL (embedded unless DATABASE_URL),
// migrations, a first admin and sample data on an empty database, then the web app.
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { db, disconnectDb } from '../db';
import { upsertUserWithPassword } from '../auth/users';
import { seedDatabase } from '../seed';
import { loadGoldenSet } from '../golden/ensure-golden-version';
import { ensureAuthSecret } from './auth-secret';
import { buildIfStale } from './build-if-stale';
import { superviseService } from './supervise-service';

const dev = process.argv.includes('--dev');
const port = process.env.PORT ?? '3000';
// Loopback by default: the Studio holds candidates' phone conversations, so reaching it from
// other machines is a decision (HOST=0.0.0.0, ideally behind a TLS proxy), not an accident.
const host = process.env.HOST || '127.0.0.1';

// The embedded server is watched for as long as we run: if it dies it is started again (crash
// recovery) on the same port, and the web app, worker and trainer reconnect on their own.
const { url, embedded, note } = await resolveDatabaseUrl({ supervise: true });
console.log(embedded ? `PostgreSQL: embedded, ${note} (${url.replace(/:[^:@]*@/, ':***@')})` : 'PostgreSQL: DATABASE_URL');
const applied = await applyPendingMigrations(url);
if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
ensureAuthSecret();

let firstAdmin: { email: string; password: string } | null = null;
if ((await db().user.count({ where: { accounts: { some: { providerId: 'credential' } } } })) === 0) {
  const email = process.env.STUDIO_ADMIN_EMAIL ?? 'admin@studio.local';
  const password = process.env.STUDIO_ADMIN_PASSWORD ?? crypto.randomBytes(9).toString('base64url');
  await upsertUserWithPassword({ email, password, role: 'admin', name: 'Studio admin' });
  firstAdmin = { email, password };
}
await seedDatabase();
// The hand-written golden set, as its own source: refreshed from lib/golden on every start so
// its conversations are there to open from any golden evaluation (never trained on).
await loadGoldenSet();
await disconnectDb();

if (!dev) buildIfStale();

// lib/cli/web.ts takes `next`'s arguments; it serves Next.js with trustworthy client addresses.
const web = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/web.ts', dev ? 'dev' : 'start', '-H', host, '-p', port], {
  stdio: 'inherit',
  env: process.env,
});
// The local trainer (unless STUDIO_TRAINER=off, e.g. when fine-tunes go to another server)
// and the background worker run beside the web app; if one dies it is restarted, pg-boss hands
// the worker's unfinished jobs to the new one and the trainer resumes its jobs from disk.
const services = [
  ...(process.env.STUDIO_TRAINER === 'off' ? [] : [superviseService('trainer', 'lib/local-trainer/cli.ts')]),
  superviseService('worker', 'lib/cli/worker.ts'),
];

const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
console.log(
  `\nExit Advisor Studio is starting at http://${shownHost}:${port}${host === '127.0.0.1' || host === 'localhost' ? ' (this machine only; HOST=0.0.0.0 serves other machines too)' : ` (listening on ${host})`}`,
);
if (firstAdmin) {
  console.log('┌──────────────────────────────────────────────────────────────');
  console.log('│ First start: an admin account was created. Sign in with');
  console.log(`│   email:    ${firstAdmin.email}`);
  console.log(`│   password: ${firstAdmin.password}`);
  console.log('│ Add people with: npm run user -- create --email E --password P --role reviewer|ml_lead|admin');
  console.log('└──────────────────────────────────────────────────────────────');
} else {
  console.log('Sign in with an existing account. Reset or add one with: npm run user -- create --email E --password P --role admin');
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  web.kill('SIGTERM');
  await Promise.all(services.map((s) => s.stop()));
  await embedded?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
web.on('exit', (code) => void shutdown(code ?? 0));
