// The session-signing secret: BETTER_AUTH_SECRET when set, else one generated once and kept
// under .data/ so sessions survive restarts of a single-machine install.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function ensureAuthSecret(): string {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  const file = path.join(process.cwd(), '.data', 'auth-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  process.env.BETTER_AUTH_SECRET = fs.readFileSync(file, 'utf8').trim();
  return process.env.BETTER_AUTH_SECRET;
}
