// npm run test:e2e — the Playwright suite against the production build and a real,
// throwaway PostgreSQL (or TEST_DATABASE_URL), with sample data loaded through the import code.
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { startEmbeddedPostgres } from '../lib/db/embedded-postgres';
import { applyPendingMigrations } from '../lib/db/migrate';
import { buildIfStale } from '../lib/cli/build-if-stale';
import { freePort } from '../lib/testing/free-port';
import { ACCOUNTS, E2E_PASSWORD } from './accounts';
import { fixturesJsonl } from './fixtures';

// One secret for every process of the run (this one creates users, the web app, the worker and
// the trainer), as for any installation.
process.env.BETTER_AUTH_SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-'));
// The server runs as the unprivileged postgres user when we are root: it must reach its data.
fs.chmodSync(tmp, 0o755);
const embedded = process.env.TEST_DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
const url = process.env.TEST_DATABASE_URL ?? embedded!.url;
process.env.DATABASE_URL = url;
let status = 1;
try {
  await applyPendingMigrations(url);
  // Imported lazily: these read DATABASE_URL when first used.
  const { seedDatabase } = await import('../lib/seed');
  const { importConversationsFile } = await import('../lib/imports');
  const { upsertUserWithPassword } = await import('../lib/auth/users');
  const { disconnectDb } = await import('../lib/db');
  await seedDatabase();
  const { loadGoldenSet } = await import('../lib/golden/ensure-golden-version');
  await loadGoldenSet();
  const fixtureFile = path.join(tmp, 'e2e-fixtures.jsonl');
  fs.writeFileSync(fixtureFile, fixturesJsonl());
  await importConversationsFile(fixtureFile);
  for (const a of Object.values(ACCOUNTS)) {
    await upsertUserWithPassword({ email: a.email, password: E2E_PASSWORD, role: a.role, name: a.name });
  }
  await disconnectDb();

  process.env.NEXT_TELEMETRY_DISABLED = '1';
  buildIfStale();
  const port = await freePort();
  // The bundled local trainer and the background worker, as `npm start` runs them.
  const trainerPort = await freePort();
  const services = {
    DATABASE_URL: url,
    TRAINER_URL: `http://127.0.0.1:${trainerPort}`,
    TRAINER_PORT: String(trainerPort),
    TRAINER_API_KEY: 'e2e-trainer-key',
    TRAINER_DATA_DIR: path.join(tmp, 'trainer'),
  };
  Object.assign(process.env, services);
  // `node --import tsx` (not the tsx CLI, which runs the script in a child process): the pid
  // is the service itself, so a test that kills it really kills it.
  const trainer = spawn(process.execPath, ['--import', 'tsx', 'lib/local-trainer/cli.ts'], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  const worker = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/worker.ts'], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  // Tests that kill and restart the worker find it here, and list the workers they start in
  // E2E_EXTRA_PIDS so they are stopped at the end too.
  process.env.E2E_WORKER_PID = String(worker.pid);
  process.env.E2E_EXTRA_PIDS = path.join(tmp, 'extra-pids');
  const r = spawnSync(process.execPath, [path.join('node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      DATABASE_URL: url,
      E2E_PORT: String(port),
      PORT: String(port),
      BETTER_AUTH_URL: `http://localhost:${port}`,
      // Short throttle windows, so e2e/auth-security.spec.ts can wait one out.
      SIGN_IN_THROTTLE_WINDOW_SECONDS: '20',
      SIGN_IN_MAX_ATTEMPTS_PER_CLIENT: '20',
    },
  });
  status = r.status ?? 1;
  // Let the worker close its connections before the database goes away.
  const extra = fs.existsSync(process.env.E2E_EXTRA_PIDS) ? fs.readFileSync(process.env.E2E_EXTRA_PIDS, 'utf8').split('\n').filter(Boolean).map(Number) : [];
  for (const pid of extra) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (extra.length) await new Promise((resolve) => setTimeout(resolve, 3_000));
  for (const child of [worker, trainer]) {
    child.kill('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
} finally {
  await embedded?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
