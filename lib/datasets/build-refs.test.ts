// The statement-level reference checks of dataset_examples (migration
// 20261204200000_dataset_refs_by_key): a row whose version or transcript is missing fails the
// whole statement, rows whose references exist go in, whatever else the tables hold.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { buildDatasetVersion } from './build-dataset-version';
import { createDatasetVersion } from './create-dataset-version';
import { importSampleCorpus, mlLead, params, resetWithUsers } from './test-fixtures';

let versionId: number;

beforeAll(async () => {
  await resetWithUsers();
  await importSampleCorpus(20, 5);
  versionId = (await createDatasetVersion(mlLead, { name: 'refs', params: params() })).versionId;
  await buildDatasetVersion(versionId);
});

/** Copies of the version's first `n` examples at new ordinals, the last one's transcript `lastSha` (SQL). */
function insertCopies(n: number, lastSha = 'transcript_sha') {
  return db().$executeRawUnsafe(
    `INSERT INTO dataset_examples (version_id, split, ordinal, conversation_id, external_id, message_id, position, label, tokens,
                                   transcript_sha, context_from, context_chars, closing, content_md5)
     SELECT version_id, split, ordinal + 1000000, conversation_id, external_id, message_id, position, label, tokens,
            CASE WHEN rn = ${n} THEN ${lastSha} ELSE transcript_sha END, context_from, context_chars, closing, content_md5
     FROM (SELECT *, row_number() OVER (ORDER BY split, ordinal) AS rn FROM dataset_examples WHERE version_id = ${versionId} ORDER BY split, ordinal LIMIT ${n}) e`,
  );
}

const copies = () => db().datasetExample.count({ where: { versionId, ordinal: { gt: 1000000 } } });

describe('dataset_examples reference checks', () => {
  it('accepts rows whose version and transcript exist', async () => {
    expect(await insertCopies(5)).toBe(5);
    expect(await copies()).toBe(5);
    await db().$executeRawUnsafe(`DELETE FROM dataset_examples WHERE version_id = ${versionId} AND ordinal > 1000000`);
  });

  it('rejects the whole statement when a row has no transcript', async () => {
    const e = await insertCopies(5, `'\\x00'::bytea`).catch((x: Error) => x);
    expect(String(e)).toMatch(/violates its reference to dataset_transcripts/);
    expect(await copies()).toBe(0);
  });

  it('rejects rows of a version that does not exist', async () => {
    const e = await db()
      .$executeRawUnsafe(
        `INSERT INTO dataset_build_conversations (version_id, seq, conversation_id, external_id, split, first_ordinal, turns)
         VALUES (${versionId}, 100000, 1, 'x', 'train', 1, 1), (${versionId + 1000}, 100001, 1, 'x', 'train', 1, 1)`,
      )
      .catch((x: Error) => x);
    expect(String(e)).toMatch(/violates its reference to dataset_versions/);
  });
});
