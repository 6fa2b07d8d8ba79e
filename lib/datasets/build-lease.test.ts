// One build per dataset at a time: two builds of one lineage started together (two workers, or
// two deliveries of one job) run one after the other, and the second inherits the first's split
// assignments instead of colliding with them.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { buildDatasetVersion } from './build-dataset-version';
import { buildLeaseName } from './build-lease';
import { createDatasetVersion } from './create-dataset-version';
import { examplesOf, importSampleCorpus, mlLead, params, resetWithUsers, splitByConversation, type VersionExclusions } from './test-fixtures';
import { leaseHolder, withWorkLease } from '../jobs/work-lease';

const create = async (name: string) => (await createDatasetVersion(mlLead, { name, params: params() })).versionId;
const version = (id: number) => db().datasetVersion.findUniqueOrThrow({ where: { id } });

describe('concurrent builds of one dataset', () => {
  beforeAll(async () => {
    await resetWithUsers();
    await importSampleCorpus(150, 5);
  });

  it('two versions built at once: both ready, the second inherits every split of the first, no assignment twice', async () => {
    const [a, b] = [await create('race'), await create('race')];
    const [ra, rb] = await Promise.all([buildDatasetVersion(a), buildDatasetVersion(b)]);
    const [va, vb] = [await version(a), await version(b)];
    expect([va.status, vb.status]).toEqual(['ready', 'ready']);
    expect(rb.contentHash).toBe(ra.contentHash);
    const [ea, eb] = [va.exclusions as unknown as VersionExclusions, vb.exclusions as unknown as VersionExclusions];
    // Exactly one of them assigned the conversations, the other inherited all of them.
    expect([ea.newlyAssigned, eb.newlyAssigned].sort((x, y) => x - y)).toEqual([0, ea.conversations]);
    const [sa, sb] = [await splitByConversation(a), await splitByConversation(b)];
    expect(sb).toEqual(sa);
    const assigned = await db().datasetSplitAssignment.findMany({ where: { datasetId: va.datasetId } });
    expect(assigned.length).toBe(ea.conversations);
    expect(await db().workLease.count({ where: { name: buildLeaseName(va.datasetId) } })).toBe(0);
  });

  it('a build that finds the dataset busy waits, and its version says for which build', async () => {
    const id = await create('busy');
    const v = await version(id);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // Another worker building v9 of this dataset.
    const other = withWorkLease(buildLeaseName(v.datasetId), () => held, { note: 'v9' });
    await expect.poll(() => leaseHolder(buildLeaseName(v.datasetId))).toMatchObject({ note: 'v9' });
    const build = buildDatasetVersion(id);
    await expect.poll(async () => (await version(id)).progressPhase, { timeout: 5_000 }).toBe('Waiting for v9 of this dataset to finish building');
    expect((await version(id)).status).toBe('queued');
    release();
    await other;
    await build;
    expect((await version(id)).status).toBe('ready');
  });

  it('the same version delivered twice at once is built once; a late third delivery changes nothing', async () => {
    const id = await create('twice');
    const [r1, r2] = await Promise.all([buildDatasetVersion(id), buildDatasetVersion(id)]);
    expect(r2).toEqual(r1);
    const v = await version(id);
    expect(v.status).toBe('ready');
    expect((await examplesOf(id)).length).toBe(v.exampleCount);
    const finishedAt = v.finishedAt;
    expect(await buildDatasetVersion(id)).toEqual(r1);
    expect(await version(id)).toMatchObject({ status: 'ready', error: null, finishedAt });
  });
});
