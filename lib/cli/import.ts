// npm run import -- <file.json|file.jsonl|file.csv> [--map conversation_id=thread,text=body,…]
import fs from 'node:fs';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { CSV_FIELDS, formatIssue, importConversationsFile, ImportValidationError, parseCsvMapText } from '../imports';
import { defineCli, parseOrExit, textParsedBy } from './flags';

const {
  positionals: [file],
  values: v,
} = parseOrExit(
  defineCli({
    command: 'npm run import --',
    description:
      'Imports conversations from a file (format: conversations.schema.json, or CSV with one row per message), all or nothing: any problem is listed by file and line and nothing is written.',
    flags: {
      map: {
        type: 'string',
        value: 'field=column,…',
        schema: textParsedBy(parseCsvMapText),
        help: `CSV: the file's own column for a field (fields: ${CSV_FIELDS.join(', ')}); unmapped fields are read from the column of their own name`,
      },
    },
    positionals: {
      name: '<file.json|file.jsonl|file.csv>',
      min: 1,
      max: 1,
      help: `a JSON document, JSON Lines (one conversation a line) or CSV (a header row, then one row per message, a conversation's rows together in message order; columns ${CSV_FIELDS.join(',')})`,
    },
  }),
);
if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
  console.error(`${file}: no such file`);
  process.exit(2);
}
if (v.map && !/\.csv$/i.test(file)) {
  console.error(`--map: only for CSV files (${file} is not a .csv)`);
  process.exit(2);
}

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
try {
  await applyPendingMigrations(url);
  const started = Date.now();
  const summary = await importConversationsFile(file, {
    databaseUrl: url,
    csvMapping: v.map,
    onProgress: (stage, detail) => process.stderr.write(`[import] ${((Date.now() - started) / 1000).toFixed(1)}s ${stage}${detail ? `: ${detail}` : ''}\n`),
  });
  process.stderr.write(`[import] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  console.log(JSON.stringify(summary));
} catch (e) {
  code = 1;
  if (e instanceof ImportValidationError) {
    for (const issue of e.issues) console.error(formatIssue(file, issue));
    if (e.issueCount > e.issues.length) console.error(`… and ${e.issueCount - e.issues.length} more`);
    console.error(e.message);
  } else {
    console.error(`Import failed, nothing was written: ${(e as Error).message}`);
  }
} finally {
  await embedded?.stop();
}
process.exit(code);
