// A root user's clone in a private directory (mktemp -d, a home directory: mode 0700) starts its
// embedded PostgreSQL without any permission above the project being changed: as root the
// server runs from a copy of its binaries, on data in a root-owned state directory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stateDirFor } from './embedded/location';

const root = process.getuid?.() === 0;
const cleanup: string[] = [];

afterAll(() => {
  for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
});

/** A checkout-like copy of this repository (code and node_modules) inside a fresh 0700 directory. */
function privateCheckout(): { privateDir: string; checkout: string } {
  // Under .data/ (git-ignored) rather than /tmp: hard links need the same file system as node_modules.
  fs.mkdirSync('.data', { recursive: true });
  const privateDir = fs.mkdtempSync(path.resolve('.data', 'test-private-'));
  cleanup.push(privateDir);
  expect(fs.statSync(privateDir).mode & 0o777).toBe(0o700);
  const checkout = path.join(privateDir, 's');
  fs.mkdirSync(checkout);
  for (const f of ['package.json', 'tsconfig.json']) fs.copyFileSync(f, path.join(checkout, f));
  fs.cpSync('lib', path.join(checkout, 'lib'), { recursive: true });
  // Hard links: a real copy of node_modules inside the private directory, in about a second.
  const linked = spawnSync('cp', ['-al', 'node_modules', path.join(checkout, 'node_modules')]);
  if (linked.status !== 0) throw new Error(`cp -al node_modules failed: ${linked.stderr}`);
  return { privateDir, checkout };
}

const SCRIPT = `
import fs from 'node:fs';
import pg from 'pg';
const { resolveDatabaseUrl } = await import('./lib/db/database-url.ts');
const { readPostmasterPid } = await import('./lib/db/embedded/postmaster-pid.ts');
const { url, embedded, note } = await resolveDatabaseUrl({ quiet: true });
const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows } = await client.query("SELECT current_setting('data_directory') AS data_dir");
await client.end();
const pid = readPostmasterPid(embedded.dataDir).pid;
console.log(JSON.stringify({ dataDir: rows[0].data_dir, exe: fs.readlinkSync('/proc/' + pid + '/exe'), note, port: embedded.port }));
await embedded.stop();
`;

function runIn(checkout: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.STUDIO_STATE_DIR;
  delete env.EMBEDDED_PG_PORT;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(root)('a checkout in a 0700 directory, as root', () => {
  it(
    'starts the embedded server (fresh, on its kept data, after the checkout moved) without touching permissions above the project',
    { timeout: 120_000 },
    async () => {
      const { privateDir, checkout } = privateCheckout();
      const stateDir = stateDirFor(checkout)!;
      cleanup.push(stateDir);
      const checkoutMode = fs.statSync(checkout).mode & 0o7777;

      for (const round of ['fresh', 'again']) {
        const r = await runIn(checkout);
        expect(r.stderr, round).not.toMatch(/Error/);
        expect(r.code, round).toBe(0);
        const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { dataDir: string; exe: string; note: string };
        expect(out.dataDir).toBe(path.join(stateDir, 'pg'));
        // The server runs the state directory's copy, not the (unreachable) node_modules one.
        expect(out.exe).toBe(path.join(stateDir, 'postgres', 'bin', 'postgres'));
      }
      // A moved (renamed) checkout keeps its database: it remembers its state directory.
      const moved = path.join(privateDir, 'moved');
      fs.renameSync(checkout, moved);
      const r = await runIn(moved);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout.trim().split('\n').pop()!) as { dataDir: string }).dataDir).toBe(path.join(stateDir, 'pg'));
      fs.renameSync(moved, checkout);

      expect(fs.statSync(privateDir).mode & 0o7777).toBe(0o700);
      expect(fs.statSync(checkout).mode & 0o7777).toBe(checkoutMode);
      expect(fs.statSync(stateDir).uid).toBe(0);
      expect(fs.statSync(path.join(stateDir, 'pg-password')).mode & 0o777).toBe(0o600);
    },
  );
});
