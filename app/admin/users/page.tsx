import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { AuthError } from '@/lib/auth/errors';
import { listUsers } from '@/lib/auth/users';
import { roleSchema } from '@/lib/auth/roles';
import { formatDateTime } from '@/components/ui/format-time';
import { Forbidden } from '@/components/ui/forbidden';
import { CreateUserForm, RoleForm } from './user-forms';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const { after } = await searchParams;
  const actor = await actorOrSignIn('/admin/users');
  let page;
  try {
    page = await listUsers(actor, { after: typeof after === 'string' ? after : undefined });
  } catch (e) {
    if (e instanceof AuthError) return <Forbidden message={e.message} />;
    throw e;
  }
  const { users, nextAfter } = page;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-medium">Add a user</h2>
        <CreateUserForm />
      </section>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-100 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">User</th>
              <th scope="col" className="px-3 py-2">Labels</th>
              <th scope="col" className="px-3 py-2">Since</th>
              <th scope="col" className="px-3 py-2">Role</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  <div className="font-medium">{u.name}</div>
                  <div className="text-xs text-slate-500">{u.email}</div>
                </td>
                <td className="px-3 py-2">{u._count.labels.toLocaleString('en-US')}</td>
                <td className="px-3 py-2">{formatDateTime(u.createdAt)}</td>
                <td className="px-3 py-2">
                  <RoleForm userId={u.id} email={u.email} role={roleSchema.parse(u.role)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pagination" className="flex justify-between text-sm">
        {after ? (
          <Link href="/admin/users" className="rounded border bg-white px-3 py-1 hover:bg-slate-100">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {nextAfter && (
          <Link href={`/admin/users?after=${encodeURIComponent(nextAfter)}`} className="rounded border bg-white px-3 py-1 hover:bg-slate-100">
            Next →
          </Link>
        )}
      </nav>
    </div>
  );
}
