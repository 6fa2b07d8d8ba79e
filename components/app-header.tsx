import Link from 'next/link';
import { getActor } from '@/lib/auth/session';
import { ROLE_NAMES } from '@/lib/auth/roles';

/** `signOut` is the layout's server action (components do not import app/). */
export async function AppHeader({ signOut }: { signOut: () => Promise<void> }) {
  const actor = await getActor();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
        <Link href="/conversations" className="font-semibold text-indigo-700">
          Exit Advisor Studio
        </Link>
        {actor && (
          <nav aria-label="Main" className="flex gap-4 text-sm">
            <Link href="/conversations" className="hover:text-indigo-700">
              Conversations
            </Link>
            <Link href="/datasets" className="hover:text-indigo-700">
              Datasets
            </Link>
            <Link href="/fine-tunes" className="hover:text-indigo-700">
              Fine-tunes
            </Link>
            <Link href="/models" className="hover:text-indigo-700">
              Models
            </Link>
            <Link href="/evals" className="hover:text-indigo-700">
              Evaluations
            </Link>
            <Link href="/advisor" className="hover:text-indigo-700">
              Advisor
            </Link>
            <Link href="/agreement" className="hover:text-indigo-700">
              {actor.role === 'reviewer' ? 'My stats' : 'Agreement'}
            </Link>
            {actor.role === 'admin' && (
              <>
                <Link href="/admin/users" className="hover:text-indigo-700">
                  Users
                </Link>
                <Link href="/admin/providers" className="hover:text-indigo-700">
                  Providers
                </Link>
                <Link href="/admin/api-keys" className="hover:text-indigo-700">
                  API keys
                </Link>
              </>
            )}
          </nav>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {actor ? (
            <>
              <span className="text-slate-600">
                <Link href="/account" title="Your account: change password" className="hover:text-indigo-700">
                  {actor.email}
                </Link>{' '}
                · <span className="font-medium">{ROLE_NAMES[actor.role]}</span>
              </span>
              <form action={signOut}>
                <button type="submit" className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <Link href="/sign-in">Sign in</Link>
          )}
        </div>
      </div>
    </header>
  );
}
