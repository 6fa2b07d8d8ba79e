import type { Metadata } from 'next';
import { modelLabel } from '@/lib/evals/baselines';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { pageId } from '@/lib/boundary/page-params';
import { canStartEvals, getEvalRun, listEvalRuns, listPredictions } from '@/lib/evals/queries';
import { LABELS, PREDICTED, type Label, type PredictedLabel } from '@/lib/evals/metrics';
import { formatDateTime } from '@/components/ui/format-time';
import { EvalStatusBadge } from '@/components/evals/eval-status';
import { EvalProgress } from '@/components/evals/eval-progress';
import { cancelEvalAction } from '../actions';
import { MetricCards } from '@/components/evals/metric-cards';
import { ConfusionMatrixTable } from '@/components/evals/confusion-matrix';
import { PredictionList } from '@/components/evals/prediction-list';
import { PerClassChart } from '@/components/charts/per-class-chart';
import { ThresholdExplorer } from '@/components/evals/threshold-explorer';
import { CalibrationSection } from '@/components/evals/calibration-section';
import { num } from '@/components/evals/format';
import { goldenSummaries } from '@/lib/evals/golden-summary';
import { GOLDEN_CAPTION, GoldenCard, TrainedOverlapNote } from '@/components/evals/golden-figures';

export const metadata: Metadata = { title: 'Evaluation' };

type Search = { truth?: string; predicted?: string; after?: string };

export default async function EvalRunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const { id } = await params;
  const sp = await searchParams;
  const actor = await actorOrSignIn(`/evals/${id}`);
  const run = await getEvalRun(actor, pageId(id));
  if (!run) notFound();
  const m = run.metrics;
  const truth = LABELS.includes(sp.truth as Label) ? (sp.truth as Label) : undefined;
  const predicted = PREDICTED.includes(sp.predicted as PredictedLabel) ? (sp.predicted as PredictedLabel) : undefined;
  const after = sp.after && /^\d{1,9}$/.test(sp.after) ? Number(sp.after) : undefined;
  const cell = m && (truth || predicted) ? await listPredictions(actor, run.id, { truth, predicted, after }) : null;
  const cellQuery = (q: { after?: number | null }) => {
    const s = new URLSearchParams();
    if (truth) s.set('truth', truth);
    if (predicted) s.set('predicted', predicted);
    if (q.after) s.set('after', String(q.after));
    return `/evals/${run.id}?${s}#examples`;
  };
  const isGolden = run.datasetVersion.dataset.kind === 'golden';
  const golden = isGolden ? undefined : (await goldenSummaries(actor, [run.id])).get(run.id);
  const siblings = (await listEvalRuns(actor, { datasetVersionId: run.datasetVersion.id })).runs.filter(
    (r) => r.id !== run.id && r.split === run.split && r.status === 'succeeded',
  );

  return (
    <div className="space-y-5">
      <Link href="/evals" className="text-sm text-indigo-700 hover:underline">
        ← Evaluations
      </Link>
      <header>
        <h1 className="text-2xl font-semibold">
          <span className="font-mono text-xl">{modelLabel(run.model)}</span> <EvalStatusBadge status={run.status} />
        </h1>
        <p className="text-sm text-slate-600">
          {run.provider} · on{' '}
          <Link href={`/datasets/${run.datasetVersion.id}`} className="text-indigo-700 hover:underline">
            {run.datasetVersion.dataset.name} v{run.datasetVersion.version}
          </Link>{' '}
          ({run.split}) · started {formatDateTime(run.createdAt)} by {run.createdBy.email}
          {run.fineTune && (
            <>
              {' '}
              · {run.fineTune.role === 'fine-tuned' ? 'model of' : 'base of'}{' '}
              <Link href={`/fine-tunes/${run.fineTune.id}`} className="text-indigo-700 hover:underline">
                fine-tune #{run.fineTune.id}
              </Link>
            </>
          )}
        </p>
        {isGolden && (
          <p className="mt-1 text-sm text-amber-800">
            The golden set: {GOLDEN_CAPTION}.
            {run.goldenOfRunId && (
              <>
                {' '}
                Scored beside{' '}
                <Link href={`/evals/${run.goldenOfRunId}`} className="text-indigo-700 hover:underline">
                  run #{run.goldenOfRunId}
                </Link>
                .
              </>
            )}
          </p>
        )}
        {run.trainedOverlap ? (
          <p className="mt-1 text-sm text-red-800">
            <TrainedOverlapNote overlap={run.trainedOverlap} /> This model (or one it was fine-tuned from) was trained or validated on{' '}
            {run.trainedOverlap.toLocaleString('en-US')} conversations of this split: its figures here overstate how it does on new conversations.
          </p>
        ) : null}
        <p className="text-xs text-slate-500">
          temperature 0 · max tokens {run.settings.maxTokens} · concurrency {run.settings.concurrency}
          {run.settings.logprobs === false ? ' · no logprobs' : ''}
        </p>
      </header>

      {(run.status === 'queued' || run.status === 'running') && (
        <EvalProgress
          runId={run.id}
          canCancel={canStartEvals(actor)}
          cancelAction={cancelEvalAction}
          initial={{ status: run.status, progressDone: run.progressDone, progressTotal: run.progressTotal, error: run.error }}
        />
      )}
      {run.status === 'failed' && (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-800">
          {run.error ?? 'The evaluation failed.'}
        </p>
      )}

      {m && (
        <>
          <MetricCards m={m} />
          {!isGolden && <GoldenCard golden={golden} />}
          <div className="grid gap-4 lg:grid-cols-2">
            <section aria-labelledby="confusion" className="rounded-lg border border-slate-200 bg-white p-4">
              <h2 id="confusion" className="mb-2 font-medium">
                Confusion matrix
              </h2>
              <ConfusionMatrixTable
                matrix={m.confusion}
                selected={{ truth, predicted }}
                cellHref={(t, p) => `/evals/${run.id}?truth=${t}&predicted=${p}#examples`}
              />
            </section>
            <section aria-labelledby="per-class" className="rounded-lg border border-slate-200 bg-white p-4">
              <h2 id="per-class" className="mb-2 font-medium">
                Per class
              </h2>
              <PerClassChart rows={LABELS.map((l) => ({ label: l, precision: m.perClass[l].precision, recall: m.perClass[l].recall, f1: m.perClass[l].f1 }))} />
              <table className="mt-2 w-full text-sm">
                <caption className="sr-only">Precision, recall, F1 and support per class</caption>
                <thead className="text-left text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col" className="text-right">
                      Precision
                    </th>
                    <th scope="col" className="text-right">
                      Recall
                    </th>
                    <th scope="col" className="text-right">
                      F1
                    </th>
                    <th scope="col" className="text-right">
                      Support
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {LABELS.map((l) => (
                    <tr key={l} className="border-t border-slate-100 tabular-nums">
                      <th scope="row" className="text-left font-normal">
                        {l}
                      </th>
                      <td className="text-right">{num(m.perClass[l].precision)}</td>
                      <td className="text-right">{num(m.perClass[l].recall)}</td>
                      <td className="text-right">{num(m.perClass[l].f1)}</td>
                      <td className="text-right">{m.perClass[l].support}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          {cell && (
            <PredictionList
              rows={cell.predictions}
              title={`Examples: true ${truth ?? 'any'}, predicted ${predicted ?? 'any'}`}
              firstHref={after ? cellQuery({}) : null}
              nextHref={cell.nextAfter ? cellQuery({ after: cell.nextAfter }) : null}
            />
          )}
          <section aria-labelledby="threshold-title" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="threshold-title" className="mb-2 font-medium">
              Acting only when confident
            </h2>
            {m.thresholdCurve ? (
              <ThresholdExplorer curve={m.thresholdCurve} />
            ) : (
              <p className="text-sm text-slate-600">This provider gave no confidences (no logprobs), so there is no threshold curve.</p>
            )}
          </section>
          <section aria-labelledby="calibration-title" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="calibration-title" className="mb-2 font-medium">
              Calibration
            </h2>
            <CalibrationSection calibration={m.calibration} />
          </section>
          <section aria-labelledby="compare-title" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <h2 id="compare-title" className="mb-2 font-medium">
              Compare
            </h2>
            {siblings.length === 0 ? (
              <p className="text-slate-600">No other finished run on this dataset version and split yet.</p>
            ) : (
              <ul className="space-y-1">
                {siblings.map((s) => (
                  <li key={s.id}>
                    <Link href={`/evals/compare?runs=${run.id},${s.id}`} className="text-indigo-700 hover:underline">
                      Compare with <span className="font-mono">{s.model}</span> (run #{s.id})
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-2">
              <Link href={`/evals/over-time?dataset=${run.datasetVersion.dataset.id}&split=${run.split}`} className="text-indigo-700 hover:underline">
                Every run on {run.datasetVersion.dataset.name} over time →
              </Link>
            </p>
          </section>
        </>
      )}
    </div>
  );
}
