// better-auth: email + password sessions stored in PostgreSQL through its Prisma adapter.
// Public sign-up is off: accounts come from `npm run user` or an admin.
import crypto from 'node:crypto';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { nextCookies } from 'better-auth/next-js';
import { db } from '../db';
import { deactivatedAccountsPlugin } from './auth-deactivation-plugin';
import { signInThrottlePlugin } from './auth-throttle-plugin';
import { passwordPolicyPlugin } from './auth-password-plugin';
import { ensureAuthSecret, HOW_TO_SET_SECRET, isBuildPhase, secretProblem } from './secret';

// A production web process takes the secret from its environment only (instrumentation.ts
// refuses to start without one); development and tests use the one in .data/. `next build`
// renders nothing that signs a cookie, so it gets a throwaway value it never keeps.
function sessionSecret(): string {
  if (isBuildPhase()) return process.env.BETTER_AUTH_SECRET || crypto.randomBytes(32).toString('base64url');
  if (process.env.NODE_ENV === 'production') {
    const problem = secretProblem(process.env.BETTER_AUTH_SECRET);
    if (problem) throw new Error(`${problem} ${HOW_TO_SET_SECRET}`);
    return process.env.BETTER_AUTH_SECRET!;
  }
  return ensureAuthSecret();
}

function createAuth() {
  const port = process.env.PORT ?? '3000';
  const baseURL = process.env.BETTER_AUTH_URL ?? `http://localhost:${port}`;
  return betterAuth({
    appName: 'Exit Advisor Studio',
    baseURL,
    secret: sessionSecret(),
    trustedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    database: prismaAdapter(db(), { provider: 'postgresql' }),
    // The length rule is checked here too; the full rule (lib/auth/password-policy.ts) by
    // passwordPolicyPlugin, for every endpoint that sets a password.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 200 },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'reviewer', input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    // better-auth's own limiter counts requests per IP and path, and skips auth.api calls (our
    // sign-in form is a server action calling auth.api); signInThrottlePlugin counts attempts
    // per account and per client in PostgreSQL instead, for both.
    rateLimit: { enabled: false },
    advanced: { useSecureCookies: baseURL.startsWith('https://') },
    telemetry: { enabled: false },
    plugins: [passwordPolicyPlugin(), signInThrottlePlugin(), deactivatedAccountsPlugin(), nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { studioAuth?: Auth };

export function auth(): Auth {
  globalForAuth.studioAuth ??= createAuth();
  return globalForAuth.studioAuth;
}
