// Deactivated accounts and import sources get no session: sign-in fails at the moment
// better-auth would create one (the same place its admin plugin refuses banned users), so a
// deactivated person cannot sign in at all, not just be bounced afterwards.
import type { BetterAuthPlugin } from 'better-auth';
import { APIError } from 'better-auth/api';
import { db } from '../db';
import { isImportSource } from './account-kind';

export const ACCOUNT_DEACTIVATED = 'ACCOUNT_DEACTIVATED';

export function deactivatedAccountsPlugin() {
  return {
    id: 'studio-deactivated-accounts',
    init() {
      return {
        options: {
          databaseHooks: {
            session: {
              create: {
                async before(session: { userId: string }) {
                  const u = await db().user.findUnique({ where: { id: session.userId }, select: { email: true, deactivatedAt: true } });
                  if (!u || u.deactivatedAt || isImportSource(u.email)) {
                    throw new APIError('FORBIDDEN', { message: 'This account is deactivated; an admin can reactivate it.', code: ACCOUNT_DEACTIVATED });
                  }
                },
              },
            },
          },
        },
      };
    },
  } satisfies BetterAuthPlugin;
}
