import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { buildDatasetVersion, buildDatasetVersionSlice } from './build-dataset-version';
import { SPLIT_FILES } from './content-hash';
import { createDatasetVersion } from './create-dataset-version';
import { EXPORT_FILES, exportFileChunks, writeExportFiles } from './export-files';
import { SPLITS } from './params';
import { listVersionExamples } from './queries';
import { renderTranscript } from './transcript';
import { cand, conversation, examplesOf, importConversations, importSampleCorpus, mlLead, params, rec, resetWithUsers, tempDir } from './test-fixtures';

const BATCH = 7; // conversations per batch: the 120-conversation corpus makes a dozen or so batches

async function versionRow(id: number) {
  return db().datasetVersion.findUniqueOrThrow({ where: { id } });
}

async function exportBytes(versionId: number, name: string): Promise<Record<string, Buffer>> {
  const dir = tempDir(name);
  await writeExportFiles(versionId, dir);
  return Object.fromEntries(SPLITS.map((s) => [s, fs.readFileSync(path.join(dir, SPLIT_FILES[s]))]));
}

async function scratchRows(versionId: number) {
  const [r] = await db().$queryRaw<{ n: bigint }[]>`
    SELECT (SELECT count(*) FROM dataset_build_turns WHERE version_id = ${versionId}) + (SELECT count(*) FROM dataset_build_conversations WHERE version_id = ${versionId})
         + (SELECT count(*) FROM dataset_build_batches WHERE version_id = ${versionId}) AS n`;
  return Number(r.n);
}

describe('a chunked build', () => {
  let whole: Awaited<ReturnType<typeof versionRow>>;

  beforeAll(async () => {
    await resetWithUsers();
    await importSampleCorpus(120, 5);
    const created = await createDatasetVersion(mlLead, { name: 'whole', params: params() });
    await buildDatasetVersion(created.versionId, { batchConversations: BATCH });
    whole = await versionRow(created.versionId);
    expect(whole.status).toBe('ready');
    expect(await scratchRows(whole.id)).toBe(0);
  });

  it('killed between batches, resumes at the next batch and ends with the same hash and bytes as an uninterrupted build', async () => {
    const created = await createDatasetVersion(mlLead, { name: 'crashy', params: params() });
    const crash = await buildDatasetVersion(created.versionId, {
      batchConversations: BATCH,
      afterBatch: (k) => {
        if (k === 2) throw new Error('worker killed');
      },
    }).catch((e: Error) => e);
    expect(crash).toBeInstanceOf(Error);
    // A killed worker leaves the version "building"; a thrown error leaves it "failed". Either resumes.
    await db().datasetVersion.update({ where: { id: created.versionId }, data: { status: 'building' } });
    const half = await versionRow(created.versionId);
    expect(half).toMatchObject({ status: 'building', buildStage: 'planned', batchesDone: 3 });
    expect(half.batchesTotal).toBeGreaterThan(5);
    const onDisk = await db().datasetExample.count({ where: { versionId: created.versionId } });
    expect(onDisk).toBeGreaterThan(0);
    expect(half.progressDone).toBe(onDisk);

    // Nobody reads a version that is not ready, although its first batches are stored.
    expect(await listVersionExamples(mlLead, created.versionId, { split: 'train' })).toEqual({ examples: [], nextAfter: null });
    await expect(writeExportFiles(created.versionId, tempDir('half'))).rejects.toThrow(/is not ready/);
    for (const file of EXPORT_FILES) await expect(exportFileChunks(created.versionId, file).next()).rejects.toThrow(/is not ready/);

    const batchesRun: number[] = [];
    // The batch size is fixed by the plan: a different one now changes nothing.
    const result = await buildDatasetVersion(created.versionId, { batchConversations: 50, afterBatch: (k) => batchesRun.push(k) });
    expect(batchesRun[0]).toBe(3);
    expect(batchesRun).toHaveLength(half.batchesTotal - 3);
    expect(result.contentHash).toBe(whole.contentHash);
    const resumed = await versionRow(created.versionId);
    expect(resumed).toMatchObject({ status: 'ready', exampleCount: whole.exampleCount, counts: whole.counts, files: whole.files, checks: whole.checks });
    expect(resumed.tokenStats).toEqual(whole.tokenStats);
    expect(await scratchRows(created.versionId)).toBe(0);
    expect(await exportBytes(created.versionId, 'resumed')).toEqual(await exportBytes(whole.id, 'whole'));
  });

  it('a build whose time slice ends returns unfinished and the next slice completes it', async () => {
    const created = await createDatasetVersion(mlLead, { name: 'sliced', params: params() });
    expect(await buildDatasetVersionSlice(created.versionId, { batchConversations: BATCH, deadline: Date.now() - 1 })).toBeNull();
    expect(await versionRow(created.versionId)).toMatchObject({ status: 'building', buildStage: 'planned', batchesDone: 0, progressPhase: 'Writing examples' });
    const done = await buildDatasetVersionSlice(created.versionId, { deadline: Date.now() + 60_000 });
    expect(done?.contentHash).toBe(whole.contentHash);
  });

  it('stores each conversation once: versions and context windows share transcript rows', async () => {
    const again = await createDatasetVersion(mlLead, { name: 'whole', params: params() });
    await buildDatasetVersion(again.versionId);
    const last2 = await createDatasetVersion(mlLead, { name: 'last-two', params: params({ context: 2 }) });
    await buildDatasetVersion(last2.versionId);
    const shas = async (versionId: number) =>
      (
        await db().$queryRaw<
          { sha: string }[]
        >`SELECT DISTINCT encode(transcript_sha, 'hex') AS sha FROM dataset_examples WHERE version_id = ${versionId} ORDER BY 1`
      ).map((r) => r.sha);
    const [a, b, c] = [await shas(whole.id), await shas(again.versionId), await shas(last2.versionId)];
    expect(a.length).toBe((whole.exclusions as { conversations: number }).conversations);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // One row per conversation for all three versions, however many turns each has.
    const [{ n }] = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM dataset_transcripts`;
    expect(Number(n)).toBe(a.length);
    expect(whole.exampleCount).toBeGreaterThan(a.length * 2);
  });
});

describe('transcript slices', () => {
  beforeAll(async () => {
    await resetWithUsers();
    // Astral characters (one code point, two UTF-16 units) before the slice boundary of context 1.
    await importConversations('astral.jsonl', [
      conversation('astral-1', [
        rec('Hi 👋 forklift role, $21/hr 🚜?', 0),
        cand('yes 🙂🙂 naïve question: nights?', 5),
        rec('Days only 𝔡𝔞𝔶𝔰. OK?', 9, 'CONTINUE'),
        cand('ok 👍', 15),
        rec('Tuesday 9am?', 20, 'SCHEDULE'),
      ]),
    ]);
  });

  it('assemble to exactly the rendered transcript, for every context, with characters outside the BMP', async () => {
    const msgs = (await db().conversation.findUniqueOrThrow({ where: { externalId: 'astral-1' }, include: { messages: { orderBy: { position: 'asc' } } } }))
      .messages;
    for (const context of ['all', 1, 2] as const) {
      const created = await createDatasetVersion(mlLead, {
        name: `astral-${context}`,
        params: params({ context, split: { train: 1, validation: 0, test: 0 } }),
      });
      await buildDatasetVersion(created.versionId);
      const examples = await examplesOf(created.versionId);
      expect(examples.map((e) => e.position)).toEqual([2, 4]);
      for (const e of examples) expect(e.userContent, `context ${context}, turn ${e.position}`).toBe(renderTranscript(msgs, e.position, context));
      const lines = (await exportBytes(created.versionId, `astral-${context}`)).train.toString('utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).messages[1].content)).toEqual(examples.map((e) => e.userContent));
    }
  });
});
