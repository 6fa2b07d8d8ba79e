// "Retrain with new labels" beside the current advisor (server component): why it is or is not
// possible, the button for ML leads and admins, and the latest retrain's progress — the dataset
// build, the fine-tune, then its test-split and golden figures beside the advisor's. The page
// refreshes itself while the chain runs.
import Link from 'next/link';
import type { Actor } from '@/lib/auth/session';
import { retrainPanel, type RetrainStage } from '@/lib/advisor/retrain-status';
import type { ModelFigures } from '@/lib/advisor/promotion-preview';
import { modelLabel } from '@/lib/evals/baselines';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RefreshWhile } from '@/components/ui/refresh-while';
import { formatDateTime } from '@/components/ui/format-time';
import { retrainAction } from '@/app/advisor/actions';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

const STAGE: Record<RetrainStage, { text: string; className: string }> = {
  building: { text: 'building the dataset version', className: 'bg-sky-100 text-sky-900' },
  training: { text: 'fine-tuning', className: 'bg-sky-100 text-sky-900' },
  evaluating: { text: 'evaluating (test split and golden set)', className: 'bg-sky-100 text-sky-900' },
  done: { text: 'done — ready to compare', className: 'bg-emerald-100 text-emerald-900' },
  failed: { text: 'failed', className: 'bg-red-100 text-red-900' },
};

function RunCell({ f }: { f: ModelFigures['test'] }) {
  return (
    <td className="px-2 py-1 tabular-nums">
      {f ? (
        <Link href={`/evals/${f.runId}`} className="text-indigo-700 hover:underline">
          {pct(f.accuracy)}
        </Link>
      ) : (
        '—'
      )}
      {f?.prematureEndRate !== undefined && f?.prematureEndRate !== null && (
        <span className="text-xs text-slate-500"> · premature END {pct(f.prematureEndRate)}</span>
      )}
    </td>
  );
}

export async function RetrainPanel({ actor }: { actor: Actor }) {
  const { plan, latest } = await retrainPanel(actor);
  const canRetrain = actor.role === 'ml_lead' || actor.role === 'admin';
  const running = latest && latest.stage !== 'done' && latest.stage !== 'failed';

  return (
    <div className="space-y-3 rounded border border-slate-200 p-3" data-testid="retrain-panel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Retrain with new labels</h3>
        {canRetrain && plan.possible && (
          <div className="flex items-center gap-2">
            <ConfirmAction
              action={retrainAction}
              trigger="Retrain with new labels…"
              title={`Retrain ${plan.model}?`}
              confirm="Start retrain"
              hidden={{}}
              disabled={!!running}
              triggerClassName="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
            >
              <p>
                Builds {plan.datasetName} v{plan.sourceVersion + 1} with the parameters of v{plan.sourceVersion} (conversations keep their split, so nothing the
                advisor was tested on is trained on), then fine-tunes {modelLabel(plan.baseModel)} on {plan.provider} with the same hyperparameters. Its
                automatic evaluations score it on the test split and the golden set.
              </p>
              <p className="text-slate-600">
                {plan.labelChangesSince} label change{plan.labelChangesSince === 1 ? '' : 's'} since v{plan.sourceVersion} was built. The advisor does not
                change: you promote the new model yourself if it is better.
              </p>
            </ConfirmAction>
          </div>
        )}
      </div>
      {!plan.possible ? (
        <p className="text-sm text-slate-600" data-testid="retrain-impossible">
          {plan.reason}
        </p>
      ) : !latest ? (
        <p className="text-sm text-slate-600">
          Not retrained yet. {plan.labelChangesSince} label change{plan.labelChangesSince === 1 ? '' : 's'} since {plan.datasetName} v{plan.sourceVersion} was
          built.
        </p>
      ) : (
        <div className="space-y-2 text-sm" data-testid="retrain-latest">
          <RefreshWhile active={!!running} ms={3000} />
          <p>
            Retrain #{latest.id} by {latest.createdByEmail}, {formatDateTime(latest.createdAt)}:{' '}
            <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STAGE[latest.stage].className}`} data-testid="retrain-stage">
              {STAGE[latest.stage].text}
            </span>
          </p>
          <ol className="list-decimal space-y-1 pl-5 text-xs text-slate-700">
            <li>
              <Link href={`/datasets/${latest.version.id}`} className="text-indigo-700 hover:underline">
                {latest.version.label}
              </Link>{' '}
              — {latest.version.status}
              {latest.version.status === 'ready' && `, ${latest.version.examples} examples`}
              {latest.version.status === 'building' && latest.version.total > 0 && (
                <ProgressBar value={latest.version.done} max={latest.version.total} label={`Building ${latest.version.label}`} className="mt-1 max-w-xs" />
              )}
            </li>
            <li>
              {latest.fineTune ? (
                <>
                  <Link href={`/fine-tunes/${latest.fineTune.id}`} className="text-indigo-700 hover:underline" data-testid="retrain-fine-tune">
                    fine-tune #{latest.fineTune.id}
                  </Link>{' '}
                  — {latest.fineTune.status}
                  {latest.fineTune.model && <span className="font-mono"> → {latest.fineTune.model}</span>}
                </>
              ) : (
                'fine-tune: starts when the version is built'
              )}
            </li>
          </ol>
          {latest.error && (
            <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-red-800">
              {latest.error}
            </p>
          )}
          {latest.figures && (
            <table className="w-full text-left text-xs" aria-label="Retrained model beside the advisor">
              <thead className="bg-slate-100 text-slate-600">
                <tr>
                  <th className="px-2 py-1 font-medium">Accuracy</th>
                  <th className="px-2 py-1 font-medium">
                    Retrained <span className="font-mono">{latest.fineTune?.model}</span>
                  </th>
                  <th className="px-2 py-1 font-medium">
                    Advisor <span className="font-mono">{plan.model}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <tr className="border-t border-slate-100">
                  <th scope="row" className="px-2 py-1 font-normal">
                    Test split (its own version)
                  </th>
                  <RunCell f={latest.figures.retrained.test} />
                  <RunCell f={latest.figures.advisor.test} />
                </tr>
                <tr className="border-t border-slate-100">
                  <th scope="row" className="px-2 py-1 font-normal">
                    Golden set
                  </th>
                  <RunCell f={latest.figures.retrained.golden} />
                  <RunCell f={latest.figures.advisor.golden} />
                </tr>
              </tbody>
            </table>
          )}
          {latest.stage === 'done' && (
            <p className="text-xs text-slate-600">
              Promotion stays your call: promote it on the{' '}
              <Link href="/models" className="text-indigo-700 hover:underline">
                Models page
              </Link>{' '}
              or attach it in shadow below to compare it on live traffic first.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
