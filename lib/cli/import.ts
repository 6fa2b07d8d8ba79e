// npm run import -- <file.json|file.jsonl>
import fs from 'node:fs';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { formatIssue, importConversationsFile, ImportValidationError } from '../imports';
import { defineCli, parseOrExit } from './flags';

const {
  positionals: [file],
} = parseOrExit(
  defineCli({
    command: 'npm run import --',
    description:
      'Imports conversations from a file (format: conversations.schema.json), all or nothing: any problem is listed by file and line and nothing is written.',
    flags: {},
    positionals: { name: '<file.json|file.jsonl>', min: 1, max: 1, help: 'a JSON document or JSON Lines, one conversation a line' },
  }),
);
if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
  console.error(`${file}: no such file`);
  process.exit(2);
}

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
try {
  await applyPendingMigrations(url);
  const started = Date.now();
  const summary = await importConversationsFile(file, {
    databaseUrl: url,
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
