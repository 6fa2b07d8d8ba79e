// npm run labels:export -- --format csv|jsonl [--out file] [--history] [--as EMAIL]
// Writes the raw labels (one row per reviewer and turn, or with --history one row per change)
// to a file or to standard output; the same export as the download in the browser.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { cliActor } from '../auth/cli-actor';
import { isAppError } from '../errors';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { labelExportChunks, LABEL_EXPORT_FORMATS } from '../labels-export/export-labels';
import { defineCli, oneOf, parseOrExit } from './flags';

const { values: v } = parseOrExit(
  defineCli({
    command: 'npm run labels:export --',
    description:
      'Exports the raw labels: one row per reviewer and turn (their current label), or with --history one row per change. Columns: see README "Labels export". Prints {"rows","file"} as its last line when writing a file.',
    flags: {
      format: { type: 'string', value: 'csv|jsonl', required: true, schema: oneOf(LABEL_EXPORT_FORMATS), help: 'the file format' },
      out: { type: 'string', value: 'file', help: 'write here (default: standard output)' },
      history: { type: 'boolean', help: 'every change (who, when, from → to, source) instead of the current labels' },
      as: { type: 'string', value: 'EMAIL', help: 'act as this user (an ML lead or admin; default: the first admin)' },
    },
  }),
);

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
const partial = v.out ? `${v.out}.partial` : null;
try {
  await applyPendingMigrations(url);
  const actor = await cliActor(v.as);
  const out = partial ? createWriteStream(partial) : process.stdout;
  let rows = 0;
  for await (const chunk of labelExportChunks(actor, { format: v.format, history: v.history }, url)) {
    rows += chunk.rows;
    if (!out.write(chunk.text)) await once(out, 'drain');
  }
  if (partial && v.out) {
    out.end();
    await once(out, 'finish');
    await rename(partial, v.out);
    console.log(JSON.stringify({ rows, file: v.out }));
  }
} catch (e) {
  code = 1;
  if (partial) await rm(partial, { force: true });
  console.error(`labels:export failed: ${isAppError(e) ? e.message : (e as Error).message}`);
} finally {
  await disconnectDb().catch(() => {});
  await embedded?.stop();
}
process.exit(code);
