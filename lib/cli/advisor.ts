// npm run advisor -- promote --model <model> [--provider local|openai] [--threshold 0.7]
//   [--timeout-ms N] [--note T] [--as EMAIL]
// npm run advisor -- rollback --to <promotion id> [--note T] [--as EMAIL]
// npm run advisor -- current
// Makes a model the advisor through the same lib/ function as the Models page. The last
// stdout line is JSON: {"promotion":id,"model":…,"provider":…,"threshold":…}.
// Exit 0 = done, 1 = refused (role, unknown promotion), 2 = bad flags or input.
import { parseArgs } from 'node:util';
import { cliActor } from '../auth/cli-actor';
import { currentPromotion, promoteModel, rollbackToPromotion } from '../advisor/promotions';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { AppError, InputError } from '../errors';

const USAGE = `usage:
  npm run advisor -- promote --model <model> [--provider local|openai] [--threshold 0.7] [--timeout-ms 2000] [--note TEXT] [--as EMAIL]
  npm run advisor -- rollback --to <promotion id> [--note TEXT] [--as EMAIL]
  npm run advisor -- current`;

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
if (!['promote', 'rollback', 'current'].includes(command ?? '')) {
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
  await disconnectDb();
  await embedded?.stop();
}
process.exit(code);
