// `npm start` on a fresh clone must work without a separate build step, and after a
// `git pull` it must not serve a stale build: rebuild when any source is newer.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const SOURCE_DIRS = ['app', 'components', 'lib', 'public'];
const SOURCE_FILES = ['next.config.mjs', 'proxy.ts', 'instrumentation.ts', 'package-lock.json', 'postcss.config.mjs', 'tsconfig.json'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'generated' || e.name === 'node_modules' || e.name.startsWith('.')) continue;
    max = Math.max(max, newestMtime(path.join(p, e.name)));
  }
  return max;
}

export function buildIfStale(): void {
  const buildId = path.join(process.cwd(), '.next', 'BUILD_ID');
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...SOURCE_DIRS.map(newestMtime), ...SOURCE_FILES.map(newestMtime));
  if (built > newest) return;
  console.log('Building the web app (first start or sources changed)…');
  const r = spawnSync(process.execPath, [require_resolve_next(), 'build'], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error('next build failed');
}

function require_resolve_next(): string {
  return path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
}
