// A production web process without the installation's secret would sign sessions with a value
// no other process shares (or, in older releases, one printed in the source); it stops at start
// instead, saying how to set it. `next build` needs no secret.
import { HOW_TO_SET_SECRET, isBuildPhase, secretProblem } from './secret';

export function refuseToStartWithoutSecret(): void {
  if (process.env.NODE_ENV !== 'production' || isBuildPhase()) return;
  const problem = secretProblem(process.env.BETTER_AUTH_SECRET);
  if (!problem) return;
  console.error(`[web] refusing to start: ${problem}\n[web] ${HOW_TO_SET_SECRET}`);
  process.exit(1);
}
