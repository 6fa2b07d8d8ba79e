import type { Metadata } from 'next';
import { modelLabel } from '@/lib/evals/baselines';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { pageId } from '@/lib/boundary/page-params';
import { canLaunchFineTunes, getFineTune } from '@/lib/finetunes/queries';
import { comparisonForFineTune } from '@/lib/evals/queries';
import { fineTuneEvaluation } from '@/lib/evals/fine-tune-evaluation';
import { FineTuneEvaluationTable } from '@/components/evals/fine-tune-evaluation-table';
import { formatDateTime } from '@/components/ui/format-time';
import { FineTuneLive, type LiveState } from '@/components/finetunes/fine-tune-live';
import { RefreshWhile } from '@/components/ui/refresh-while';
import { estimatedCostSchema, requestedHyperparametersSchema } from '@/lib/finetunes/stored-json';
import { parseStored, parseStoredOrNull } from '@/lib/stored-json';
import { cancelFineTuneAction } from '../actions';

export const metadata: Metadata = { title: 'Fine-tune' };

export default async function FineTunePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await actorOrSignIn(`/fine-tunes/${id}`);
  const run = await getFineTune(actor, pageId(id));
  if (!run) notFound();
  const comparison = run.status === 'succeeded' ? await comparisonForFineTune(actor, run.id) : null;
  const evaluation = run.status === 'succeeded' ? await fineTuneEvaluation(actor, run.id) : null;
  const requested = parseStored(requestedHyperparametersSchema, run.hyperparameters.requested, 'fine_tune_jobs.hyperparameters');
  const cost = parseStoredOrNull(estimatedCostSchema, run.estimatedCost, 'fine_tune_jobs.estimated_cost');
  const initial: LiveState = JSON.parse(
    JSON.stringify({
      status: run.status,
      terminal: run.terminal,
      fineTunedModel: run.fineTunedModel,
      error: run.error,
      trainedTokens: run.trainedTokens,
      resolvedHyperparameters: run.hyperparameters.resolved,
      cancelRequested: run.cancelRequested,
      durationSeconds: run.durationSeconds,
      events: run.events,
      lastEventId: run.events.at(-1)?.id ?? null,
      metrics: run.metrics,
    }),
  );
  return (
    <div className="space-y-4">
      <Link href="/fine-tunes" className="text-sm text-indigo-700 hover:underline">
        ← Fine-tunes
      </Link>
      <header>
        <h1 className="text-2xl font-semibold">
          Fine-tune #{run.id}{' '}
          <span className="text-base font-normal text-slate-500">
            {run.provider} · {modelLabel(run.baseModel)}
          </span>
        </h1>
        <p className="text-sm text-slate-600">
          From{' '}
          <Link href={`/datasets/${run.datasetVersion.id}`} className="text-indigo-700 hover:underline">
            {run.dataset.name} v{run.datasetVersion.version}
          </Link>{' '}
          · launched {formatDateTime(run.createdAt)} by {run.createdBy.email}
          {run.providerJobId && (
            <>
              {' '}
              · provider job <code className="text-xs">{run.providerJobId}</code>
            </>
          )}
        </p>
        <p className="text-xs text-slate-500">
          Requested: epochs {String(requested.n_epochs)} · batch {String(requested.batch_size)} ·{' '}
          {requested.learning_rate !== undefined ? `learning rate ${String(requested.learning_rate)}` : `lr × ${String(requested.learning_rate_multiplier)}`}
          {requested.lora !== undefined ? ` · ${requested.lora ? 'LoRA' : 'full fine-tune'}` : ''}
          {run.suffix ? ` · suffix ${run.suffix}` : ''}
          {run.seed !== null ? ` · seed ${run.seed}` : ''}
          {cost
            ? ` · estimate ${cost.nEpochs} epochs, ~${cost.chargedTokens.toLocaleString('en-US')} charged tokens${cost.usd !== null ? `, $${cost.usd.toFixed(2)}` : ''}`
            : ''}
        </p>
        {!run.terminal && run.nextPollAt && (
          <p className="text-xs text-slate-500" data-testid="poll-schedule">
            Provider status {run.providerStatus ? <code>{run.providerStatus}</code> : 'unknown'}; next check {formatDateTime(run.nextPollAt)} (polls back off
            from 2 s while nothing changes, up to {run.provider === 'local' ? '5 s' : '1 min'}).
          </p>
        )}
      </header>
      {run.deploymentName && (
        <section
          aria-labelledby="deployment"
          data-testid="deployment"
          className={`rounded-lg border p-4 text-sm ${run.status === 'deploying' ? 'border-violet-200 bg-violet-50' : 'border-slate-200 bg-white'}`}
        >
          <h2 id="deployment" className="font-medium">
            Deployment
          </h2>
          {run.status === 'deploying' ? (
            <p>
              Training finished. {run.provider === 'azure' ? 'Azure OpenAI' : run.provider} is deploying <code className="text-xs">{run.providerModel}</code> as{' '}
              <code className="text-xs">{run.deploymentName}</code>; the model serves (and its evaluations start) once the deployment succeeds.
            </p>
          ) : run.status === 'succeeded' ? (
            <p>
              Serves as deployment <code className="text-xs">{run.deploymentName}</code> (the provider&apos;s model{' '}
              <code className="text-xs">{run.providerModel}</code>). Inference calls name the deployment.
            </p>
          ) : (
            <p>
              Deployment <code className="text-xs">{run.deploymentName}</code> of <code className="text-xs">{run.providerModel}</code> did not complete.
            </p>
          )}
        </section>
      )}
      {comparison && (comparison.fineTunedRunId || comparison.baseRunId) && (
        <section aria-labelledby="evaluation" className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm">
          <h2 id="evaluation" className="font-medium">
            Evaluation: the fine-tune beside both baselines
          </h2>
          {/* Follow the evals and their golden runs until all have ended. */}
          <RefreshWhile active={evaluation?.pending ?? true} />
          {evaluation && <FineTuneEvaluationTable evaluation={evaluation} />}
          {comparison.runIds.length === 2 && comparison.fineTunedStatus === 'succeeded' && comparison.baseStatus === 'succeeded' && (
            // Base first, so the deltas read as what fine-tuning gained.
            <Link href={`/evals/compare?runs=${[...comparison.runIds].reverse().join(',')}`} className="font-medium text-indigo-700 hover:underline">
              Base vs fine-tuned comparison, with significance →
            </Link>
          )}
        </section>
      )}
      <FineTuneLive id={run.id} initial={initial} canCancel={canLaunchFineTunes(actor)} cancelAction={cancelFineTuneAction} />
    </div>
  );
}
