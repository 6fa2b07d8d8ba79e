// Reading a built version back out as files: train.jsonl, validation.jsonl, test.jsonl and
// manifest.json. Everything streams from a cursor in file order, so a download or an export
// of a million examples holds one batch in memory at a time.
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { db } from '../db';
import type { LabelValueName } from '../labeling/label-values';
import { SPLIT_FILES, SplitHasher } from './content-hash';
import { exampleLineWriter } from './example-line';
import { datasetParamsSchema, SPLITS, type SplitName } from './params';

export const EXPORT_FILES = ['train.jsonl', 'validation.jsonl', 'test.jsonl', 'manifest.json'] as const;
export type ExportFileName = (typeof EXPORT_FILES)[number];

const BATCH = 5_000;

export function splitOfFile(file: ExportFileName): SplitName | null {
  return SPLITS.find((s) => SPLIT_FILES[s] === file) ?? null;
}

interface ExampleRow {
  ordinal: number;
  external_id: string;
  message_id: number;
  label: LabelValueName;
  user_content?: string;
}

async function* examplesInOrder(client: pg.Client, versionId: number, split: SplitName, withContent: boolean): AsyncGenerator<ExampleRow[]> {
  const cursor = client.query(
    new Cursor<ExampleRow>(
      `SELECT ordinal, external_id, message_id, label::text AS label${withContent ? ', user_content' : ''}
       FROM dataset_examples WHERE version_id = $1 AND split = $2 ORDER BY ordinal`,
      [versionId, split],
    ),
  );
  try {
    for (;;) {
      const rows = await cursor.read(BATCH);
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await cursor.close();
  }
}

async function loadReadyVersion(versionId: number) {
  const v = await db().datasetVersion.findUnique({
    where: { id: versionId },
    include: { dataset: { select: { name: true } }, createdBy: { select: { email: true } } },
  });
  if (!v || v.status !== 'ready') throw new Error(`dataset version ${versionId} is not ready`);
  return v;
}
export type ReadyVersion = Awaited<ReturnType<typeof loadReadyVersion>>;

/** Chunks (≈ one batch of lines each) of one split's JSONL file. */
export async function* splitFileChunks(client: pg.Client, version: ReadyVersion, split: SplitName): AsyncGenerator<string> {
  const write = exampleLineWriter(datasetParamsSchema.parse(version.params).instructions);
  for await (const rows of examplesInOrder(client, version.id, split, true)) {
    let chunk = '';
    for (const r of rows) chunk += write(r.user_content!, r.label);
    yield chunk;
  }
}

/** manifest.json: parameters, counts, hashes, and where every line came from. */
export async function* manifestChunks(client: pg.Client, version: ReadyVersion): AsyncGenerator<string> {
  const head = {
    dataset: version.dataset.name,
    version: version.version,
    created_at: version.createdAt.toISOString(),
    created_by: version.createdBy.email,
    format: 'openai-chat-fine-tuning-jsonl',
    params: version.params,
    counts: version.counts,
    hash: version.contentHash,
    files: Object.fromEntries(SPLITS.map((s) => [SPLIT_FILES[s], (version.files as Record<string, unknown>)[s]])),
    exclusions: version.exclusions,
  };
  const text = JSON.stringify(head, null, 2);
  yield `${text.slice(0, -2)},\n  "lines": {`;
  for (const [i, split] of SPLITS.entries()) {
    yield `${i ? ',' : ''}\n    "${SPLIT_FILES[split]}": [`;
    let first = true;
    for await (const rows of examplesInOrder(client, version.id, split, false)) {
      let chunk = '';
      for (const r of rows) {
        chunk += `${first ? '' : ','}\n      {"line":${r.ordinal},"conversation":${JSON.stringify(r.external_id)},"message_id":${r.message_id},"label":"${r.label}"}`;
        first = false;
      }
      yield chunk;
    }
    yield first ? ']' : '\n    ]';
  }
  yield '\n  }\n}\n';
}

export async function openExportClient(databaseUrl?: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl ?? process.env.DATABASE_URL });
  await client.connect();
  return client;
}

/** Chunks of any export file of a ready version, on its own connection (closed at the end). */
export async function* exportFileChunks(versionId: number, file: ExportFileName): AsyncGenerator<string> {
  const version = await loadReadyVersion(versionId);
  const client = await openExportClient();
  try {
    const split = splitOfFile(file);
    yield* split ? splitFileChunks(client, version, split) : manifestChunks(client, version);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface ExportResult {
  dir: string;
  files: Record<ExportFileName, string>;
  rows: number;
}

/**
 * Writes the four files into `outDir`. Each is written to a temporary name and renamed once
 * complete, and the JSONL files are re-hashed on the way out: a mismatch with the stored
 * hash means the snapshot was tampered with, and nothing is left under the final names.
 */
export async function writeExportFiles(versionId: number, outDir: string, opts: { databaseUrl?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<ExportResult> {
  const version = await loadReadyVersion(versionId);
  await mkdir(outDir, { recursive: true });
  const client = await openExportClient(opts.databaseUrl);
  const hasher = new SplitHasher();
  const files = {} as Record<ExportFileName, string>;
  let rows = 0;
  const writeFile = async (name: ExportFileName, chunks: AsyncIterable<string>, onChunk?: (c: string) => void) => {
    const final = path.join(outDir, name);
    const temp = `${final}.partial`;
    const out = createWriteStream(temp);
    for await (const c of chunks) {
      onChunk?.(c);
      if (!out.write(c)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    files[name] = final;
    return { temp, final };
  };
  try {
    const renames = [];
    for (const split of SPLITS) {
      renames.push(
        await writeFile(SPLIT_FILES[split], splitFileChunks(client, version, split), (c) => {
          // Chunks hold whole lines; hash them line by line as the build did.
          let start = 0;
          for (let i = c.indexOf('\n'); i >= 0; i = c.indexOf('\n', start)) {
            hasher.add(split, c.slice(start, i + 1));
            start = i + 1;
            rows++;
          }
          opts.onProgress?.(rows, version.exampleCount);
        }),
      );
    }
    const { contentHash } = hasher.digest();
    if (contentHash !== version.contentHash) {
      throw new Error(`exported files hash to ${contentHash}, but ${version.dataset.name} v${version.version} was built as ${version.contentHash}`);
    }
    renames.push(await writeFile('manifest.json', manifestChunks(client, version)));
    for (const r of renames) await rename(r.temp, r.final);
    return { dir: outDir, files, rows };
  } finally {
    await client.end().catch(() => {});
  }
}
