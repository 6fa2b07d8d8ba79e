// npm test — every check, in the order that fails fastest: types, lint, unit tests
// (real PostgreSQL), production build, browser tests (real Chromium).
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

function ensureChromium() {
  const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(exe)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium not found at ${exe}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log('Installing Debian Chromium for the browser tests…');
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

// PgBouncer is optional: e2e/multi-process.spec.ts runs its transaction-pooling variant when it
// is there and skips it (saying so) when not. As root it is a ~1 MB Debian package, so install it.
function ensurePgBouncer() {
  if (['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].some((p) => fs.existsSync(p)) || process.getuid?.() !== 0) return;
  console.log('Installing Debian PgBouncer for the multi-process test…');
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'pgbouncer'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) console.log('PgBouncer could not be installed: its variant of the multi-process test will be skipped.');
}

const steps: [string, string[]][] = [
  ['typecheck', ['run', '-s', 'typecheck']],
  ['lint', ['run', '-s', 'lint']],
  ['unit tests', ['run', '-s', 'test:unit']],
  ['build', ['run', '-s', 'build']],
  ['e2e tests', ['run', '-s', 'test:e2e']],
];

ensureChromium();
ensurePgBouncer();
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
for (const [name, args] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync('npm', args, { stdio: 'inherit', env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed after ${secs}s`);
    process.exit(r.status ?? 1);
  }
  console.log(`✓ ${name} (${secs}s)`);
}
console.log('\nAll checks passed.');
