// The role check alone, without the session code (next/headers): the route wrapper's core and
// the API-key code also run outside Next (the web process's fast path, CLIs).
import { ForbiddenError } from './errors';
import type { Role } from './roles';

export function assertRole(actor: { role: Role }, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) {
    throw new ForbiddenError(`This needs the ${roles.join(' or ')} role; you are ${actor.role}.`);
  }
}
