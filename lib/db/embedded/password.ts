// The embedded superuser's password: generated per cluster and kept in a file only its owner
// can read (0600), so no other local account can log in as superuser and run, say,
// `COPY … TO PROGRAM` as the postgres OS user. Clusters made before this had `studio`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const LEGACY_PASSWORD = 'studio';

export function generatePassword(): string {
  // base64url: safe inside a connection URL without escaping.
  return crypto.randomBytes(24).toString('base64url');
}

export function readPasswordFile(file: string): string | null {
  try {
    const pw = fs.readFileSync(file, 'utf8').trim();
    return pw || null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read the embedded PostgreSQL's password file ${file}: ${(e as Error).message}. Run as its owner, or set DATABASE_URL.`);
  }
}

/** Writes the file atomically with mode 0600 (whatever the umask). */
export function writePasswordFile(file: string, password: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** A password being switched to: written before ALTER ROLE, so a crash in between loses nothing. */
export const pendingPasswordFile = (file: string) => `${file}.pending`;
