// Who a command-line tool acts as. CLIs run with database access (an operator's shell), so
// they name an account explicitly (--as / STUDIO_USER) or fall back to the first admin; the
// role checks in lib/ then apply exactly as in the browser.
import { db } from '../db';
import type { Actor } from './session';

export async function cliActor(email?: string): Promise<Actor> {
  const wanted = email ?? process.env.STUDIO_USER;
  const user = wanted
    ? await db().user.findUnique({ where: { email: wanted } })
    : await db().user.findFirst({ where: { role: 'admin' }, orderBy: { createdAt: 'asc' } });
  if (!user) {
    throw new Error(
      wanted
        ? `no account with email ${wanted} (create one with npm run user -- create …)`
        : 'no admin account yet; start the Studio once or create one with npm run user',
    );
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
