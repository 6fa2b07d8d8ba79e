// Reading a built version back out as files: train.jsonl, validation.jsonl, test.jsonl and
// manifest.json. Everything streams from COPY in file order, so a download or an export of a
// million examples holds one chunk in memory at a time.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { db } from '../db';
import type { LabelValueName } from '../labeling/label-values';
import { SPLIT_FILES, SplitHasher } from './content-hash';
import { lineFrame } from './example-line';
import { datasetParamsSchema, SPLITS, type SplitName } from './params';
import { USER_CONTENT_SQL } from './transcript-store';

export const EXPORT_FILES = ['train.jsonl', 'validation.jsonl', 'test.jsonl', 'manifest.json'] as const;
export type ExportFileName = (typeof EXPORT_FILES)[number];

export function splitOfFile(file: ExportFileName): SplitName | null {
  return SPLITS.find((s) => SPLIT_FILES[s] === file) ?? null;
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const ENTRY_FIRST = Buffer.from('\n      ');
const ENTRY_NEXT = Buffer.from(',\n      ');

/** A batch of consecutive examples, already as the bytes of the output files. */
interface ExampleBatch {
  /** JSONL lines (empty when only the manifest was asked for). */
  lines: Buffer;
  /** Manifest entries, each with its leading separator. */
  entries: Buffer;
  count: number;
}

/**
 * A split's examples in file order, as output bytes. PostgreSQL does the JSON encoding
 * (to_json escapes exactly as JSON.stringify does, and the export re-checks the hash of every
 * byte) and streams rows as CSV with a tab delimiter: JSON text never holds a raw tab,
 * newline or \x01 (the unused quote character), so fields arrive unquoted and are copied into
 * the output as bytes, never decoded. The database encodes while this process writes, on a
 * second core, and memory stays at one chunk.
 */
async function* exampleBatches(
  client: pg.Client,
  versionId: number,
  split: SplitName,
  frame: ReturnType<typeof lineFrame> | null,
): AsyncGenerator<ExampleBatch> {
  if (!Number.isInteger(versionId) || !SPLITS.includes(split)) throw new Error('bad export request');
  const stream = client.query(
    copyTo(
      `COPY (SELECT e.label,
                    '{"line":' || e.ordinal || ',"conversation":' || to_json(e.external_id)::text || ',"message_id":' || e.message_id || ',"label":"' || e.label || '"}'
                    ${frame ? `, to_json(${USER_CONTENT_SQL})::text` : ''}
             FROM dataset_examples e ${frame ? 'JOIN dataset_transcripts t ON t.sha256 = e.transcript_sha' : ''}
             WHERE e.version_id = ${versionId} AND e.split = '${split}' ORDER BY e.ordinal)
       TO STDOUT WITH (FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x01')`,
    ),
  );
  let rest: Buffer = Buffer.alloc(0);
  let first = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const last = buf.lastIndexOf(NEWLINE);
    if (last < 0) {
      rest = buf;
      continue;
    }
    rest = buf.subarray(last + 1);
    const lines: Buffer[] = [];
    const entries: Buffer[] = [];
    let count = 0;
    for (let at = 0; at <= last;) {
      const end = buf.indexOf(NEWLINE, at);
      const t1 = buf.indexOf(TAB, at);
      const t2 = frame ? buf.indexOf(TAB, t1 + 1) : end;
      entries.push(first ? ENTRY_FIRST : ENTRY_NEXT, buf.subarray(t1 + 1, t2));
      first = false;
      if (frame) {
        const label = buf.toString('latin1', at, t1) as LabelValueName;
        lines.push(frame.prefix, buf.subarray(t2 + 1, end), frame.suffixes.get(label)!);
      }
      count++;
      at = end + 1;
    }
    yield { lines: Buffer.concat(lines), entries: Buffer.concat(entries), count };
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
export async function* splitFileChunks(client: pg.Client, version: ReadyVersion, split: SplitName): AsyncGenerator<Buffer> {
  const frame = lineFrame(datasetParamsSchema.parse(version.params).instructions);
  for await (const batch of exampleBatches(client, version.id, split, frame)) yield batch.lines;
}

// manifest.json: parameters, counts, hashes, and where every line came from. Built from
// pieces so it can be streamed alongside the JSONL files in the same pass.
function manifestHead(version: ReadyVersion): string {
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
  return `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "lines": {`;
}
const manifestSplitOpen = (index: number, split: SplitName) => `${index ? ',' : ''}\n    "${SPLIT_FILES[split]}": [`;
const manifestSplitClose = (empty: boolean) => (empty ? ']' : '\n    ]');
const MANIFEST_TAIL = '\n  }\n}\n';

export async function* manifestChunks(client: pg.Client, version: ReadyVersion): AsyncGenerator<Buffer> {
  yield Buffer.from(manifestHead(version));
  for (const [i, split] of SPLITS.entries()) {
    yield Buffer.from(manifestSplitOpen(i, split));
    let empty = true;
    for await (const batch of exampleBatches(client, version.id, split, null)) {
      empty = false;
      yield batch.entries;
    }
    yield Buffer.from(manifestSplitClose(empty));
  }
  yield Buffer.from(MANIFEST_TAIL);
}

/**
 * The digests of a version's JSONL files as stored, by reading them back exactly as an export
 * does (the build's final step uses it when it could not hash the lines as it wrote them).
 */
export async function digestStoredFiles(client: pg.Client, versionId: number, instructions: string) {
  const frame = lineFrame(instructions);
  const hasher = new SplitHasher();
  for (const split of SPLITS) {
    for await (const batch of exampleBatches(client, versionId, split, frame)) hasher.addBytes(split, batch.lines, batch.count);
  }
  return hasher.digest();
}

export async function openExportClient(databaseUrl?: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl ?? process.env.DATABASE_URL });
  client.on('error', () => {}); // a connection dropped between chunks fails the next query, not the process
  await client.connect();
  return client;
}

/** Chunks of any export file of a ready version, on its own connection (closed at the end). */
export async function* exportFileChunks(versionId: number, file: ExportFileName): AsyncGenerator<Buffer> {
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

class FileSink {
  private readonly out: WriteStream;
  constructor(readonly final: string) {
    this.out = createWriteStream(`${final}.partial`);
  }
  async write(text: string | Buffer) {
    if (text && !this.out.write(text)) await once(this.out, 'drain');
  }
  async close() {
    this.out.end();
    await once(this.out, 'finish');
  }
  async commit() {
    await rename(`${this.final}.partial`, this.final);
  }
  async discard() {
    this.out.destroy();
    await rm(`${this.final}.partial`, { force: true });
  }
}

/**
 * Writes the four files into `outDir` in one pass over the examples. Each file is written to
 * a temporary name and renamed once all are complete, and the JSONL files are re-hashed on
 * the way out: a mismatch with the stored hash means the snapshot was altered, and nothing
 * is left under the final names.
 */
export async function writeExportFiles(
  versionId: number,
  outDir: string,
  opts: { databaseUrl?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<ExportResult> {
  const version = await loadReadyVersion(versionId);
  await mkdir(outDir, { recursive: true });
  const client = await openExportClient(opts.databaseUrl);
  const frame = lineFrame(datasetParamsSchema.parse(version.params).instructions);
  const hasher = new SplitHasher();
  const manifest = new FileSink(path.join(outDir, 'manifest.json'));
  const sinks: FileSink[] = [manifest];
  let rows = 0;
  try {
    await manifest.write(manifestHead(version));
    for (const [i, split] of SPLITS.entries()) {
      const file = new FileSink(path.join(outDir, SPLIT_FILES[split]));
      sinks.push(file);
      await manifest.write(manifestSplitOpen(i, split));
      let empty = true;
      for await (const batch of exampleBatches(client, version.id, split, frame)) {
        empty = false;
        hasher.addBytes(split, batch.lines, batch.count);
        rows += batch.count;
        await file.write(batch.lines);
        await manifest.write(batch.entries);
        opts.onProgress?.(rows, version.exampleCount);
      }
      await manifest.write(manifestSplitClose(empty));
      await file.close();
    }
    await manifest.write(MANIFEST_TAIL);
    await manifest.close();
    const { contentHash } = hasher.digest();
    if (contentHash !== version.contentHash) {
      throw new Error(`exported files hash to ${contentHash}, but ${version.dataset.name} v${version.version} was built as ${version.contentHash}`);
    }
    for (const sink of sinks) await sink.commit();
    const files = Object.fromEntries(sinks.map((k) => [path.basename(k.final), k.final])) as Record<ExportFileName, string>;
    return { dir: outDir, files, rows };
  } catch (e) {
    await Promise.all(sinks.map((k) => k.discard()));
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}
