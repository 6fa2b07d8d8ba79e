// The golden set as a source: loaded through the importer, marked, kept out of every labels
// dataset, fixed against edits, and built into evaluation-only versions on demand.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { cand, conversation, createAndBuild, examplesOf, importConversations, mlLead, rec, resetWithUsers, reviewer, tempDir } from '../datasets/test-fixtures';
import { createDatasetVersion } from '../datasets/create-dataset-version';
import { DEFAULT_PARAMS } from '../datasets/params';
import { ImportSourceConflictError } from '../imports/import-conversations';
import { labelTurn, LabelRuleError } from '../labeling/label-turn';
import { snapshotDatabase } from '../testing/db-snapshot';
import { ensureGoldenVersion, loadGoldenSet } from './ensure-golden-version';
import { GOLDEN_DATASET_NAME } from './golden-file';

const dir = tempDir('golden');
function goldenFile(name: string, conversations: ReturnType<typeof conversation>[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ conversations }));
  return file;
}

const golden = [
  conversation('golden-a', [
    rec('Hi Ana, warehouse role at $18/hr, interested?', 0, 'CONTINUE'),
    cand('whats the schedule', 5),
    rec('Mon-Fri 7a-3p. Want to set up a quick call?', 6, 'CONTINUE'),
    cand('sure tmrw at 10', 30),
    rec('Booked tomorrow 10am!', 31, 'SCHEDULE'),
  ]),
  conversation('golden-b', [
    rec('Hi Bo, driver role nearby, still looking?', 0, 'CONTINUE'),
    rec('Just checking in, still interested?', 60 * 48, 'CONTINUE'),
    rec('No worries, I will close this out. Good luck!', 60 * 96, 'END'),
  ]),
];
const labeled = [conversation('real-1', [rec('Hi, forklift role?', 0, 'CONTINUE'), cand('not interested', 3), rec('Thanks, take care!', 4, 'END')])];

beforeEach(async () => {
  await resetWithUsers();
  await importConversations('labels.jsonl', labeled);
});

describe('the golden set as a source', () => {
  it('is marked golden, never enters a labels dataset, and cannot be relabeled', async () => {
    await loadGoldenSet({ file: goldenFile('g1.json', golden) });
    const rows = await db().conversation.findMany({ orderBy: { externalId: 'asc' }, select: { externalId: true, isGolden: true } });
    expect(rows).toEqual([
      { externalId: 'golden-a', isGolden: true },
      { externalId: 'golden-b', isGolden: true },
      { externalId: 'real-1', isGolden: false },
    ]);
    const v = await createAndBuild('everything', { split: { train: 1, validation: 0, test: 0 } });
    const ex = await examplesOf(v.id);
    expect(new Set(ex.map((e) => e.externalId))).toEqual(new Set(['real-1']));

    const turn = await db().message.findFirstOrThrow({ where: { conversation: { externalId: 'golden-a' }, position: 2 } });
    await expect(labelTurn(reviewer, { messageId: turn.id, value: 'END' })).rejects.toThrow(LabelRuleError);
    await expect(labelTurn(reviewer, { messageId: turn.id, value: 'END' })).rejects.toThrow(/golden/);
  });

  it('an ordinary import cannot touch a golden conversation, nor the golden set an ordinary one; nothing is written', async () => {
    await loadGoldenSet({ file: goldenFile('g2.json', golden) });
    const before = await snapshotDatabase();
    await expect(importConversations('sneaky.jsonl', [conversation('golden-a', [rec('changed', 0, 'END')])])).rejects.toThrow(ImportSourceConflictError);
    await expect(loadGoldenSet({ file: goldenFile('g3.json', [...golden, labeled[0]]) })).rejects.toThrow(
      /cannot take over conversations imported from elsewhere: real-1/,
    );
    expect(await snapshotDatabase()).toEqual(before);
  });

  it('the name "golden" is reserved for it', async () => {
    await ensureGoldenVersion({ instructions: DEFAULT_PARAMS.instructions, context: 'all' }, mlLead.id, { file: goldenFile('g4.json', golden) });
    await expect(createDatasetVersion(mlLead, { name: GOLDEN_DATASET_NAME, params: DEFAULT_PARAMS })).rejects.toThrow(/golden set \(evaluation only\)/);
  });
});

describe('golden versions', () => {
  it('holds every golden turn but the opening message, all in the test split, and is reused while file and settings are unchanged', async () => {
    const file = goldenFile('g5.json', golden);
    const settings = { instructions: DEFAULT_PARAMS.instructions, context: 'all' as const };
    const id = await ensureGoldenVersion(settings, mlLead.id, { file });
    const v = await db().datasetVersion.findUniqueOrThrow({ where: { id }, include: { dataset: true } });
    expect(v).toMatchObject({ status: 'ready', dataset: { kind: 'golden', name: 'golden' } });
    const ex = await db().datasetExample.findMany({ where: { versionId: id }, orderBy: [{ externalId: 'asc' }, { position: 'asc' }] });
    // golden-a: turns at 2 and 4; golden-b: the nudge and the close after two unanswered messages.
    expect(ex.map((e) => [e.externalId, e.position, e.label, e.split])).toEqual([
      ['golden-a', 2, 'CONTINUE', 'test'],
      ['golden-a', 4, 'SCHEDULE', 'test'],
      ['golden-b', 1, 'CONTINUE', 'test'],
      ['golden-b', 2, 'END', 'test'],
    ]);
    expect(await ensureGoldenVersion(settings, mlLead.id, { file })).toBe(id);
    const other = await ensureGoldenVersion({ ...settings, context: 2 }, mlLead.id, { file });
    expect(other).not.toBe(id);
    // A changed file is loaded again and gets a version of its own.
    const changed = goldenFile('g6.json', [golden[0]]);
    const third = await ensureGoldenVersion(settings, mlLead.id, { file: changed });
    expect([id, other]).not.toContain(third);
  });

  it('two workers asking at once build it once', async () => {
    const file = goldenFile('g7.json', golden);
    const settings = { instructions: 'Decide END, CONTINUE or SCHEDULE.', context: 'all' as const };
    const ids = await Promise.all([1, 2, 3].map(() => ensureGoldenVersion(settings, mlLead.id, { file })));
    expect(new Set(ids).size).toBe(1);
    expect(await db().datasetVersion.count({ where: { dataset: { kind: 'golden' } } })).toBe(1);
  });
});
