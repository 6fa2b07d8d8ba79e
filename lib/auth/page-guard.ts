// Pages call this first: a visitor without a session goes to the sign-in page and comes
// back to where they were headed afterwards (only ever a path of ours).
import { redirect } from 'next/navigation';
import { safeNextPath } from './safe-next-path';
import { getActor, type Actor } from './session';

export async function actorOrSignIn(returnTo: string): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect(`/sign-in?next=${encodeURIComponent(safeNextPath(returnTo))}`);
  return actor;
}
