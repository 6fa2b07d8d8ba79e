// npm run seed [-- --force] [--count N] [--seed S] [--out FILE]
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { disconnectDb } from '../db';
import { seedDatabase, writeSampleFile, DEFAULT_SAMPLE_COUNT, DEFAULT_SAMPLE_SEED } from '../seed';
import { defineCli, parseOrExit, wholeNumber } from './flags';

const { values } = parseOrExit(
  defineCli({
    command: 'npm run seed --',
    description: 'Loads generated sample conversations into an empty database (--force re-imports them), or with --out only writes them to a file.',
    flags: {
      force: { type: 'boolean', help: 'import even when the database already has conversations' },
      count: {
        type: 'string',
        value: 'N',
        default: String(DEFAULT_SAMPLE_COUNT),
        schema: wholeNumber({ min: 1, max: 2_000_000 }),
        help: 'conversations to generate',
      },
      seed: { type: 'string', value: 'S', default: String(DEFAULT_SAMPLE_SEED), schema: wholeNumber({ what: 'an integer' }), help: 'generator seed' },
      out: { type: 'string', value: 'FILE', help: 'write the file only' },
    },
  }),
);
if (values.out) {
  writeSampleFile(values.out, values.count, values.seed);
  console.log(`Wrote ${values.count} conversations to ${values.out}`);
  process.exit(0);
}
const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
try {
  await applyPendingMigrations(url);
  const summary = await seedDatabase({ force: values.force, count: values.count, seed: values.seed });
  if (summary) console.log(JSON.stringify(summary));
} finally {
  await disconnectDb();
  await embedded?.stop();
}
