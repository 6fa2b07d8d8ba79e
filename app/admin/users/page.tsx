import type { Metadata } from 'next';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { AuthError } from '@/lib/auth/errors';
import { listUsers } from '@/lib/auth/users';
import { roleSchema } from '@/lib/auth/roles';
import { formatDateTime } from '@/components/ui/format-time';
import { Forbidden } from '@/components/ui/forbidden';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
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
      <DataTable columns={['User', 'Labels', 'Since', 'Role']} caption="Users">
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
      </DataTable>
      <PaginationNav
        prevHref={after ? '/admin/users' : null}
        prevLabel="← First page"
        nextHref={nextAfter ? `/admin/users?after=${encodeURIComponent(nextAfter)}` : null}
      />
    </div>
  );
}
