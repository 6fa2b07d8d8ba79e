// Puts lib/auth/sign-in-throttle.ts in front of every endpoint that checks a password, for
// HTTP calls (/api/auth/…) and auth.api calls (the sign-in server action) alike.
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { clientIp } from './client-ip';
import { forgiveSignInAttempt, registerSignInAttempt, throttleMessage } from './sign-in-throttle';

const PASSWORD_CHECKS = new Set(['/sign-in/email', '/change-password']);

export const TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS';

export function signInThrottlePlugin() {
  return {
    id: 'studio-sign-in-throttle',
    hooks: {
      before: [
        {
          matcher: (ctx) => PASSWORD_CHECKS.has(ctx.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const email = ctx.path === '/sign-in/email' ? bodyEmail(ctx.body) : (await getSessionFromCtx(ctx))?.user.email;
            if (!email) return; // nobody to guess for: the endpoint refuses it itself
            const verdict = await registerSignInAttempt({ email, client: clientIp(ctx.headers ?? new Headers()) });
            if (!verdict.allowed) {
              throw new APIError(
                'TOO_MANY_REQUESTS',
                { message: throttleMessage(verdict.retryAfterSeconds), code: TOO_MANY_ATTEMPTS, retryAfterSeconds: verdict.retryAfterSeconds },
                { 'Retry-After': String(verdict.retryAfterSeconds) },
              );
            }
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => PASSWORD_CHECKS.has(ctx.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned;
            if (!returned || isAPIError(returned) || returned instanceof Response) return;
            const email = (returned as { user?: { email?: unknown } }).user?.email;
            if (typeof email === 'string') await forgiveSignInAttempt({ email, client: clientIp(ctx.headers ?? new Headers()) });
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}

function bodyEmail(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.length <= 320 ? email : null;
}
