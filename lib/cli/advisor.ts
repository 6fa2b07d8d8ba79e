// npm run advisor -- promote --model <model> [--provider local|openai] [--threshold 0.7]
//   [--timeout-ms N] [--note T] [--as EMAIL]
// npm run advisor -- rollback --to <promotion id> [--note T] [--as EMAIL]
// npm run advisor -- current
// npm run advisor -- shadow --model <model> [--provider local|openai] [--timeout-ms N] [--note T] [--as EMAIL]
// npm run advisor -- shadow --detach [--as EMAIL]
// npm run advisor -- retrain [--as EMAIL]
// Makes a model the advisor through the same lib/ function as the Models page. The last
// stdout line is JSON: {"promotion":id,"model":…,"provider":…,"threshold":…}; for shadow
// {"shadow":id,"model":…,"provider":…,"timeoutMs":…,"attached":bool}; for retrain
// {"retrain":id,"datasetVersion":id,"dataset":…,"version":n}.
// Exit 0 = done, 1 = refused (role, unknown promotion), 2 = bad flags or input.
import { parseArgs } from 'node:util';
import { cliActor } from '../auth/cli-actor';
import { currentPromotion, promoteModel, rollbackToPromotion } from '../advisor/promotions';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { AppError, InputError } from '../errors';
import { attachShadow, detachShadow } from '../advisor/shadow';
import { requestRetrain } from '../advisor/retrain';
import { stopQueue } from '../jobs/queue';

const USAGE = `usage:
  npm run advisor -- promote --model <model> [--provider local|openai] [--threshold 0.7] [--timeout-ms 2000] [--note TEXT] [--as EMAIL]
  npm run advisor -- rollback --to <promotion id> [--note TEXT] [--as EMAIL]
  npm run advisor -- current
  npm run advisor -- shadow --model <model> [--provider local|openai] [--timeout-ms 2000] [--note TEXT] [--as EMAIL]
  npm run advisor -- shadow --detach [--as EMAIL]
  npm run advisor -- retrain [--as EMAIL]`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      provider: { type: 'string' },
      threshold: { type: 'string' },
      'timeout-ms': { type: 'string' },
      note: { type: 'string' },
      to: { type: 'string' },
      detach: { type: 'boolean' },
      as: { type: 'string' },
    },
  });
}
try {
  args = parse();
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [command] = args.positionals;
if (!['promote', 'rollback', 'current', 'shadow', 'retrain'].includes(command ?? '')) {
  console.error(USAGE);
  process.exit(2);
}
const FLAG: Record<string, string> = { model: '--model', provider: '--provider', threshold: '--threshold', timeoutMs: '--timeout-ms', note: '--note' };

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
try {
  await applyPendingMigrations(url);
  const v = args.values;
  const out = (p: { id: number; model: string; provider: string; threshold: number }) =>
    console.log(JSON.stringify({ promotion: p.id, model: p.model, provider: p.provider, threshold: p.threshold }));
  if (command === 'current') {
    const p = await currentPromotion();
    if (!p) {
      console.error('No advisor is promoted yet.');
      code = 1;
    } else out(p);
  } else if (command === 'promote') {
    if (!v.model) throw InputError.of('model', 'is required');
    const actor = await cliActor(v.as);
    const p = await promoteModel(actor, {
      model: v.model,
      ...(v.provider ? { provider: v.provider as 'local' } : {}),
      ...(v.threshold !== undefined ? { threshold: v.threshold as unknown as number } : {}),
      ...(v['timeout-ms'] !== undefined ? { timeoutMs: v['timeout-ms'] as unknown as number } : {}),
      ...(v.note ? { note: v.note } : {}),
    });
    process.stderr.write(`[advisor] promotion #${p.id}: ${p.model} on ${p.provider}, acting at confidence ≥ ${p.threshold}\n`);
    out(p);
  } else if (command === 'shadow') {
    if (v.detach && v.model) throw InputError.of('detach', 'give either --model (attach) or --detach, not both');
    if (!v.detach && !v.model) throw InputError.of('model', 'is required (or --detach to stop the shadow)');
    const actor = await cliActor(v.as);
    const s = v.detach
      ? await detachShadow(actor)
      : await attachShadow(actor, {
          model: v.model!,
          ...(v.provider ? { provider: v.provider as 'local' } : {}),
          ...(v['timeout-ms'] !== undefined ? { timeoutMs: v['timeout-ms'] as unknown as number } : {}),
          ...(v.note ? { note: v.note } : {}),
        });
    process.stderr.write(
      v.detach
        ? `[advisor] shadow #${s.id} (${s.model}) detached; its decisions stay\n`
        : `[advisor] shadow #${s.id}: ${s.model} on ${s.provider} is asked beside the advisor on every decision (timeout ${s.timeoutMs} ms)\n`,
    );
    console.log(JSON.stringify({ shadow: s.id, model: s.model, provider: s.provider, timeoutMs: s.timeoutMs, attached: !s.detachedAt }));
  } else if (command === 'retrain') {
    const actor = await cliActor(v.as);
    const r = await requestRetrain(actor);
    process.stderr.write(`[advisor] retrain #${r.retrainId}: the worker builds ${r.datasetName} v${r.version}, then launches the fine-tune\n`);
    console.log(JSON.stringify({ retrain: r.retrainId, datasetVersion: r.datasetVersionId, dataset: r.datasetName, version: r.version }));
  } else {
    if (!v.to || !/^\d+$/.test(v.to)) throw InputError.of('to', 'must be a promotion id');
    const actor = await cliActor(v.as);
    const p = await rollbackToPromotion(actor, Number(v.to), v.note);
    process.stderr.write(`[advisor] promotion #${p.id}: back to #${v.to} (${p.model})\n`);
    out(p);
  }
} catch (e) {
  if (e instanceof InputError) {
    for (const i of e.issues) console.error(`${FLAG[i.field] ?? `--${i.field}`}: ${i.message}`);
    code = 2;
  } else if (e instanceof AppError) {
    console.error(e.message);
    code = 1;
  } else {
    console.error((e as Error).message);
    code = 1;
  }
} finally {
  await stopQueue().catch(() => {});
  await disconnectDb();
  await embedded?.stop();
}
process.exit(code);
