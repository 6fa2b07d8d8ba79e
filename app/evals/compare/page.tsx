import type { Metadata } from 'next';
import { modelLabel } from '@/lib/evals/baselines';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { compareEvalRuns, runsInProgress, type EvalComparison } from '@/lib/evals/compare';
import { DISAGREEMENT_KINDS, listDisagreements, type DisagreementKind } from '@/lib/evals/disagreements';
import { DisagreementList } from '@/components/evals/disagreement-list';
import { EvalProgress } from '@/components/evals/eval-progress';
import { cancelEvalAction } from '../actions';
import { EvalInputError } from '@/lib/evals/errors';
import { LABELS } from '@/lib/evals/metrics';
import { num, pct, signedPct } from '@/components/evals/format';
import { goldenSummaries, trainedOverlaps } from '@/lib/evals/golden-summary';
import { GOLDEN_CAPTION, TrainedOverlapNote } from '@/components/evals/golden-figures';

export const metadata: Metadata = { title: 'Compare evaluations' };

const signed = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);

// Turns of one conversation succeed or fail together; the clustered methods treat the
// conversation as the unit so a few long threads cannot make a difference look certain.
const METHOD: Record<string, string> = {
  exact: 'exact binomial test, turns treated as independent',
  'chi2-cc': 'χ² with continuity correction, turns treated as independent',
  'cluster-exact': 'exact sign-flip test over conversations: turns of one conversation count as one unit',
  'cluster-chi2': 'clustered McNemar (Durkalski 2003) over conversations: turns of one conversation count as one unit',
};

export default async function ComparePage({ searchParams }: { searchParams: Promise<{ runs?: string; vs?: string; kind?: string; after?: string }> }) {
  const { runs = '', vs, kind: kindParam, after: afterParam } = await searchParams;
  const actor = await actorOrSignIn(`/evals/compare?runs=${encodeURIComponent(runs)}`);
  const ids = runs
    .split(',')
    .filter(Boolean)
    .map((s) => (/^\d{1,9}$/.test(s) ? Number(s) : NaN));
  // Runs still being scored: their progress, and the comparison once the last one ends.
  const waiting = await runsInProgress(actor, ids);
  if (waiting.length) {
    return (
      <div className="space-y-4">
        <Link href="/evals" className="text-sm text-indigo-700 hover:underline">
          ← Evaluations
        </Link>
        <h1 className="text-2xl font-semibold">Comparison</h1>
        <p className="text-sm text-slate-600">
          {waiting.length === 1 ? 'One run is' : `${waiting.length} runs are`} still being scored; the comparison appears when{' '}
          {waiting.length === 1 ? 'it ends' : 'they end'}.
        </p>
        {waiting.map((r) => (
          <div key={r.id} className="space-y-1">
            <h2 className="text-sm font-medium">
              <Link href={`/evals/${r.id}`} className="font-mono text-indigo-700 hover:underline">
                {modelLabel(r.model)}
              </Link>{' '}
              <span className="text-slate-500">run {r.id}</span>
            </h2>
            <EvalProgress runId={r.id} initial={{ ...r, error: null }} canCancel={false} cancelAction={cancelEvalAction} />
          </div>
        ))}
      </div>
    );
  }
  let cmp: EvalComparison;
  try {
    cmp = await compareEvalRuns(actor, ids);
  } catch (e) {
    if (e instanceof EvalInputError) {
      return (
        <div role="alert" className="mx-auto mt-10 max-w-lg rounded-lg border border-amber-300 bg-amber-50 p-6 text-sm">
          <h1 className="mb-2 text-lg font-semibold">Cannot compare these runs</h1>
          {e.issues.map((i) => (
            <p key={i.field + i.message}>{i.message}</p>
          ))}
          <Link href="/evals" className="mt-3 inline-block text-indigo-700 hover:underline">
            ← Evaluations
          </Link>
        </div>
      );
    }
    throw e;
  }
  const [first, ...others] = cmp.runs;
  const golden = await goldenSummaries(
    actor,
    cmp.runs.map((r) => r.id),
  );
  const overlaps = await trainedOverlaps(
    actor,
    cmp.runs.map((r) => r.id),
  );
  const goldenDelta = (id: number, pick: (g: NonNullable<ReturnType<typeof golden.get>>) => number | null) => {
    const a = golden.get(first.id);
    const b = golden.get(id);
    const x = a && b ? pick(a) : null;
    const y = a && b ? pick(b) : null;
    return x === null || y === null ? null : y - x;
  };
  // A golden companion still being scored says so, rather than a bare dash.
  const goldenValue = (id: number, show: (g: NonNullable<ReturnType<typeof golden.get>>) => string) => {
    const g = golden.get(id);
    if (!g) return '—';
    if (g.status === 'queued' || g.status === 'running') return 'scoring…';
    return g.status === 'succeeded' ? show(g) : g.status;
  };
  // The disagreement list: the first run against one other (?vs=, default the second), 20 a page by keyset.
  const vsRun = others.find((r) => String(r.id) === vs) ?? others[0];
  const vsTest = cmp.mcnemar.find((t) => t.runId === vsRun.id)!;
  const kind: DisagreementKind = DISAGREEMENT_KINDS.includes(kindParam as DisagreementKind) ? (kindParam as DisagreementKind) : 'all';
  const after = afterParam && /^\d{1,9}$/.test(afterParam) ? Number(afterParam) : 0;
  const disagreements = await listDisagreements(actor, { baseRunId: first.id, otherRunId: vsRun.id, kind, after });
  const listHref = (p: { vs?: number; kind?: DisagreementKind; after?: number | null }) => {
    const q = new URLSearchParams({ runs });
    q.set('vs', String(p.vs ?? vsRun.id));
    if ((p.kind ?? kind) !== 'all') q.set('kind', p.kind ?? kind);
    if (p.after) q.set('after', String(p.after));
    return `/evals/compare?${q.toString()}#disagreements`;
  };
  const tabs = [
    { kind: 'all' as const, label: 'Answered differently', count: vsTest.differ },
    { kind: 'base-right' as const, label: `Only ${first.model} right`, count: vsTest.b10 },
    { kind: 'other-right' as const, label: `Only ${vsRun.model} right`, count: vsTest.b01 },
  ].map((t) => ({ ...t, href: listHref({ kind: t.kind, after: null }), current: t.kind === kind }));
  const deltaOf = (runId: number) => cmp.deltas.find((d) => d.runId === runId)?.delta;
  const rows: { name: string; value: (r: (typeof cmp.runs)[number]) => string; delta: (runId: number) => string }[] = [
    { name: 'Accuracy', value: (r) => pct(r.metrics.accuracy), delta: (id) => signedPct(deltaOf(id)?.accuracy) },
    { name: 'Macro-F1', value: (r) => num(r.metrics.macroF1), delta: (id) => signed(deltaOf(id)?.macroF1) },
    ...LABELS.map((l) => ({
      name: `F1 ${l}`,
      value: (r: (typeof cmp.runs)[number]) => num(r.metrics.perClass[l].f1),
      delta: (id: number) => signed(deltaOf(id)?.f1[l]),
    })),
    { name: 'Premature END rate', value: (r) => pct(r.metrics.prematureEndRate), delta: (id) => signedPct(deltaOf(id)?.prematureEndRate) },
    { name: 'Missed SCHEDULE rate', value: (r) => pct(r.metrics.missedScheduleRate), delta: (id) => signedPct(deltaOf(id)?.missedScheduleRate) },
    { name: 'Invalid answers', value: (r) => `${r.metrics.invalid}`, delta: (id) => signedPct(deltaOf(id)?.invalidRate) },
    { name: 'Golden accuracy', value: (r) => goldenValue(r.id, (g) => pct(g.accuracy)), delta: (id) => signedPct(goldenDelta(id, (g) => g.accuracy)) },
    { name: 'Golden macro-F1', value: (r) => goldenValue(r.id, (g) => num(g.macroF1)), delta: (id) => signed(goldenDelta(id, (g) => g.macroF1)) },
    {
      name: 'Golden premature END',
      value: (r) => goldenValue(r.id, (g) => pct(g.prematureEndRate)),
      delta: (id) => signedPct(goldenDelta(id, (g) => g.prematureEndRate)),
    },
  ];
  return (
    <div className="space-y-5">
      <Link href="/evals" className="text-sm text-indigo-700 hover:underline">
        ← Evaluations
      </Link>
      <h1 className="text-2xl font-semibold">Comparison</h1>
      <p className="text-sm text-slate-600">
        {cmp.runs.length} runs on{' '}
        <Link href={`/datasets/${cmp.datasetVersion.id}`} className="text-indigo-700 hover:underline">
          {cmp.datasetVersion.datasetName} v{cmp.datasetVersion.version}
        </Link>{' '}
        ({cmp.split}), the same {first.metrics.n} examples. Deltas are against <span className="font-mono">{first.model}</span>. The golden rows score each
        model on the golden set ({GOLDEN_CAPTION}).
      </p>
      <section aria-labelledby="significance" className="space-y-2">
        <h2 id="significance" className="sr-only">
          Significance
        </h2>
        {cmp.mcnemar.map((t) => {
          const other = cmp.runs.find((r) => r.id === t.runId)!;
          const better = (deltaOf(t.runId)?.accuracy ?? 0) > 0;
          return (
            <p
              key={t.runId}
              data-testid="significance"
              className={`rounded-lg border p-3 text-sm ${t.significant ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-slate-300 bg-white text-slate-800'}`}
            >
              <span className="font-mono">{other.model}</span> vs <span className="font-mono">{first.model}</span>: accuracy{' '}
              {signedPct(deltaOf(t.runId)?.accuracy)}.{' '}
              {t.significant ? (
                <strong>
                  The difference is significant ({better ? 'better' : 'worse'}; McNemar p = {t.pValue < 0.0001 ? '< 0.0001' : t.pValue.toFixed(4)}).
                </strong>
              ) : (
                <strong>The difference is not significant (McNemar p = {t.pValue.toFixed(4)}).</strong>
              )}{' '}
              <span className="text-xs">
                {t.b01} examples only {first.model} got wrong, {t.b10} only {other.model} got wrong ({METHOD[t.method]}, α = 0.05).
              </span>
            </p>
          );
        })}
      </section>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <caption className="sr-only">Metrics of each run with deltas against the first</caption>
          <thead className="bg-slate-100 text-left text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                Metric
              </th>
              {cmp.runs.map((r) => (
                <th key={r.id} scope="col" className="px-3 py-2">
                  <Link href={`/evals/${r.id}`} className="font-mono normal-case text-indigo-700 hover:underline">
                    {modelLabel(r.model)}
                  </Link>
                  <div className="normal-case">
                    <TrainedOverlapNote overlap={overlaps.get(r.id) ?? null} />
                  </div>
                </th>
              ))}
              {others.map((r) => (
                <th key={`d${r.id}`} scope="col" className="px-3 py-2">
                  Δ <span className="font-mono normal-case">{r.model}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name} className="border-t border-slate-100 tabular-nums">
                <th scope="row" className="px-3 py-1.5 text-left font-normal">
                  {row.name}
                </th>
                {cmp.runs.map((r) => (
                  <td key={r.id} className="px-3 py-1.5">
                    {row.value(r)}
                  </td>
                ))}
                {others.map((r) => (
                  <td key={`d${r.id}`} className="px-3 py-1.5">
                    {row.delta(r.id)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {others.length > 1 && (
        <nav aria-label="Disagreements against" className="flex flex-wrap gap-2 text-xs">
          <span className="py-1 text-slate-600">Disagreements of {first.model} with:</span>
          {others.map((r) => (
            <Link
              key={r.id}
              href={listHref({ vs: r.id, kind: 'all', after: null })}
              aria-current={r.id === vsRun.id ? 'page' : undefined}
              className={`rounded-full border px-3 py-1 font-mono ${r.id === vsRun.id ? 'border-indigo-600 bg-indigo-50' : 'border-slate-300 hover:bg-slate-100'}`}
            >
              {r.model}
            </Link>
          ))}
        </nav>
      )}
      <DisagreementList
        rows={disagreements.rows}
        baseModel={first.model}
        otherModel={vsRun.model}
        tabs={tabs}
        firstHref={after ? listHref({ after: null }) : null}
        nextHref={disagreements.nextAfter ? listHref({ after: disagreements.nextAfter }) : null}
      />
    </div>
  );
}
