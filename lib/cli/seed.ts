// npm run seed [-- --force] [--count N] [--seed S] [--out FILE]
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { disconnectDb } from '../db';
import { seedDatabase, writeSampleFile, DEFAULT_SAMPLE_COUNT, DEFAULT_SAMPLE_SEED } from '../seed';

const USAGE = 'usage: npm run seed -- [--force] [--count N] [--seed S] [--out FILE (write the file only)]';
let values;
try {
  ({ values } = parseArgs({
    options: { force: { type: 'boolean' }, count: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
  }));
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const opts = z
  .object({
    count: z.coerce.number({ error: '--count must be a number' }).int('--count must be a whole number').min(1, '--count must be at least 1').max(2_000_000).default(DEFAULT_SAMPLE_COUNT),
    seed: z.coerce.number({ error: '--seed must be a number' }).int('--seed must be an integer').default(DEFAULT_SAMPLE_SEED),
  })
  .safeParse({ count: values.count, seed: values.seed });
if (!opts.success) {
  console.error(`${opts.error.issues.map((i) => i.message).join('\n')}\n${USAGE}`);
  process.exit(2);
}

if (values.out) {
  writeSampleFile(values.out, opts.data.count, opts.data.seed);
  console.log(`Wrote ${opts.data.count} conversations to ${values.out}`);
  process.exit(0);
}
const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
try {
  await applyPendingMigrations(url);
  const summary = await seedDatabase({ force: values.force, count: opts.data.count, seed: opts.data.seed });
  if (summary) console.log(JSON.stringify(summary));
} finally {
  await disconnectDb();
  await embedded?.stop();
}
