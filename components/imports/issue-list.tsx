import Link from 'next/link';
import { DataTable } from '@/components/ui/data-table';
import type { ImportUploadView } from '@/lib/imports/uploads/get-upload';

const PER_PAGE = 50;

/** The problems of a failed import, 50 a page (page in the URL), with the total. */
export function IssueList({ upload, page }: { upload: ImportUploadView; page: number }) {
  const kept = upload.issues.length;
  const pages = Math.max(1, Math.ceil(kept / PER_PAGE));
  const p = Math.min(page, pages);
  const rows = upload.issues.slice((p - 1) * PER_PAGE, p * PER_PAGE);
  const csv = upload.format === 'csv';
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">
        Showing problems {((p - 1) * PER_PAGE + 1).toLocaleString('en-US')}–{((p - 1) * PER_PAGE + rows.length).toLocaleString('en-US')} of{' '}
        {upload.issueCount.toLocaleString('en-US')}
        {upload.issueCount > kept ? ` (the first ${kept.toLocaleString('en-US')} are listed; fix these and upload again to see the rest)` : ''}.
      </p>
      <DataTable columns={['Line', csv ? 'Column' : 'Field', 'Problem']} caption={`Problems found in ${upload.fileName}`}>
        {rows.map((i, k) => (
          <tr key={k} className="border-t border-slate-100 align-top">
            <td className="px-3 py-2 tabular-nums">{i.line ?? '—'}</td>
            <td className="px-3 py-2 font-mono text-xs">{i.path}</td>
            <td className="px-3 py-2">{i.message}</td>
          </tr>
        ))}
      </DataTable>
      {pages > 1 && (
        <nav aria-label="Problem pages" className="flex justify-between text-sm">
          {p > 1 ? (
            <Link href={`/imports/${upload.id}?page=${p - 1}`} className="rounded border bg-white px-3 py-1 hover:bg-slate-100">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          <span className="self-center text-slate-600">
            Page {p} of {pages}
          </span>
          {p < pages ? (
            <Link href={`/imports/${upload.id}?page=${p + 1}`} className="rounded border bg-white px-3 py-1 hover:bg-slate-100">
              Next →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}
