import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { pageId } from '@/lib/boundary/page-params';
import { canCreateDatasets, getDatasetVersion, listVersionExamples, splitTotals } from '@/lib/datasets/queries';
import { datasetParamsSchema, describePolicy, SPLITS, type SplitName } from '@/lib/datasets/params';
import { EXPORT_FILES } from '@/lib/datasets/export-files';
import { exclusionsSchema, preflightReportSchema, splitCountsSchema, tokenSummarySchema } from '@/lib/datasets/stored-json';
import { parseStoredOrNull } from '@/lib/stored-json';
import { LABEL_VALUES, labelValueSchema } from '@/lib/labeling/label-values';
import { formatDateTime } from '@/components/ui/format-time';
import { StatusBadge } from '@/components/datasets/status-badge';
import { BuildProgress } from '@/components/datasets/build-progress';
import { PreflightPanel } from '@/components/datasets/preflight-panel';
import { SplitDistribution } from '@/components/datasets/split-distribution';
import { ExclusionsTable } from '@/components/datasets/exclusions-table';
import { TokenDistribution } from '@/components/datasets/token-distribution';
import { ExamplePreview } from '@/components/datasets/example-preview';

export const metadata: Metadata = { title: 'Dataset' };

type Search = { split?: string; label?: string; after?: string };

export default async function DatasetVersionPage({ params, searchParams }: { params: Promise<{ versionId: string }>; searchParams: Promise<Search> }) {
  const { versionId } = await params;
  const search = await searchParams;
  const actor = await actorOrSignIn(`/datasets/${versionId}`);
  const found = await getDatasetVersion(actor, pageId(versionId));
  if (!found) notFound();
  const { version: v, siblings } = found;
  const p = datasetParamsSchema.parse(v.params);
  const counts = parseStoredOrNull(splitCountsSchema, v.counts, 'dataset_versions.counts');
  const totals = splitTotals(counts);
  const exclusions = parseStoredOrNull(exclusionsSchema, v.exclusions, 'dataset_versions.exclusions');
  const checks = parseStoredOrNull(preflightReportSchema, v.checks, 'dataset_versions.checks');
  const tokenStats = parseStoredOrNull(tokenSummarySchema, v.tokenStats, 'dataset_versions.token_stats');
  const canCreate = canCreateDatasets(actor) && v.dataset.ownerId === actor.id;

  const split: SplitName = SPLITS.includes(search.split as SplitName) ? (search.split as SplitName) : 'train';
  const label = labelValueSchema.safeParse(search.label).data;
  const after = search.after && /^\d{1,9}$/.test(search.after) ? Number(search.after) : undefined;
  const examples = v.status === 'ready' ? await listVersionExamples(actor, v.id, { split, label, after }) : null;

  return (
    <div className="space-y-6">
      <Link href="/datasets" className="text-sm text-indigo-700 hover:underline">
        ← Datasets
      </Link>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">
            {v.dataset.name} <span className="text-slate-500">v{v.version}</span> <StatusBadge status={v.status} />
          </h1>
          <p className="text-sm text-slate-600">
            Created {formatDateTime(v.createdAt)} by {v.createdBy.email}
            {v.contentHash && (
              <>
                {' '}
                · content hash{' '}
                <code className="font-mono text-xs" title={v.contentHash}>
                  {v.contentHash.slice(0, 16)}…
                </code>
              </>
            )}
          </p>
        </div>
        <div className="flex gap-2">
          {canCreateDatasets(actor) && v.status === 'ready' && (
            <Link href={`/evals/new?version=${v.id}`} className="rounded border border-indigo-300 px-3 py-2 text-sm text-indigo-700 hover:bg-indigo-50">
              Evaluate a model on it
            </Link>
          )}
          {canCreateDatasets(actor) && v.status === 'ready' && checks?.trainable && (
            <Link href={`/fine-tunes/new?version=${v.id}`} className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
              Fine-tune this version
            </Link>
          )}
          {canCreate && (
            <Link href={`/datasets/new?from=${v.id}`} className="rounded border border-indigo-300 px-3 py-2 text-sm text-indigo-700 hover:bg-indigo-50">
              New version from these parameters
            </Link>
          )}
        </div>
      </header>

      {(v.status === 'queued' || v.status === 'building') && (
        <BuildProgress
          versionId={v.id}
          initial={{
            status: v.status,
            progressPhase: v.progressPhase,
            progressDone: v.progressDone,
            progressTotal: v.progressTotal,
            batchesDone: v.batchesDone,
            batchesTotal: v.batchesTotal,
            error: v.error,
          }}
        />
      )}
      {v.status === 'failed' && (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-800">
          {v.error ?? 'The build failed.'}
        </p>
      )}

      {v.status === 'ready' && counts && (
        <>
          <section aria-labelledby="downloads" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="downloads" className="mb-2 font-medium">
              Download
            </h2>
            <div className="flex flex-wrap gap-2">
              {EXPORT_FILES.map((f) => (
                <a
                  key={f}
                  href={`/api/datasets/versions/${v.id}/files/${f}`}
                  download
                  className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
                >
                  {f}
                </a>
              ))}
            </div>
            <p className="mt-2 text-xs text-slate-500">
              {v.exampleCount.toLocaleString('en-US')} examples: {totals.train.toLocaleString('en-US')} train, {totals.validation.toLocaleString('en-US')}{' '}
              validation, {totals.test.toLocaleString('en-US')} test. The manifest lists the conversation and message of every line.
              {exclusions?.sameContentAs ? ` Identical files to v${exclusions.sameContentAs}.` : ''}
            </p>
          </section>

          {checks && <PreflightPanel report={checks} />}
          <SplitDistribution counts={counts} />
          {exclusions && <ExclusionsTable exclusions={exclusions} />}
          {checks && tokenStats && <TokenDistribution summary={tokenStats} report={checks} />}
        </>
      )}

      <section aria-labelledby="params" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="params" className="mb-2 font-medium">
          Parameters
        </h2>
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-slate-500">Label policy</dt>
          <dd>{describePolicy(p.policy)}</dd>
          <dt className="text-slate-500">Splits</dt>
          <dd>
            train {p.split.train} / validation {p.split.validation} / test {p.split.test}, seed {p.seed}
          </dd>
          <dt className="text-slate-500">Transcript</dt>
          <dd>{p.context === 'all' ? 'all earlier messages' : `last ${p.context} messages`}</dd>
          <dt className="text-slate-500">Turns without a candidate message before them</dt>
          <dd>{p.includeTurnsWithoutCandidate ? 'included' : 'left out'}</dd>
          <dt className="text-slate-500">Conversations</dt>
          <dd>{p.search ? `matching “${p.search}”` : 'all with labeled turns'}</dd>
        </dl>
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-indigo-700">Advisor instructions (system message)</summary>
          <pre className="mt-2 whitespace-pre-wrap rounded bg-slate-50 p-3 text-xs">{p.instructions}</pre>
        </details>
      </section>

      {examples && (
        <ExamplePreview
          versionId={v.id}
          split={split}
          label={label ?? null}
          examples={examples.examples}
          nextAfter={examples.nextAfter}
          paged={after !== undefined}
          totals={totals}
          labels={LABEL_VALUES}
        />
      )}

      {siblings.length > 1 && (
        <section aria-labelledby="versions" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="versions" className="mb-2 font-medium">
            Versions of {v.dataset.name}
          </h2>
          <ul className="space-y-1 text-sm">
            {siblings.map((s) => (
              <li key={s.id}>
                {s.id === v.id ? (
                  <span className="font-medium">v{s.version} (this one)</span>
                ) : (
                  <Link href={`/datasets/${s.id}`} className="text-indigo-700 hover:underline">
                    v{s.version}
                  </Link>
                )}{' '}
                <StatusBadge status={s.status} /> <span className="text-slate-500">{formatDateTime(s.createdAt)}</span>{' '}
                {s.contentHash && <code className="font-mono text-xs">{s.contentHash.slice(0, 12)}</code>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
