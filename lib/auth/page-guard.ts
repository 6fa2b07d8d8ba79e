// Pages call this first: a visitor without a session goes to the sign-in page and comes
// back to where they were headed afterwards.
import { redirect } from 'next/navigation';
import { getActor, type Actor } from './session';

export async function actorOrSignIn(returnTo: string): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return actor;
}
