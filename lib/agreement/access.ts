// Who may see what of the team's agreement. ML leads and admins see everyone (pairs, queue,
// every reviewer's pace); a reviewer sees only their own stats, so nobody is ranked in front
// of their colleagues and no reviewer learns how others labeled before labeling themselves.
import type { Actor } from '../auth/session';
import { ForbiddenError } from '../errors';

export function canSeeTeamAgreement(actor: Actor): boolean {
  return actor.role === 'ml_lead' || actor.role === 'admin';
}

export function assertCanSeeTeamAgreement(actor: Actor): void {
  if (!canSeeTeamAgreement(actor)) throw new ForbiddenError(`Team agreement needs the ML lead or admin role; you are ${actor.role}.`);
}

/** Setting the final label of a turn is the same people's call. */
export function assertCanAdjudicate(actor: Actor): void {
  if (!canSeeTeamAgreement(actor)) throw new ForbiddenError(`Setting the final label needs the ML lead or admin role; you are ${actor.role}.`);
}
