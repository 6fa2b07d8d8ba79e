// npm run finetune -- --dataset <name> [--version V] --model <base> [--provider local|openai|azure|together]
//   [--epochs N|auto] [--batch-size N|auto] [--lr-multiplier X|auto] [--suffix S] [--seed N]
//   [--learning-rate X] [--no-lora] [--lora-r N] [--lora-alpha N] [--lora-dropout X] [--warmup-ratio X]  (Together AI)
//   [--wait] [--as EMAIL]
// npm run finetune -- --list-providers   (which providers are configured, and why not)
// Launches a fine-tune of a dataset version (default: its latest ready version) through the
// same lib/ function as the page. With --wait it also runs the launch and the polling itself,
// in this process and with the queue's retry policy, printing progress to stderr until the run
// ends (the worker's queued copy is harmless: every step is idempotent). The last stdout line
// is the run as JSON. Exit 0 = succeeded (or queued without --wait), 1 = failed/cancelled,
// 2 = bad flags or input (nothing created), 130 = stopped waiting (the run goes on).
import { cliActor } from '../auth/cli-actor';
import { AuthError } from '../auth/errors';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { stopQueue } from '../jobs/queue';
import { FINETUNE_CLI, FINETUNE_USAGE, FLAG_OF_FIELD, parseFineTuneFlags } from './finetune-flags';
import { helpText } from './flags';
import { FineTuneInputError, FineTuneProviderError } from '../finetunes/errors';
import { launchFineTune } from '../finetunes/launch-fine-tune';
import { listProviders } from '../finetunes/providers';
import { getFineTune, getFineTuneLive } from '../finetunes/queries';
import { resolveDatasetVersion } from '../finetunes/resolve-version';
import { processFineTuneInProcess } from '../finetunes/worker-jobs';

if (process.argv.includes('--list-providers')) {
  const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
  try {
    await applyPendingMigrations(url);
    for (const p of await listProviders()) {
      console.log(`${p.id.padEnd(9)} ${p.configured ? `configured (${p.baseUrl}, key from the ${p.keySource})` : `not configured: ${p.problem}`}`);
    }
  } finally {
    await disconnectDb();
    await embedded?.stop();
  }
  process.exit(0);
}

const parsed = parseFineTuneFlags(process.argv.slice(2));
if (parsed.ok && parsed.help) {
  console.log(helpText(FINETUNE_CLI));
  process.exit(0);
}
if (!parsed.ok) {
  console.error(`${parsed.errors.join('\n')}\n${FINETUNE_USAGE}\n(--help lists every flag)`);
  process.exit(2);
}
const { flags } = parsed;
const say = (line: string) => process.stderr.write(`[finetune] ${line}\n`);
const FLAG = { ...FLAG_OF_FIELD, dataset: '--dataset', datasetVersionId: flags.version === null ? '--dataset' : '--version' };

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
const stopWaiting = new AbortController();
process.on('SIGINT', () => stopWaiting.abort(new Error('interrupted')));
try {
  await applyPendingMigrations(url);
  const actor = await cliActor(flags.as);
  const version = await resolveDatasetVersion(flags.dataset, flags.version);
  const launched = await launchFineTune(actor, { ...flags.input, datasetVersionId: version.id });
  const cost = launched.estimatedCost;
  say(
    `fine-tune #${launched.id}: ${version.name} v${version.version} on ${flags.input.provider} ${flags.input.baseModel} (about ${cost.chargedTokens.toLocaleString('en-US')} training tokens over ${cost.nEpochs} epoch${cost.nEpochs === 1 ? '' : 's'}${cost.usd !== null && cost.usd > 0 ? `, ≈ $${cost.usd.toFixed(2)}` : ''})`,
  );

  if (flags.wait) {
    let lastEventId: number | undefined;
    let lastStatus = '';
    const report = async () => {
      const live = await getFineTuneLive(actor, launched.id, lastEventId === undefined ? {} : { afterEventId: lastEventId });
      if (!live) return;
      // Metrics events come every few steps: show the newest one per poll, every other event as it is.
      const latestMetrics = live.events.filter((e) => e.type === 'metrics').at(-1);
      for (const e of live.events) if (e.type !== 'metrics' || e === latestMetrics) say(`${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
      lastEventId = live.lastEventId ?? lastEventId;
      if (live.status !== lastStatus) say(`status: ${(lastStatus = live.status)}`);
    };
    try {
      await processFineTuneInProcess(launched.id, {
        signal: stopWaiting.signal,
        onStep: () => report().catch(() => {}),
        onRetry: (e, waitMs, attempt) => say(`retry ${attempt} in ${(waitMs / 1000).toFixed(1)} s: ${e.message}`),
      });
      await report();
    } catch (e) {
      if (!stopWaiting.signal.aborted) throw e;
      say(`stopped waiting; fine-tune #${launched.id} goes on in the worker (npm start or npm run worker)`);
      code = 130;
    }
  } else {
    say(`queued: the worker (npm start or npm run worker) launches it; --wait follows it here`);
  }

  const run = (await getFineTune(actor, launched.id))!;
  if (run.error && run.status === 'failed') say(run.error);
  if (code === 0 && flags.wait) code = run.status === 'succeeded' ? 0 : 1;
  console.log(
    JSON.stringify({
      id: run.id,
      status: run.status,
      fine_tuned_model: run.fineTunedModel,
      provider: run.provider,
      base_model: run.baseModel,
      dataset: run.dataset.name,
      version: run.datasetVersion.version,
      dataset_version_id: run.datasetVersion.id,
      trained_tokens: run.trainedTokens,
      hyperparameters: run.hyperparameters.resolved ?? run.hyperparameters.requested,
      provider_job_id: run.providerJobId,
      error: run.error,
    }),
  );
} catch (e) {
  code = 1;
  if (e instanceof FineTuneInputError) {
    for (const i of e.issues) console.error(`${FLAG[i.field as keyof typeof FLAG] ?? i.field}: ${i.message}`);
    console.error('Nothing was created.');
    code = 2;
  } else if (e instanceof AuthError || e instanceof FineTuneProviderError) {
    console.error(e.message);
  } else {
    console.error(`Fine-tune failed: ${(e as Error).message}`);
  }
} finally {
  await stopQueue().catch(() => {});
  await disconnectDb();
  await embedded?.stop();
}
process.exit(code);
