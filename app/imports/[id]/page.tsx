import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { idText, wholeNumberText } from '@/lib/boundary/params';
import { NotFoundError } from '@/lib/errors';
import { getImportUpload } from '@/lib/imports/uploads/get-upload';
import { suggestCsvMapping } from '@/lib/imports/csv-mapping';
import { Forbidden } from '@/components/ui/forbidden';
import { ImportProgress } from '@/components/imports/import-progress';
import { CsvMappingForm } from '@/components/imports/csv-mapping-form';
import { IssueList } from '@/components/imports/issue-list';
import { formatMegabytes } from '@/lib/imports/uploads/limits';

export const metadata: Metadata = { title: 'Import' };

export default async function ImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id: rawId } = await params;
  const id = idText('the upload id').safeParse(rawId);
  if (!id.success) notFound();
  const search = await searchParams;
  const page = wholeNumberText('page', { max: 1000 }).safeParse(typeof search.page === 'string' ? search.page : '1');
  const actor = await actorOrSignIn(`/imports/${id.data}`);
  if (actor.role !== 'admin' && actor.role !== 'ml_lead') return <Forbidden message="Importing conversations needs the ML lead or admin role." />;
  const upload = await getImportUpload(actor, id.data).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const busy = upload.status === 'queued' || upload.status === 'running';
  const canMap = upload.format === 'csv' && (upload.status === 'uploaded' || upload.status === 'failed') && (upload.csvColumns?.length ?? 0) > 0;

  return (
    <div className="max-w-4xl space-y-4">
      <Link href="/conversations" className="text-sm text-slate-600 underline">
        ← All conversations
      </Link>
      <div>
        <h1 className="text-2xl font-semibold">Import {upload.fileName}</h1>
        <p className="text-sm text-slate-600">
          {upload.format.toUpperCase()} · {formatMegabytes(upload.receivedBytes)}
        </p>
      </div>

      {busy && <ImportProgress id={upload.id} initial={upload} />}

      {upload.status === 'succeeded' && upload.summary && (
        <section role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm">
          <p className="font-medium">
            Imported {upload.summary.conversations.toLocaleString('en-US')} conversation{upload.summary.conversations === 1 ? '' : 's'} (
            {upload.summary.created.toLocaleString('en-US')} new, {upload.summary.updated.toLocaleString('en-US')} updated):{' '}
            {upload.summary.messages.toLocaleString('en-US')} messages, {upload.summary.labels.toLocaleString('en-US')} labels.
          </p>
          <p className="mt-2 flex gap-4">
            <Link href="/conversations" className="text-indigo-700 underline">
              See them in the conversations list
            </Link>
            <Link href="/imports/new" className="text-indigo-700 underline">
              Import another file
            </Link>
          </p>
        </section>
      )}

      {upload.status === 'failed' && (
        <section className="space-y-3">
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
            {upload.issueCount > 0
              ? `${upload.issueCount.toLocaleString('en-US')} problem${upload.issueCount === 1 ? '' : 's'} found in ${upload.fileName}. Nothing was imported.`
              : `${upload.error ?? 'The import failed.'}`}{' '}
            {upload.format === 'csv' ? 'Fix the file and upload it again, or change the column mapping below.' : 'Fix the file and upload it again.'}
          </p>
          {upload.issueCount > 0 && <IssueList upload={upload} page={page.success ? page.data : 1} />}
          <Link href="/imports/new" className="inline-block text-sm text-indigo-700 underline">
            Upload a file again
          </Link>
        </section>
      )}

      {canMap && (
        <CsvMappingForm
          uploadId={upload.id}
          columns={upload.csvColumns!}
          initial={upload.mapping ?? suggestCsvMapping(upload.csvColumns!)}
          retry={upload.status === 'failed'}
        />
      )}
      {upload.status === 'uploaded' && !canMap && <p className="text-sm">Uploaded; the import did not start. Upload the file again.</p>}
      {upload.status === 'uploading' && (
        <p className="text-sm">
          This upload did not finish ({formatMegabytes(upload.receivedBytes)} of {formatMegabytes(upload.declaredBytes)}).{' '}
          <Link href="/imports/new" className="text-indigo-700 underline">
            Upload the file again
          </Link>
        </p>
      )}
    </div>
  );
}
