// How the launch sends files, against the real local trainer and the real test PostgreSQL: a
// file over the Files API's limit goes through the Uploads API in parts (the limit lowered by
// FINETUNE_FILES_API_MAX_BYTES so a small file takes that path), the progress is recorded on
// the run, and the run trains on the File the parts became. A file over a provider's per-file
// limit is refused at launch, before anything is uploaded. A training file the trainer finds
// bad ends the run with the trainer's message, naming the line.
import fs from 'node:fs';
import path from 'node:path';
import { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { FineTuneInputError } from './errors';
import { launchFineTune } from './launch-fine-tune';
import { fileTooLargeProblem } from './providers/file-limits';
import { processFineTuneInProcess } from './worker-jobs';
import { cancelActiveProviderJobs, FAST, mlLead, startFineTuneWorld, type FineTuneWorld } from './test-fixtures';

process.env.AUTO_EVAL_AFTER_FINETUNE = 'off';

let world: FineTuneWorld;
beforeAll(async () => {
  world = await startFineTuneWorld();
});
afterAll(async () => {
  await world?.close();
});
afterEach(async () => {
  delete process.env.FINETUNE_FILES_API_MAX_BYTES;
  delete process.env.FINETUNE_UPLOAD_PART_BYTES;
  await cancelActiveProviderJobs(world.client);
});

const input = (overrides: Record<string, unknown> = {}) => ({
  datasetVersionId: world.versionId,
  provider: 'local',
  baseModel: 'local-base',
  nEpochs: 1,
  batchSize: 'auto',
  learningRateMultiplier: 'auto',
  ...overrides,
});

/** The trainer's Uploads (its data dir holds one upload.json per Upload). */
function trainerUploads(): { upload: { status: string; filename: string; bytes: number; file: { id: string } | null } }[] {
  const dir = path.join(world.trainer.dataDir, 'uploads');
  return fs.readdirSync(dir).map((id) => JSON.parse(fs.readFileSync(path.join(dir, id, 'upload.json'), 'utf8')));
}

describe('the Uploads API path', () => {
  it('sends a file over the limit in parts, records the progress, and trains on the File they became', async () => {
    process.env.FINETUNE_FILES_API_MAX_BYTES = '1000';
    process.env.FINETUNE_UPLOAD_PART_BYTES = '16384';
    const launched = await launchFineTune(mlLead, input({ suffix: 'parts' }), { enqueue: false });
    const out = await processFineTuneInProcess(launched.id, FAST);
    expect(out.status).toBe('succeeded');

    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } });
    const uploads = trainerUploads().map((u) => u.upload);
    const train = uploads.find((u) => u.file?.id === run.trainingFileId);
    const validation = uploads.find((u) => u.file?.id === run.validationFileId);
    expect(train).toMatchObject({ status: 'completed', filename: 'train.jsonl' });
    expect(validation).toMatchObject({ status: 'completed', filename: 'validation.jsonl' });
    // Several parts, moved into the File in order: its bytes are the exported file's, byte for byte.
    const segments = fs.readdirSync(path.join(world.trainer.dataDir, 'files', `${run.trainingFileId}.parts`));
    expect(segments.length).toBe(Math.ceil(train!.bytes / 16384));
    expect(segments.length).toBeGreaterThan(2);
    const content = Buffer.from(await (await world.client.files.content(run.trainingFileId!)).arrayBuffer());
    expect(content.length).toBe(train!.bytes);
    const version = await db().datasetVersion.findUniqueOrThrow({ where: { id: world.versionId } });
    expect(content.length).toBe((version.files as { train: { bytes: number } }).train.bytes);
    // The last progress recorded before the provider job existed replaced by the provider's status.
    expect(run.providerStatus).toBe('succeeded');
  }, 120_000);

  it('records the upload progress on a pending run', async () => {
    process.env.FINETUNE_FILES_API_MAX_BYTES = '1000';
    process.env.FINETUNE_UPLOAD_PART_BYTES = '16384';
    const launched = await launchFineTune(mlLead, input(), { enqueue: false });
    const seen = new Set<string>();
    const watching = (async () => {
      for (let i = 0; i < 2000; i++) {
        const r = await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id }, select: { providerStatus: true, providerJobId: true } });
        if (r.providerJobId) return;
        if (r.providerStatus) seen.add(r.providerStatus);
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    await processFineTuneInProcess(launched.id, FAST);
    await watching;
    expect(
      [...seen].some((s) => /^uploading (train|validation)\.jsonl: [\d.]+ of [\d.]+ MB \(\d+\/\d+ parts, Uploads API\)$/.test(s)),
      [...seen].join(' | '),
    ).toBe(true);
  }, 120_000);
});

describe('provider file limits', () => {
  it('names the provider and its per-file limit', () => {
    expect(fileTooLargeProblem('azure', 'Azure OpenAI', 'train.jsonl', 600 * 1024 * 1024)).toBe(
      'train.jsonl is 600 MB, but Azure OpenAI takes at most 512 MB per file (it has no Uploads API for larger files); build a smaller version or train on another provider',
    );
    expect(fileTooLargeProblem('together', 'Together AI', 'train.jsonl', 6 * 1024 ** 3)).toMatch(/Together AI takes at most 5 GB per file/);
    expect(fileTooLargeProblem('openai', 'OpenAI', 'train.jsonl', 600 * 1024 * 1024)).toBeNull();
    expect(fileTooLargeProblem('local', 'Local trainer', 'train.jsonl', 9 * 1024 ** 3)).toMatch(/at most 8 GB per file \(through its Uploads API\)/);
  });

  it('refuses at launch, before anything is recorded or uploaded, a version whose file is over the provider limit', async () => {
    const version = await db().datasetVersion.findUniqueOrThrow({ where: { id: world.versionId } });
    const files = version.files as Record<string, { bytes: number }>;
    const real = files.train.bytes;
    // The build's recorded size stands in for a 600 MB export (nothing of that size is built here).
    await db().datasetVersion.update({ where: { id: world.versionId }, data: { files: { ...files, train: { ...files.train, bytes: 600 * 1024 * 1024 } } } });
    try {
      const before = await db().fineTuneJob.count();
      const e = await launchFineTune(mlLead, input({ provider: 'azure', baseModel: 'gpt-4o-mini-2024-07-18' }), { enqueue: false }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FineTuneInputError);
      const messages = (e as FineTuneInputError).issues.filter((i) => i.field === 'provider').map((i) => i.message);
      expect(messages).toContain(
        'train.jsonl is 600 MB, but Azure OpenAI takes at most 512 MB per file (it has no Uploads API for larger files); build a smaller version or train on another provider',
      );
      expect(await db().fineTuneJob.count()).toBe(before);
    } finally {
      await db().datasetVersion.update({ where: { id: world.versionId }, data: { files: { ...files, train: { ...files.train, bytes: real } } } });
    }
  });
});

describe('a training file the trainer finds bad', () => {
  it('ends the run failed with the trainer message naming the line', async () => {
    const good = (await (await world.client.files.content((await world.client.files.list({ purpose: 'fine-tune' })).data[0].id)).text()).split('\n')[0];
    const bad = [good, good, good, '{"messages": [{"role": "user", "content": "hi"}]}', good].join('\n');
    const file = await world.client.files.create({ file: await toFile(Buffer.from(bad), 'train.jsonl'), purpose: 'fine-tune' });
    const launched = await launchFineTune(mlLead, input(), { enqueue: false });
    // As if this run had uploaded it: the launch uses the recorded training file.
    await db().fineTuneJob.update({ where: { id: launched.id }, data: { trainingFileId: file.id } });
    const out = await processFineTuneInProcess(launched.id, FAST);
    expect(out.status).toBe('failed');
    const run = await db().fineTuneJob.findUniqueOrThrow({ where: { id: launched.id } });
    expect(run.error).toMatch(/^Local trainer: The job failed due to an invalid training file \(file-[^)]+\)\. /);
    expect(run.error).toContain('line 4: no assistant message (example_missing_assistant_message)');
    expect(run.error).toMatch(/\(invalid_training_file\)$/);
  }, 60_000);
});
