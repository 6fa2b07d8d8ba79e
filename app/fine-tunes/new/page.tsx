import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { lenientPageId } from '@/lib/boundary/page-params';
import { listReadyVersions } from '@/lib/datasets/queries';
import { canLaunchFineTunes } from '@/lib/finetunes/queries';
import { listFineTunableModels, listProviders, type ProviderId } from '@/lib/finetunes/providers';
import { FINE_TUNE_PRICES } from '@/lib/datasets/fine-tune-prices';
import { db } from '@/lib/db';
import { Forbidden } from '@/components/ui/forbidden';
import { LaunchForm, type VersionOption } from './launch-form';

export const metadata: Metadata = { title: 'Launch a fine-tune' };

export default async function NewFineTunePage({ searchParams }: { searchParams: Promise<{ version?: string; provider?: string }> }) {
  const sp = await searchParams;
  const actor = await actorOrSignIn('/fine-tunes/new');
  if (!canLaunchFineTunes(actor)) return <Forbidden message={`Launching fine-tunes needs the ML lead or admin role; you are ${actor.role}.`} />;
  const providers = await listProviders();
  const provider = (providers.find((p) => p.id === sp.provider)?.id ?? 'local') as ProviderId;
  let models: string[] = [];
  let modelsError: string | null = null;
  try {
    models = (await listFineTunableModels(actor, provider)).map((m) => m.id);
  } catch (e) {
    modelsError = (e as Error).message;
  }
  const ready = await listReadyVersions(actor);
  const checks = await db().datasetVersion.findMany({ where: { id: { in: ready.map((v) => v.id) } }, select: { id: true, checks: true } });
  const checkOf = new Map(
    checks.map((c) => [c.id, c.checks as { trainable?: boolean; cost?: { nEpochs: number; billingTokens: number; examples: number } } | null]),
  );
  const versions: VersionOption[] = ready.map((v) => {
    const c = checkOf.get(v.id);
    return {
      id: v.id,
      label: `${v.dataset.name} v${v.version}`,
      trainable: !!c?.trainable,
      cost: c?.cost ? { nEpochs: c.cost.nEpochs, billingTokens: c.cost.billingTokens, examples: c.cost.examples } : null,
    };
  });
  const selected = lenientPageId(sp.version) ?? versions.find((v) => v.trainable)?.id ?? null;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/fine-tunes" className="text-sm text-indigo-700 hover:underline">
        ← Fine-tunes
      </Link>
      <h1 className="text-2xl font-semibold">Launch a fine-tune</h1>
      <p className="text-sm text-slate-600">
        Uploads the version&apos;s training (and validation) file to the provider and starts a supervised fine-tuning job. The background worker launches and
        follows it; you can leave the page.
      </p>
      <LaunchForm
        key={`${provider}-${selected}`}
        providers={providers.map((p) => ({ id: p.id, name: p.name, configured: p.configured, problem: p.problem }))}
        provider={provider}
        models={models}
        modelsError={modelsError}
        versions={versions}
        selectedVersion={selected}
        prices={FINE_TUNE_PRICES.map((p) => ({ model: p.model, usd: p.usdPerMillionTrainingTokens }))}
      />
    </div>
  );
}
