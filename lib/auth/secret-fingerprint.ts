// Catches the mistake of a second machine (or a restarted process) running with a secret of its
// own: sessions it signs would be refused everywhere else and the provider keys stored by the
// others would not open. The first web process stores an HMAC of its secret — which says
// nothing about the secret itself — and every later one compares.
import crypto from 'node:crypto';
import { db } from '../db';

export function secretFingerprint(secret: string): string {
  return crypto.createHmac('sha256', secret).update('exit-advisor-studio/installation-secret-check').digest('base64url');
}

/** Null when `secret` is the installation's (recording it when none is yet), else why not. */
export async function secretMismatch(secret: string): Promise<string | null> {
  const mine = secretFingerprint(secret);
  const rows = await db().$queryRaw<{ fingerprint: string }[]>`
    INSERT INTO installation_secret (id, fingerprint) VALUES (1, ${mine})
    ON CONFLICT (id) DO UPDATE SET id = installation_secret.id
    RETURNING fingerprint`;
  if (rows[0]?.fingerprint === mine) return null;
  return (
    'BETTER_AUTH_SECRET differs from the secret the other processes of this installation use (the database holds ' +
    'a fingerprint of theirs). Give this process the same BETTER_AUTH_SECRET (on the first machine it is in ' +
    '.data/auth-secret). To replace the secret on purpose — every session ends and stored provider keys must be saved again — run DELETE FROM installation_secret; and restart every process with the new one.'
  );
}
