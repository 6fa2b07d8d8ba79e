// Ends a user's sessions: after a password reset or change, on deactivation. Sessions live only
// in the sessions table (no cookie cache, no secondary storage), so a deleted row is a session
// every web process refuses at its next request.
import { db } from '../db';

/** Deletes every session of the user, except the one whose token is `exceptToken`. Returns how many ended. */
export async function revokeUserSessions(userId: string, opts: { exceptToken?: string } = {}): Promise<number> {
  const { count } = await db().session.deleteMany({
    where: { userId, ...(opts.exceptToken ? { token: { not: opts.exceptToken } } : {}) },
  });
  return count;
}
