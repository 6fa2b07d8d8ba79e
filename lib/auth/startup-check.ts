// A web process without the installation's secret would sign sessions with a value no other
// process shares (or, in older releases, one printed in the source); it stops at start
// instead, saying how to set it. `next build` needs no secret.
import { HOW_TO_SET_SECRET, isBuildPhase, secretProblem } from './secret';
import { secretMismatch } from './secret-fingerprint';

export async function refuseToStartWithoutSecret(): Promise<void> {
  if (isBuildPhase()) return;
  const secret = process.env.BETTER_AUTH_SECRET;
  if (process.env.NODE_ENV === 'production') {
    const problem = secretProblem(secret);
    if (problem) stop(`${problem}\n[web] ${HOW_TO_SET_SECRET}`);
  }
  if (!secret || !process.env.DATABASE_URL) return;
  let mismatch: string | null;
  try {
    mismatch = await secretMismatch(secret);
  } catch (e) {
    // The database may not be migrated yet or be briefly away; the rest of the app reports that.
    console.warn(`[web] could not compare the secret with this installation's: ${(e as Error).message}`);
    return;
  }
  if (mismatch) stop(mismatch);
}

function stop(message: string): never {
  console.error(`[web] refusing to start: ${message}`);
  process.exit(1);
}
