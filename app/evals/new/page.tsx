import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { lenientPageId } from '@/lib/boundary/page-params';
import { listReadyVersions } from '@/lib/datasets/queries';
import { listFineTunedModels } from '@/lib/finetunes/queries';
import { canStartEvals } from '@/lib/evals/queries';
import { Forbidden } from '@/components/ui/forbidden';
import { StartEvalForm } from './start-eval-form';

export const metadata: Metadata = { title: 'Start an evaluation' };

export default async function NewEvalPage({ searchParams }: { searchParams: Promise<{ version?: string; model?: string; provider?: string }> }) {
  const sp = await searchParams;
  const actor = await actorOrSignIn('/evals/new');
  if (!canStartEvals(actor)) return <Forbidden message={`Starting evaluations needs the ML lead or admin role; you are ${actor.role}.`} />;
  const [versions, models] = await Promise.all([listReadyVersions(actor), listFineTunedModels(actor)]);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/evals" className="text-sm text-indigo-700 hover:underline">
        ← Evaluations
      </Link>
      <h1 className="text-2xl font-semibold">Start an evaluation</h1>
      <StartEvalForm
        versions={versions.map((v) => ({ id: v.id, label: `${v.dataset.name} v${v.version}` }))}
        models={[{ id: 'local-base', provider: 'local' }, ...models.map((m) => ({ id: m.model, provider: m.provider }))]}
        initial={{
          datasetVersionId: lenientPageId(sp.version),
          model: sp.model,
          provider: sp.provider,
        }}
      />
    </div>
  );
}
