import type { Metadata } from 'next';
import { modelLabel } from '@/lib/evals/baselines';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { listFineTunedModels } from '@/lib/finetunes/queries';
import { formatDateTime } from '@/components/ui/format-time';
import { DataTable } from '@/components/ui/data-table';
import { modelScores } from '@/lib/evals/golden-summary';
import { GOLDEN_CAPTION } from '@/components/evals/golden-figures';
import { num, pct } from '@/components/evals/format';
import { PromoteDialog } from '@/components/advisor/promote-dialog';
import { currentPromotion } from '@/lib/advisor/promotions';
import { figuresOfModels } from '@/lib/advisor/promotion-preview';
import { Playground } from '@/components/advisor/playground';
import { promoteModelAction, tryDecisionAction } from './actions';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await actorOrSignIn('/models');
  const tryParam = (await searchParams).try;
  const models = await listFineTunedModels(actor);
  const scores = await modelScores(
    actor,
    models.map((m) => ({ jobId: m.jobId, model: m.model, datasetVersionId: m.datasetVersion.id })),
  );
  // Promotion (ml_lead/admin): each model's figures beside the current advisor's.
  const canPromote = actor.role === 'ml_lead' || actor.role === 'admin';
  const advisor = canPromote ? await currentPromotion() : null;
  const figures = canPromote
    ? await figuresOfModels(actor, [
        ...models.map((m) => ({ model: m.model, datasetVersionId: m.datasetVersion.id })),
        ...(advisor ? [{ model: advisor.model, datasetVersionId: advisor.datasetVersionId }] : []),
      ])
    : new Map();
  const none = { test: null, golden: null };
  // The playground's models: every fine-tune, the advisor, and the keyword rule base model.
  const tryModels = [
    ...models.map((m) => ({ model: m.model, label: `${m.model} (${m.dataset.name} v${m.datasetVersion.version})` })),
    ...(advisor && !models.some((m) => m.model === advisor.model) ? [{ model: advisor.model, label: `${modelLabel(advisor.model)} (the advisor)` }] : []),
    ...(models.some((m) => m.model === 'local-base') || advisor?.model === 'local-base' ? [] : [{ model: 'local-base', label: 'keyword rule (local-base)' }]),
  ];
  const wanted = typeof tryParam === 'string' && tryModels.some((m) => m.model === tryParam) ? tryParam : null;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Models</h1>
        <p className="text-sm text-slate-600">Every fine-tuned model and where it came from: dataset version → fine-tune → model.</p>
      </div>
      {models.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">No fine-tuned models yet.</p>
      ) : (
        <DataTable columns={['Model', 'Lineage', 'Provider', 'Test split', `Golden (${GOLDEN_CAPTION})`, 'Finished', 'Advisor']} caption="Fine-tuned models">
          {models.map((m) => (
            <tr key={m.jobId} className="border-t border-slate-100">
              <td className="px-3 py-2 font-mono text-xs">{m.model}</td>
              <td className="px-3 py-2 text-sm">
                <Link href={`/datasets/${m.datasetVersion.id}`} className="text-indigo-700 hover:underline">
                  {m.dataset.name} v{m.datasetVersion.version}
                </Link>{' '}
                →{' '}
                <Link href={`/fine-tunes/${m.jobId}`} className="text-indigo-700 hover:underline">
                  fine-tune #{m.jobId}
                </Link>{' '}
                → <span className="font-mono text-xs">{m.model}</span>
                <div className="text-xs text-slate-500">base {modelLabel(m.baseModel)}</div>
              </td>
              <td className="px-3 py-2 text-sm">{m.provider}</td>
              <td className="px-3 py-2 text-sm tabular-nums">
                {scores.get(m.jobId)?.test ? (
                  <Link href={`/evals/${scores.get(m.jobId)!.test!.runId}`} className="text-indigo-700 hover:underline">
                    {pct(scores.get(m.jobId)!.test!.accuracy)}
                  </Link>
                ) : (
                  '—'
                )}
                {scores.get(m.jobId)?.test && <div className="text-xs text-slate-500">premature END {pct(scores.get(m.jobId)!.test!.prematureEndRate)}</div>}
              </td>
              <td className="px-3 py-2 text-sm tabular-nums" data-testid="model-golden">
                {scores.get(m.jobId)?.golden ? (
                  <>
                    <Link href={`/evals/${scores.get(m.jobId)!.golden!.runId}`} className="text-indigo-700 hover:underline">
                      {pct(scores.get(m.jobId)!.golden!.accuracy)}
                    </Link>
                    <div className="text-xs text-slate-500">
                      F1 {num(scores.get(m.jobId)!.golden!.macroF1)} · premature END {pct(scores.get(m.jobId)!.golden!.prematureEndRate)}
                    </div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className="px-3 py-2 text-xs">{m.finishedAt ? formatDateTime(m.finishedAt) : '—'}</td>
              <td className="px-3 py-2 text-xs">
                {/* The badge and the dialog keep their places whatever the row is, so a promotion
                    that turns this row into the advisor keeps the dialog (and its result) open. */}
                {advisor?.model === m.model && (
                  <span data-testid="current-advisor" className="rounded bg-emerald-100 px-2 py-0.5 font-medium text-emerald-800">
                    the advisor (≥ {advisor.threshold})
                  </span>
                )}
                {canPromote && (
                  <Link href={`/models?try=${encodeURIComponent(m.model)}#playground`} className="mr-2 text-indigo-700 hover:underline">
                    Try it
                  </Link>
                )}
                {canPromote ? (
                  <PromoteDialog
                    model={m.model}
                    provider={m.provider === 'openai' ? 'openai' : 'local'}
                    candidate={figures.get(m.model) ?? none}
                    current={
                      advisor
                        ? { promotionId: advisor.id, model: advisor.model, threshold: advisor.threshold, figures: figures.get(advisor.model) ?? none }
                        : null
                    }
                    action={promoteModelAction}
                  />
                ) : (
                  advisor?.model !== m.model && '—'
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {canPromote && (
        <section aria-labelledby="playground" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="playground" className="text-lg font-semibold">
            Playground: try a model on a conversation
          </h2>
          <Playground
            key={wanted ?? 'default'}
            models={tryModels}
            initialModel={wanted ?? advisor?.model ?? tryModels[0].model}
            threshold={advisor?.threshold ?? 0.7}
            action={tryDecisionAction}
          />
        </section>
      )}
    </div>
  );
}
