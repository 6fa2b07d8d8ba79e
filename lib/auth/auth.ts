// better-auth: email + password sessions stored in PostgreSQL through its Prisma adapter.
// Public sign-up is off: accounts come from `npm run user` or an admin.
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { nextCookies } from 'better-auth/next-js';
import { db } from '../db';
import { deactivatedAccountsPlugin } from './auth-deactivation-plugin';

function createAuth() {
  const port = process.env.PORT ?? '3000';
  return betterAuth({
    appName: 'Exit Advisor Studio',
    baseURL: process.env.BETTER_AUTH_URL ?? `http://localhost:${port}`,
    // `npm start` generates and persists a secret under .data/; a build needs a placeholder.
    secret: process.env.BETTER_AUTH_SECRET ?? 'development-only-secret-change-me-0123456789',
    trustedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    database: prismaAdapter(db(), { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 200 },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'reviewer', input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [deactivatedAccountsPlugin(), nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { studioAuth?: Auth };

export function auth(): Auth {
  globalForAuth.studioAuth ??= createAuth();
  return globalForAuth.studioAuth;
}
