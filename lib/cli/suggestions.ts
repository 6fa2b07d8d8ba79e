// npm run suggestions -- backfill [--queue-only] [--concurrency N] [--as EMAIL]
// npm run suggestions -- status
// backfill: queues every conversation with a decision turn nobody labeled for the current
// suggester (the advisor, or before any promotion the newest fine-tune), then computes them in
// this process — beside any worker doing the same (claims keep them apart) — until none is left.
// The last stdout line is JSON: {"suggester","model","requested","conversations","computed","invalid","remaining"}.
// Exit 0 = done, 1 = refused or failed (role, no suggester, provider down), 2 = bad flags.
import { z } from 'zod';
import { cliActor } from '../auth/cli-actor';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { AppError } from '../errors';
import { processSuggestionRequests } from '../suggestions/compute';
import { backfillSuggestions, pendingRequests } from '../suggestions/requests';
import { currentSuggester } from '../suggestions/suggester';
import { defineCli, parseOrExit } from './flags';

const {
  values,
  positionals: [command],
} = parseOrExit(
  defineCli({
    command: 'npm run suggestions --',
    description:
      'Model suggestions on unlabeled turns. backfill: queue every unlabeled decision turn for the current advisor (or newest fine-tune) and compute them now; status: what is waiting.',
    flags: {
      'queue-only': { type: 'boolean', help: 'only queue; the worker computes them' },
      concurrency: {
        type: 'string',
        value: 'N',
        help: 'requests in flight (1..64, default SUGGESTIONS_CONCURRENCY or 4)',
        schema: z.coerce.number().int().min(1).max(64),
      },
      as: { type: 'string', value: 'EMAIL', help: 'act as this account (an ml_lead or admin; default: the first admin)' },
    },
    positionals: { name: '<backfill|status>', min: 1, max: 1, help: 'what to do' },
  }),
);
if (command !== 'backfill' && command !== 'status') {
  console.error(`unknown command "${command}": use backfill or status`);
  process.exit(2);
}

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
try {
  await applyPendingMigrations(url);
  if (command === 'status') {
    const s = await currentSuggester();
    console.log(JSON.stringify({ suggester: s?.key ?? null, model: s?.model ?? null, remaining: await pendingRequests() }));
  } else {
    const actor = await cliActor(values.as);
    const queued = await backfillSuggestions(actor);
    if (!queued) {
      console.error('Nothing can suggest yet: promote a model (npm run advisor -- promote --model M) or finish a fine-tune first.');
      code = 1;
    } else {
      process.stderr.write(`[suggestions] ${queued.requested} conversations queued for ${queued.model} (${queued.suggester})\n`);
      const started = Date.now();
      const r = values['queue-only']
        ? { conversations: 0, computed: 0, invalid: 0, remaining: await pendingRequests() }
        : await processSuggestionRequests({
            ...(values.concurrency ? { concurrency: values.concurrency } : {}),
            onBatch: (p) =>
              process.stderr.write(
                `[suggestions] ${((Date.now() - started) / 1000).toFixed(1)}s ${p.conversations} conversations, ${p.computed} suggestions\n`,
              ),
          });
      console.log(
        JSON.stringify({
          suggester: queued.suggester,
          model: queued.model,
          requested: queued.requested,
          conversations: r.conversations,
          computed: r.computed,
          invalid: r.invalid,
          remaining: r.remaining,
        }),
      );
    }
  }
} catch (e) {
  console.error(e instanceof AppError ? e.message : `Suggestions failed: ${(e as Error).message}`);
  code = 1;
} finally {
  await disconnectDb();
  await embedded?.stop();
}
process.exit(code);
