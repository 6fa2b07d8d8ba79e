// Where the embedded PostgreSQL keeps its data. As root the server runs as the unprivileged
// `postgres` user, which cannot see into a checkout under a private directory (a home
// directory, `mktemp -d`: mode 0700) — and loosening permissions above the project is not ours
// to do. So as root the data (and a copy of the server binaries, see binaries.ts) live in a
// root-owned state directory that `postgres` can traverse, one per checkout, kept across restarts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const STATE_ROOT = '/var/lib/exit-advisor-studio';

export interface EmbeddedLocation {
  /** Root-owned directory for the binaries copy (and, unless legacy, the data): root only. */
  stateDir: string | null;
  dataDir: string;
  passwordFile: string;
  /** Why the data is where it is, for the start-up line. */
  note: string;
}

export const isRoot = () => process.getuid?.() === 0;

/** A stable name for this checkout: its directory name plus a hash of its real path. */
export function checkoutId(project = process.cwd()): string {
  const real = fs.realpathSync(project);
  const slug =
    path
      .basename(real)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) || 'root';
  return `${slug}-${crypto.createHash('sha256').update(real).digest('hex').slice(0, 12)}`;
}

/**
 * STUDIO_STATE_DIR, else (as root) the state directory this checkout used before, else
 * /var/lib/exit-advisor-studio/<checkout id>; null for other users. The checkout remembers its
 * state directory in .data/state-dir, so moving or renaming the checkout keeps its database.
 */
export function stateDirFor(project = process.cwd()): string | null {
  if (process.env.STUDIO_STATE_DIR) return path.resolve(process.env.STUDIO_STATE_DIR);
  if (!isRoot()) return null;
  const pointer = path.join(project, '.data', 'state-dir');
  try {
    const remembered = fs.readFileSync(pointer, 'utf8').trim();
    if (path.isAbsolute(remembered) && fs.existsSync(path.join(remembered, 'pg', 'PG_VERSION'))) return remembered;
  } catch {
    // first start of this checkout
  }
  const dir = path.join(STATE_ROOT, checkoutId(project));
  try {
    fs.mkdirSync(path.dirname(pointer), { recursive: true });
    fs.writeFileSync(pointer, `${dir}\n`);
  } catch {
    // a read-only checkout still works; it just does not remember
  }
  return dir;
}

/** The password file of the cluster in `dataDir`: beside it, never inside (that is postgres's). */
export function passwordFileFor(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}-password`);
}

export function embeddedLocation(project = process.cwd()): EmbeddedLocation {
  const stateDir = stateDirFor(project);
  const legacy = path.join(project, '.data', 'pg');
  if (!stateDir) return { stateDir, dataDir: legacy, passwordFile: passwordFileFor(legacy), note: 'data in .data/pg' };
  // A root install from before the state directory keeps its cluster where it is (it was made
  // reachable then); the README says how to move it.
  if (!process.env.STUDIO_STATE_DIR && fs.existsSync(path.join(legacy, 'PG_VERSION'))) {
    return {
      stateDir,
      dataDir: legacy,
      passwordFile: passwordFileFor(legacy),
      note: 'data in .data/pg (kept from an earlier install; see README "Data and backups" to move it)',
    };
  }
  const dataDir = path.join(stateDir, 'pg');
  return { stateDir, dataDir, passwordFile: passwordFileFor(dataDir), note: `data in ${dataDir}` };
}

/**
 * Creates `dir` and its missing parents as root-owned 0755 directories, so the postgres user
 * can pass through them but nobody else can write there.
 */
export function makeTraversableDir(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) fs.mkdirSync(d, { mode: 0o755 });
  // mkdir's mode is filtered by the umask; a 077 umask would hide the directory again.
  for (const d of missing) fs.chmodSync(d, 0o755);
}

/** The first directory on the way to `target` that `postgres` cannot pass through, if any. */
export function unreachableAncestor(target: string, user: { uid: number; gid: number }): string | null {
  for (let d = path.dirname(path.resolve(target)); ; d = path.dirname(d)) {
    if (!fs.existsSync(d)) continue; // created traversable when needed (makeTraversableDir)
    const st = fs.statSync(d);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return d;
    if (d === path.dirname(d)) return null;
  }
}
