// The installation's one secret: it signs sessions (better-auth) and seals stored provider keys
// (lib/finetunes/secret-box.ts), so every web, worker and CLI process of an installation must
// hold the same one. On one machine `npm start` (and every CLI) reads it from
// .data/auth-secret, generating that file once, and hands it to its children in
// BETTER_AUTH_SECRET; on several machines the operator sets BETTER_AUTH_SECRET everywhere.
// There is no built-in fallback: a secret in the source code would sign anyone's cookies.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MIN_SECRET_LENGTH = 32;

export const AUTH_SECRET_FILE = path.join(process.cwd(), '.data', 'auth-secret');

export const HOW_TO_SET_SECRET =
  'Start the Studio with `npm start` (it generates one into .data/auth-secret and passes it on), ' +
  `or set BETTER_AUTH_SECRET to the same random value of at least ${MIN_SECRET_LENGTH} characters ` +
  '(e.g. the output of `openssl rand -base64 32`) for every web and worker process of this installation.';

/** Why this secret is unusable, or null. */
export function secretProblem(secret: string | undefined): string | null {
  if (!secret) return 'BETTER_AUTH_SECRET is not set.';
  if (secret.length < MIN_SECRET_LENGTH) return `BETTER_AUTH_SECRET is too short (${secret.length} characters; at least ${MIN_SECRET_LENGTH}).`;
  if (secret === 'development-only-secret-change-me-0123456789') return 'BETTER_AUTH_SECRET is the public example value from older releases.';
  return null;
}

/**
 * BETTER_AUTH_SECRET, else the one kept in .data/auth-secret (created the first time, readable
 * by the owner only). Sets BETTER_AUTH_SECRET so child processes inherit it.
 */
export function ensureAuthSecret(log: (line: string) => void = (line) => console.log(line)): string {
  const fromEnv = process.env.BETTER_AUTH_SECRET;
  if (fromEnv) {
    const problem = secretProblem(fromEnv);
    if (problem) throw new Error(`${problem} ${HOW_TO_SET_SECRET}`);
    return fromEnv;
  }
  if (!fs.existsSync(AUTH_SECRET_FILE)) {
    fs.mkdirSync(path.dirname(AUTH_SECRET_FILE), { recursive: true });
    try {
      // "wx": of two processes starting at once, one writes and the other reads its secret.
      fs.writeFileSync(AUTH_SECRET_FILE, crypto.randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
      log(`Generated this installation's secret into ${AUTH_SECRET_FILE} (other machines need the same value in BETTER_AUTH_SECRET).`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const secret = fs.readFileSync(AUTH_SECRET_FILE, 'utf8').trim();
  const problem = secretProblem(secret);
  if (problem) throw new Error(`${AUTH_SECRET_FILE}: ${problem} Delete the file to generate a new one, or set BETTER_AUTH_SECRET.`);
  process.env.BETTER_AUTH_SECRET = secret;
  return secret;
}

/** True while `next build` runs: it must work without the installation's secret. */
export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === 'phase-production-build';
}
