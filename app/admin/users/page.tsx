import type { Metadata } from 'next';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { ForbiddenError } from '@/lib/errors';
import { listImportSources, listUsers } from '@/lib/auth/users';
import { ROLE_NAMES, roleSchema } from '@/lib/auth/roles';
import { urlText } from '@/lib/boundary/params';
import { formatDateTime } from '@/components/ui/format-time';
import { Forbidden } from '@/components/ui/forbidden';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { AddUserForm, PersonActions } from './user-forms';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ after?: string | string[] }> }) {
  const { after: rawAfter } = await searchParams;
  const actor = await actorOrSignIn('/admin/users');
  // A bad cursor starts from the first page rather than failing.
  const after = urlText('after', 320).safeParse(Array.isArray(rawAfter) ? rawAfter[0] : rawAfter).data;
  let page, sources;
  try {
    [page, sources] = await Promise.all([listUsers(actor, { after }), listImportSources(actor)]);
  } catch (e) {
    if (e instanceof ForbiddenError) return <Forbidden message={e.message} />;
    throw e;
  }
  const { users, nextAfter } = page;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-medium">Add a user</h2>
        <AddUserForm />
      </section>
      <DataTable columns={['Person', 'Labels', 'Since', 'Role', 'Change']} caption="People">
        {users.map((u) => {
          const role = roleSchema.parse(u.role);
          return (
            <tr key={u.id} className={`border-t border-slate-100 ${u.deactivatedAt ? 'bg-slate-50 text-slate-500' : ''}`} data-email={u.email}>
              <td className="px-3 py-2">
                <div className="font-medium">
                  {u.name}
                  {u.id === actor.id && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
                </div>
                <div className="text-xs text-slate-500">{u.email}</div>
                {u.deactivatedAt && <div className="mt-0.5 text-xs font-medium text-amber-800">Deactivated {formatDateTime(u.deactivatedAt)}</div>}
              </td>
              <td className="px-3 py-2">{u._count.labels.toLocaleString('en-US')}</td>
              <td className="px-3 py-2">{formatDateTime(u.createdAt)}</td>
              <td className="px-3 py-2">{ROLE_NAMES[role]}</td>
              <td className="px-3 py-2">
                <PersonActions userId={u.id} email={u.email} role={role} deactivated={Boolean(u.deactivatedAt)} />
              </td>
            </tr>
          );
        })}
      </DataTable>
      <PaginationNav
        prevHref={after ? '/admin/users' : null}
        prevLabel="← First page"
        nextHref={nextAfter ? `/admin/users?after=${encodeURIComponent(nextAfter)}` : null}
      />
      <section aria-labelledby="import-sources" className="space-y-2">
        <h2 id="import-sources" className="font-medium">
          Import sources
        </h2>
        <p className="text-sm text-slate-600">
          Each imported file that carried labels owns them under an account of its own. These are not people: they have no password or role and cannot sign in.
        </p>
        {sources.length === 0 ? (
          <p className="text-sm text-slate-500">No imported labels yet.</p>
        ) : (
          <DataTable columns={['Source', 'Labels', 'First imported']} caption="Import sources">
            {sources.map((s) => (
              <tr key={s.id} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  <div className="font-medium">{s.name}</div>
                  <div className="text-xs text-slate-500">{s.email}</div>
                </td>
                <td className="px-3 py-2">{s._count.labels.toLocaleString('en-US')}</td>
                <td className="px-3 py-2">{formatDateTime(s.createdAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
