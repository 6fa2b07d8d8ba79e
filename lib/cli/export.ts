// npm run export -- --name <name> --out <dir> [--seed N] [--split 0.8/0.1/0.1]
//   [--policy latest|majority|adjudicated|agree:K] [--context all|N] [--search Q] [--exclude-turns-without-candidate]
//   [--instructions-file F] [--as EMAIL]
// Builds a new version of the dataset from the current labels (in this process, no worker
// needed), prints the pre-flight checks, writes train/validation/test.jsonl + manifest.json,
// and prints as its last line {"dataset","version","counts","hash"}.
import { readFileSync } from 'node:fs';
import { cliActor } from '../auth/cli-actor';
import { AuthError } from '../auth/errors';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { buildDatasetVersion, DatasetBuildError } from '../datasets/build-dataset-version';
import { createDatasetVersion } from '../datasets/create-dataset-version';
import { DatasetInputError } from '../datasets/errors';
import { writeExportFiles } from '../datasets/export-files';
import { DEFAULT_PARAMS, parseContextText, parsePolicyText, parseSeedText, parseSplitText, type DatasetParams } from '../datasets/params';
import { formatPreflight } from '../datasets/format-preflight';
import { preflightReportSchema } from '../datasets/stored-json';
import { parseStored } from '../stored-json';
import { defineCli, parseOrExit, textParsedBy } from './flags';

const { values: v } = parseOrExit(
  defineCli({
    command: 'npm run export --',
    description:
      'Builds a new version of the dataset from the current labels (in this process, no worker needed), prints the pre-flight checks, writes train/validation/test.jsonl + manifest.json, and prints as its last line {"dataset","version","counts","hash"}.',
    flags: {
      name: { type: 'string', required: true, help: 'the dataset (created if new)' },
      out: { type: 'string', value: 'dir', required: true, help: 'where to write the files' },
      seed: { type: 'string', value: 'N', schema: textParsedBy(parseSeedText), help: `split seed (default ${DEFAULT_PARAMS.seed})` },
      split: { type: 'string', value: '0.8/0.1/0.1', schema: textParsedBy(parseSplitText), help: 'train/validation/test ratios' },
      policy: { type: 'string', value: 'latest|majority|adjudicated|agree:K', schema: textParsedBy(parsePolicyText), help: "which reviewer's label counts" },
      context: { type: 'string', value: 'all|N', schema: textParsedBy(parseContextText), help: 'messages of history per example' },
      search: { type: 'string', value: 'Q', help: 'only conversations matching this text' },
      'exclude-turns-without-candidate': { type: 'boolean', help: 'leave out turns with no candidate message before them (nudges, closes after silence)' },
      'instructions-file': { type: 'string', value: 'F', schema: textParsedBy((f) => readFileSync(f, 'utf8')), help: 'system prompt from this file' },
      as: { type: 'string', value: 'EMAIL', help: 'act as this user (default: the first admin)' },
    },
  }),
);

// Flag text → params (each parse error names its flag, above). Nothing touches the database
// before every flag is valid.
const params: DatasetParams = {
  ...DEFAULT_PARAMS,
  ...(v.seed !== undefined ? { seed: v.seed } : {}),
  ...(v.split !== undefined ? { split: v.split } : {}),
  ...(v.policy !== undefined ? { policy: v.policy } : {}),
  ...(v.context !== undefined ? { context: v.context } : {}),
  ...(v['instructions-file'] !== undefined ? { instructions: v['instructions-file'] } : {}),
  ...(v.search !== undefined ? { search: v.search } : {}),
  ...(v['exclude-turns-without-candidate'] ? { includeTurnsWithoutCandidate: false } : {}),
};

const FLAG_OF: Record<string, string> = {
  split: 'split',
  'split.train': 'split',
  seed: 'seed',
  policy: 'policy',
  'policy.k': 'policy',
  context: 'context',
  name: 'name',
  instructions: 'instructions-file',
  search: 'search',
  selection: 'search',
};

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
try {
  await applyPendingMigrations(url);
  const actor = await cliActor(v.as);
  const created = await createDatasetVersion(actor, { name: v.name, params });
  const started = Date.now();
  let lastPhase = '';
  await buildDatasetVersion(created.versionId, {
    databaseUrl: url,
    onProgress: (phase, done, total) => {
      if (phase !== lastPhase || done === total || done % 50_000 === 0) {
        process.stderr.write(
          `[export] ${((Date.now() - started) / 1000).toFixed(1)}s ${phase} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}\n`,
        );
        lastPhase = phase;
      }
    },
  });
  const { db } = await import('../db');
  const version = await db().datasetVersion.findUniqueOrThrow({ where: { id: created.versionId } });
  console.error(`\n${created.name} v${created.version}: ${version.exampleCount.toLocaleString('en-US')} examples`);
  console.error(formatPreflight(parseStored(preflightReportSchema, version.checks, 'dataset_versions.checks')));
  const sameAs = (version.exclusions as { sameContentAs?: number | null }).sameContentAs;
  if (sameAs) console.error(`Same content as v${sameAs} (identical files).`);
  await writeExportFiles(created.versionId, v.out, {
    databaseUrl: url,
    onProgress: (done, total) => {
      if (done === total || done % 100_000 === 0) process.stderr.write(`[export] writing ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}\n`);
    },
  });
  console.error(`Wrote ${v.out}/{train,validation,test}.jsonl and manifest.json in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify({ dataset: created.name, version: created.version, counts: version.counts, hash: version.contentHash }));
} catch (e) {
  code = 1;
  if (e instanceof DatasetInputError) {
    for (const i of e.issues) console.error(`--${FLAG_OF[i.field] ?? i.field}: ${i.message}`);
    console.error('Nothing was created.');
    code = 2;
  } else if (e instanceof AuthError || e instanceof DatasetBuildError) {
    console.error(e.message);
  } else {
    console.error(`Export failed: ${(e as Error).message}`);
  }
} finally {
  await disconnectDb();
  await embedded?.stop();
}
process.exit(code);
