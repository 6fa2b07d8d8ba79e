// The password rule (lib/auth/password-policy.ts) for every better-auth endpoint that sets a
// password, and change-password always ends the user's other sessions: whoever knew the old
// password must not stay signed in.
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import { passwordProblem } from './password-policy';

const SETS_PASSWORD = new Set(['/change-password', '/set-password', '/reset-password']);

export const WEAK_PASSWORD = 'WEAK_PASSWORD';

export function passwordPolicyPlugin() {
  return {
    id: 'studio-password-policy',
    hooks: {
      before: [
        {
          matcher: (ctx) => SETS_PASSWORD.has(ctx.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const body = (ctx.body ?? {}) as { newPassword?: unknown };
            if (typeof body.newPassword !== 'string') return; // the endpoint's own schema refuses it
            const email = ctx.path === '/reset-password' ? undefined : (await getSessionFromCtx(ctx))?.user.email;
            const problem = passwordProblem(body.newPassword, email);
            if (problem) throw new APIError('BAD_REQUEST', { message: problem, code: WEAK_PASSWORD });
            if (ctx.path === '/change-password') return { context: { body: { ...ctx.body, revokeOtherSessions: true } } };
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
