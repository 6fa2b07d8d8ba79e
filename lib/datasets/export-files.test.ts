import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { combineDigests, SPLIT_FILES } from './content-hash';
import { checkJsonlLine, emptyFormatErrors, totalFormatErrors } from './cookbook-checks';
import { DEFAULT_INSTRUCTIONS } from './default-instructions';
import { EXPORT_FILES, exportFileChunks, writeExportFiles, type ExportFileName } from './export-files';
import { SPLITS, type SplitName } from './params';
import { parseStored } from '../stored-json';
import { preflightReportSchema, splitCountsSchema } from './stored-json';
import { exampleTokens } from './tokens';
import { renderTranscript, type TranscriptMessage } from './transcript';
import {
  cand,
  conversation,
  createAndBuild,
  examplesOf,
  importConversations,
  importSampleCorpus,
  rec,
  resetWithUsers,
  tempDir,
  type Counts,
} from './test-fixtures';

interface ManifestLine {
  line: number;
  conversation: string;
  message_id: number;
  label: LabelValueName;
}
interface Manifest {
  dataset: string;
  version: number;
  created_by: string;
  format: string;
  hash: string;
  counts: Counts;
  files: Record<string, { lines: number; bytes: number; sha256: string }>;
  lines: Record<string, ManifestLine[]>;
}
interface ChatLine {
  messages: { role: string; content: string }[];
}

const sha256 = (buf: Buffer | string) => createHash('sha256').update(buf).digest('hex');

/** The lines of a JSONL file (each ends with "\n", so the text splits into n lines + ""). */
function jsonlLines(text: string): string[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

function readExport(dir: string) {
  const raw = Object.fromEntries(EXPORT_FILES.map((f) => [f, fs.readFileSync(path.join(dir, f))])) as Record<ExportFileName, Buffer>;
  const lines = Object.fromEntries(SPLITS.map((s) => [s, jsonlLines(raw[SPLIT_FILES[s]].toString('utf8'))])) as Record<SplitName, string[]>;
  const manifest = JSON.parse(raw['manifest.json'].toString('utf8')) as Manifest;
  return { raw, lines, manifest };
}

async function collect(chunks: AsyncIterable<string | Buffer>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c.toString();
  return out;
}

const sum = (r: Record<LabelValueName, number>) => LABEL_VALUES.reduce((n, l) => n + r[l], 0);

// Text that stresses JSON, COPY and the transcript: quotes, backslashes, tabs, CRLF and
// multi-line messages, HTML, emoji and non-Latin scripts.
const tricky = conversation('tricky "quoted" \\ id', [
  rec('Hi "Dana" — forklift role at $21/hr.\tInterested? <script>alert(1)</script>', 0, 'CONTINUE'),
  cand('yes!!\r\nbut C:\\Users\\me\\shift.txt says nights?\n\n  what are the hours 😀', 3),
  rec('Days only: 6a–2p. 日本語 OK. Want a call Friday?', 9, 'CONTINUE'),
  cand('ok 👍🏽 friday 10', 60 * 26),
  rec('Booked you Friday 10am.', 60 * 26 + 1, 'SCHEDULE'),
]);

// Control characters in the text and in the external id that the manifest quotes. (U+2028 and
// U+2029, which JSON.stringify leaves unescaped, are put in after the import: the importer's
// readline splits JSONL lines on them.)
const controls = conversation('ctrl\tchars\u0007', [
  rec('Hi!\u0007 bell, vt\u000b ff\u000c bs\u0008 us\u001f del\u007f', 0),
  cand('line separator and paragraph separator, zwj 👩‍👩‍👧 and a lone é', 2),
  rec('Noted\\n that is a literal backslash-n.', 3, 'CONTINUE'),
]);

describe('end-to-end export of a seeded corpus', () => {
  let versionId = 0;
  let dir = '';
  let exp: ReturnType<typeof readExport>;
  let version: Awaited<ReturnType<typeof createAndBuild>>;

  beforeAll(async () => {
    await resetWithUsers();
    await importSampleCorpus(300, 11);
    await importConversations('tricky.jsonl', [tricky, controls]);
    await db()
      .$executeRaw`UPDATE messages SET text = replace(replace(text, 'line separator', ${'line\u2028separator'}), 'paragraph separator', ${'paragraph\u2029separator'})
                           WHERE text LIKE 'line separator%'`;
    version = await createAndBuild('e2e');
    versionId = version.id;
    dir = tempDir('e2e');
    const res = await writeExportFiles(versionId, dir);
    expect(res.rows).toBe(version.exampleCount);
    exp = readExport(dir);
  });

  it('builds a ready version whose JSONL lines all pass the cookbook checks, are system/user/assistant and match version.counts', () => {
    expect(version.status).toBe('ready');
    expect(version.error).toBeNull();
    expect(version.exampleCount).toBeGreaterThan(100);
    const counts = parseStored(splitCountsSchema, version.counts, 'counts');
    let total = 0;
    for (const split of SPLITS) {
      const errors = emptyFormatErrors();
      const byLabel = { END: 0, CONTINUE: 0, SCHEDULE: 0 };
      for (const line of exp.lines[split]) {
        expect(checkJsonlLine(line, errors), line).toBe(0);
        const parsed = JSON.parse(line) as ChatLine;
        expect(Object.keys(parsed)).toEqual(['messages']);
        expect(parsed.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
        for (const m of parsed.messages) expect(Object.keys(m)).toEqual(['role', 'content']);
        expect(parsed.messages[0].content).toBe(DEFAULT_INSTRUCTIONS);
        expect(parsed.messages[1].content).toMatch(/\[[^\]\n]+\] Recruiter's turn: END, CONTINUE or SCHEDULE\?$/);
        const label = parsed.messages[2].content as LabelValueName;
        expect(LABEL_VALUES).toContain(label);
        byLabel[label]++;
      }
      expect(totalFormatErrors(errors)).toBe(0);
      expect(exp.lines[split]).toHaveLength(sum(counts[split]));
      expect(byLabel).toEqual(counts[split]);
      total += exp.lines[split].length;
    }
    expect(total).toBe(version.exampleCount);
    // Every split got something at 0.8/0.1/0.1 on ~100 labeled conversations.
    for (const split of SPLITS) expect(exp.lines[split].length).toBeGreaterThan(0);
    const checks = parseStored(preflightReportSchema, version.checks, 'checks');
    expect(totalFormatErrors(checks.formatErrors)).toBe(0);
    expect(checks.trainable).toBe(true);
  });

  it('content hash and per-file digests equal the hashes recomputed from the files', () => {
    const digests = Object.fromEntries(SPLITS.map((s) => [s, { sha256: sha256(exp.raw[SPLIT_FILES[s]]) }])) as Record<SplitName, { sha256: string }>;
    expect(version.contentHash).toBe(combineDigests(digests));
    expect(exp.manifest.hash).toBe(version.contentHash);
    for (const s of SPLITS) {
      const file = SPLIT_FILES[s];
      expect(exp.manifest.files[file]).toEqual({ lines: exp.lines[s].length, bytes: exp.raw[file].length, sha256: digests[s].sha256 });
      expect((version.files as Record<SplitName, unknown>)[s]).toEqual(exp.manifest.files[file]);
    }
  });

  it('manifest.json lists, line by line, the conversation external_id and message_id each example came from', async () => {
    const m = exp.manifest;
    expect(m).toMatchObject({ dataset: 'e2e', version: 1, created_by: 'ml@test', format: 'openai-chat-fine-tuning-jsonl', counts: version.counts });
    const messages = new Map((await db().message.findMany({ include: { conversation: { select: { externalId: true } } } })).map((msg) => [msg.id, msg]));
    const examples = await examplesOf(versionId);
    for (const split of SPLITS) {
      const listed = m.lines[SPLIT_FILES[split]];
      expect(listed).toHaveLength(exp.lines[split].length);
      const rows = examples.filter((e) => e.split === split);
      listed.forEach((entry, i) => {
        expect(entry.line).toBe(i + 1);
        const line = JSON.parse(exp.lines[split][i]) as ChatLine;
        expect(entry.label).toBe(line.messages[2].content);
        const msg = messages.get(entry.message_id)!;
        expect(msg, `message ${entry.message_id}`).toBeDefined();
        expect(msg.sender).toBe('recruiter');
        expect(msg.conversation.externalId).toBe(entry.conversation);
        expect([rows[i].ordinal, rows[i].externalId, rows[i].messageId, rows[i].label]).toEqual([
          entry.line,
          entry.conversation,
          entry.message_id,
          entry.label,
        ]);
      });
    }
    for (const id of [tricky.external_id, controls.external_id])
      expect(
        Object.values(m.lines)
          .flat()
          .some((l) => l.conversation === id),
        id,
      ).toBe(true);
    const ctrl = examples.find((e) => e.externalId === controls.external_id)!;
    expect(ctrl.userContent).toContain('line\u2028separator and paragraph\u2029separator');
    expect(ctrl.userContent).toContain('bell, vt\u000b ff\u000c bs\u0008 us\u001f del\u007f');
  });

  it('each user message is the transcript up to the turn, and stored tokens follow the cookbook count of the line', async () => {
    const convs = await db().conversation.findMany({ include: { messages: { orderBy: { position: 'asc' } } } });
    const byExternal = new Map(convs.map((c) => [c.externalId, c]));
    const examples = await examplesOf(versionId);
    for (const e of examples) {
      const c = byExternal.get(e.externalId)!;
      const msgs: TranscriptMessage[] = c.messages.map((x) => ({ sender: x.sender, text: x.text, sentAt: x.sentAt }));
      const turn = c.messages.findIndex((x) => x.id === e.messageId);
      expect(turn).toBe(e.position);
      expect(e.userContent).toBe(renderTranscript(msgs, turn, 'all'));
      const line = JSON.parse(exp.lines[e.split][e.ordinal - 1]) as ChatLine;
      expect(line.messages[1].content).toBe(e.userContent);
      expect(e.tokens).toBe(exampleTokens(line.messages));
    }
    const t = examples.find((e) => e.externalId === tricky.external_id && e.label === 'SCHEDULE')!;
    expect(t.userContent).toBe(
      '[start] Recruiter: Hi "Dana" — forklift role at $21/hr.\tInterested? <script>alert(1)</script>\n' +
        '[+3m] Candidate: yes!! but C:\\Users\\me\\shift.txt says nights? what are the hours 😀\n' +
        '[+6m] Recruiter: Days only: 6a–2p. 日本語 OK. Want a call Friday?\n' +
        '[+1d 1h] Candidate: ok 👍🏽 friday 10\n' +
        "[+1m] Recruiter's turn: END, CONTINUE or SCHEDULE?",
    );
  });

  it('no conversation is in two splits, in dataset_examples or in the manifest, and the split is roughly stratified by label', async () => {
    const crossing = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (SELECT conversation_id FROM dataset_examples WHERE version_id = ${versionId}
                                 GROUP BY conversation_id HAVING count(DISTINCT split) > 1) x`;
    expect(Number(crossing[0].n)).toBe(0);
    const fromManifest = new Map<string, string>();
    for (const [file, lines] of Object.entries(exp.manifest.lines)) {
      for (const l of lines) {
        expect(fromManifest.get(l.conversation) ?? file, l.conversation).toBe(file);
        fromManifest.set(l.conversation, file);
      }
    }
    // The lineage's assignments agree with where the examples went.
    const assignments = await db().datasetSplitAssignment.findMany({ where: { datasetId: version.datasetId } });
    expect(assignments).toHaveLength(fromManifest.size);
    const externalOf = new Map((await db().conversation.findMany({ select: { id: true, externalId: true } })).map((c) => [c.id, c.externalId]));
    for (const a of assignments) {
      expect(a.firstVersion).toBe(1);
      expect(fromManifest.get(externalOf.get(a.conversationId)!)).toBe(SPLIT_FILES[a.split]);
    }
    // Stratified: each conversation stratum (SCHEDULE > END > CONTINUE) is split 0.8/0.1/0.1 to within one conversation.
    const labelsOf = new Map<string, Set<LabelValueName>>();
    for (const [, lines] of Object.entries(exp.manifest.lines)) {
      for (const l of lines) labelsOf.set(l.conversation, (labelsOf.get(l.conversation) ?? new Set()).add(l.label));
    }
    const strata: Record<LabelValueName, Record<string, number>> = { END: {}, CONTINUE: {}, SCHEDULE: {} };
    for (const [conv, labels] of labelsOf) {
      const stratum = labels.has('SCHEDULE') ? 'SCHEDULE' : labels.has('END') ? 'END' : 'CONTINUE';
      const file = fromManifest.get(conv)!;
      strata[stratum][file] = (strata[stratum][file] ?? 0) + 1;
    }
    const ratios = { 'train.jsonl': 0.8, 'validation.jsonl': 0.1, 'test.jsonl': 0.1 };
    for (const stratum of LABEL_VALUES) {
      const n = Object.values(strata[stratum]).reduce((a, b) => a + b, 0);
      expect(n, stratum).toBeGreaterThan(0);
      for (const [file, r] of Object.entries(ratios)) {
        expect(Math.abs((strata[stratum][file] ?? 0) - n * r), `${stratum} in ${file}: ${JSON.stringify(strata[stratum])}`).toBeLessThanOrEqual(1);
      }
    }
    // Example-level label shares of train stay close to the whole version's.
    const counts = parseStored(splitCountsSchema, version.counts, 'counts');
    const all = LABEL_VALUES.map((l) => SPLITS.reduce((n, s) => n + counts[s][l], 0));
    const allTotal = all.reduce((a, b) => a + b, 0);
    LABEL_VALUES.forEach((l, i) => expect(Math.abs(counts.train[l] / sum(counts.train) - all[i] / allTotal)).toBeLessThan(0.05));
  });

  it('exportFileChunks streams exactly the bytes writeExportFiles wrote, for all four files', async () => {
    for (const f of EXPORT_FILES) {
      expect(await collect(exportFileChunks(versionId, f)), f).toBe(exp.raw[f].toString('utf8'));
    }
    expect(fs.readdirSync(dir).sort()).toEqual([...EXPORT_FILES].sort());
  });

  it('split 0/0/1 puts every example in test, is reported as not trainable, and still exports', async () => {
    const v = await createAndBuild('eval-only', { split: { train: 0, validation: 0, test: 1 } });
    expect(v.status).toBe('ready');
    const counts = parseStored(splitCountsSchema, v.counts, 'counts');
    expect(sum(counts.train) + sum(counts.validation)).toBe(0);
    expect(sum(counts.test)).toBe(v.exampleCount);
    expect(v.exampleCount).toBe(version.exampleCount);
    const checks = parseStored(preflightReportSchema, v.checks, 'checks');
    expect(checks.trainable).toBe(false);
    expect(checks.level).toBe('error');
    expect(checks.items.find((i) => i.id === 'min-examples')).toMatchObject({ level: 'error' });
    expect(checks.items.find((i) => i.id === 'format')).toMatchObject({ level: 'ok' });

    const out = tempDir('eval-only');
    const res = await writeExportFiles(v.id, out);
    expect(res.rows).toBe(v.exampleCount);
    const e = readExport(out);
    expect(e.raw['train.jsonl'].length).toBe(0);
    expect(e.raw['validation.jsonl'].length).toBe(0);
    expect(e.lines.test).toHaveLength(v.exampleCount);
    expect(e.manifest.lines).toEqual({ 'train.jsonl': [], 'validation.jsonl': [], 'test.jsonl': expect.any(Array) });
    expect(e.manifest.lines['test.jsonl']).toHaveLength(v.exampleCount);
    expect(e.manifest.files['train.jsonl']).toEqual({ lines: 0, bytes: 0, sha256: sha256('') });
    const errors = emptyFormatErrors();
    for (const line of e.lines.test) checkJsonlLine(line, errors);
    expect(totalFormatErrors(errors)).toBe(0);
  });

  it('a tampered snapshot fails the export and leaves nothing under the final file names', async () => {
    const v = await createAndBuild('tamper', { seed: 5 });
    await db().$executeRaw`UPDATE dataset_examples SET closing = closing || ' ' WHERE version_id = ${v.id} AND split = 'train' AND ordinal = 1`;
    const out = tempDir('tamper');
    await expect(writeExportFiles(v.id, out)).rejects.toThrow(/exported files hash to [0-9a-f]{64}, but tamper v1 was built as/);
    for (const f of EXPORT_FILES) expect(fs.existsSync(path.join(out, f)), f).toBe(false);
  });

  it('refuses to export a version that is not ready', async () => {
    const queued = await db().datasetVersion.create({
      data: { datasetId: version.datasetId, version: 99, params: version.params as object, createdById: version.createdById },
    });
    await expect(writeExportFiles(queued.id, tempDir('queued'))).rejects.toThrow(/is not ready/);
    await expect(collect(exportFileChunks(queued.id, 'train.jsonl'))).rejects.toThrow(/is not ready/);
  });
});
