import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { lenientPageId } from '@/lib/boundary/page-params';
import { canCreateDatasets, getDatasetVersion } from '@/lib/datasets/queries';
import { datasetParamsSchema, DEFAULT_PARAMS } from '@/lib/datasets/params';
import { paramsToFormValues } from '@/lib/datasets/form-values';
import { Forbidden } from '@/components/ui/forbidden';
import { DatasetForm } from './dataset-form';

export const metadata: Metadata = { title: 'New dataset' };

export default async function NewDatasetPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const { from } = await searchParams;
  const actor = await actorOrSignIn('/datasets/new');
  if (!canCreateDatasets(actor)) return <Forbidden message={`Creating datasets needs the ML lead or admin role; you are ${actor.role}.`} />;
  const fromId = lenientPageId(from);
  const base = fromId ? await getDatasetVersion(actor, fromId) : null;
  const params = base ? datasetParamsSchema.safeParse(base.version.params) : null;
  const initial = paramsToFormValues(base?.version.dataset.name ?? '', params?.success ? params.data : DEFAULT_PARAMS);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/datasets" className="text-sm text-indigo-700 hover:underline">
        ← Datasets
      </Link>
      <h1 className="text-2xl font-semibold">{base ? `New version of ${base.version.dataset.name}` : 'New dataset'}</h1>
      <p className="text-sm text-slate-600">Freezes the current labels into an immutable version. Building runs in the background; you can leave the page.</p>
      <DatasetForm initial={initial} nameLocked={!!base} />
    </div>
  );
}
