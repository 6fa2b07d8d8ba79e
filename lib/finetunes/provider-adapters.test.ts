// The hosted providers' adapters against their published API references: a fixture server
// (fixtures/) checks each request the adapter sends and answers with the reference's
// responses. Together AI and Azure OpenAI run the real launch and poll steps (the same code
// path as the local trainer, which finetunes.test.ts drives), through a real PostgreSQL.
// Bad answers — an unknown status, a missing field, a 4xx with an error body — end the run
// with the provider's message.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { launchFineTune } from './launch-fine-tune';
import { providerClient } from './providers';
import { runFineTuneLaunch, runFineTunePoll } from './worker-jobs';
import { FAST, mlLead, startFineTuneWorld, type FineTuneWorld } from './test-fixtures';
import { startFixtureServer, type FixtureRequest, type FixtureServer } from './fixtures/fixture-server';
import * as tg from './fixtures/together';
import * as az from './fixtures/azure';

process.env.AUTO_EVAL_AFTER_FINETUNE = 'off';

const ENV = [
  'TOGETHER_API_KEY',
  'TOGETHER_BASE_URL',
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_ACCOUNT',
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_RESOURCE_GROUP',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_MANAGEMENT_URL',
  'AZURE_AUTHORITY_HOST',
] as const;

let world: FineTuneWorld;
let server: FixtureServer;
beforeAll(async () => {
  world = await startFineTuneWorld();
  server = await startFixtureServer();
});
afterAll(async () => {
  await server?.close();
  await world?.close();
});
afterEach(() => {
  for (const k of ENV) delete process.env[k];
  server.reset();
});

const fail = (why: string): never => {
  throw new Error(why);
};
const expectEq = (what: string, got: unknown, want: unknown) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};

async function runOf(id: number) {
  return db().fineTuneJob.findUniqueOrThrow({ where: { id } });
}

describe('Together AI', () => {
  beforeEach(() => {
    process.env.TOGETHER_API_KEY = tg.TOGETHER_KEY;
    process.env.TOGETHER_BASE_URL = `${server.url}/v1`;
  });

  const authed = (r: FixtureRequest) => expectEq('authorization', r.headers.authorization, `Bearer ${tg.TOGETHER_KEY}`);

  function routeUploads() {
    let n = 0;
    server.route('POST', '/v1/files/upload', async (r) => {
      authed(r);
      const form = await r.form();
      expectEq('purpose', form.get('purpose'), 'fine-tune');
      expectEq('file_type', form.get('file_type'), 'jsonl');
      const name = String(form.get('file_name'));
      if (!['train.jsonl', 'validation.jsonl'].includes(name)) fail(`file_name ${name}`);
      const text = await (form.get('file') as Blob).text();
      const first = JSON.parse(text.split('\n')[0]);
      if (!Array.isArray(first.messages)) fail('the file is not chat JSONL');
      return { body: tg.uploadResponse(`file-${++n}-${name}`, name) };
    });
  }

  it('uploads, creates with its own hyperparameters, maps its statuses and records the output model', async () => {
    routeUploads();
    server.route('GET', '/v1/fine-tunes', { body: { data: [] } });
    let created: Record<string, unknown> | null = null;
    server.route('POST', '/v1/fine-tunes', (r) => {
      authed(r);
      created = r.json() as Record<string, unknown>;
      return { body: tg.job({ status: 'pending', training_file: created.training_file }) };
    });
    const { id } = await launchFineTune(
      mlLead,
      {
        datasetVersionId: world.versionId,
        provider: 'together',
        baseModel: tg.TOGETHER_MODEL,
        nEpochs: 3,
        learningRate: 0.00001,
        loraR: 16,
        loraAlpha: 32,
        warmupRatio: 0.05,
        suffix: 'exit-advisor',
      },
      { enqueue: false },
    );
    expect((await runOf(id)).hyperparameters).toEqual({
      n_epochs: 3,
      batch_size: 'max',
      learning_rate: 0.00001,
      lora: true,
      lora_r: 16,
      lora_alpha: 32,
      warmup_ratio: 0.05,
    });

    expect(await runFineTuneLaunch(id, FAST)).toMatchObject({ status: 'queued', providerJobId: 'ft-01234567890123456789', needsPoll: true });
    expect(server.unexpected).toEqual([]);
    expect(created).toEqual({
      model: tg.TOGETHER_MODEL,
      training_file: 'file-1-train.jsonl',
      validation_file: 'file-2-validation.jsonl',
      n_evals: 1,
      suffix: 'exit-advisor',
      n_epochs: 3,
      batch_size: 'max',
      learning_rate: 0.00001,
      warmup_ratio: 0.05,
      training_type: { type: 'Lora', lora_r: 16, lora_alpha: 32 },
      training_method: { method: 'sft', train_on_inputs: 'auto' },
    });

    // compressing is still training to the Studio; completed is succeeded with the output model.
    server.route('GET', '/v1/fine-tunes/ft-01234567890123456789/events', { body: tg.events });
    server.route('GET', '/v1/fine-tunes/ft-01234567890123456789', { body: tg.job({ status: 'compressing', token_count: 1000 }) });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'running', needsPoll: true });
    expect((await runOf(id)).providerStatus).toBe('compressing');
    server.route('GET', '/v1/fine-tunes/ft-01234567890123456789', {
      body: tg.job({ status: 'completed', token_count: 850000, updated_at: '2023-05-17T18:46:23.456Z' }),
    });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'succeeded', needsPoll: false });
    const run = await runOf(id);
    expect(run).toMatchObject({
      fineTunedModel: 'mynamespace/Meta-Llama-3.1-8B-Instruct-Reference-exit-advisor-32162631',
      trainedTokens: 850000,
      finishedAt: new Date('2023-05-17T18:46:23.456Z'),
      error: null,
    });
    expect(run.resolvedHyperparameters).toMatchObject({ n_epochs: 3, batch_size: 'max', lora: true, lora_r: 16 });
    const evs = await db().fineTuneEvent.findMany({ where: { jobId: id }, orderBy: { id: 'asc' } });
    expect(evs.map((e) => e.message)).toEqual(tg.events.data.map((e) => e.message));
    expect(evs[0].level).toBe('info');
    expect(server.unexpected).toEqual([]);

    // A retried launch of a run whose job exists finds it by its training file instead of creating again.
    const again = await launchFineTune(mlLead, { datasetVersionId: world.versionId, provider: 'together', baseModel: tg.TOGETHER_MODEL }, { enqueue: false });
    await db().fineTuneJob.update({ where: { id: again.id }, data: { trainingFileId: 'file-x', validationFileId: 'file-y' } });
    server.route('GET', '/v1/fine-tunes', { body: { data: [tg.job({ id: 'ft-adopted', status: 'running', training_file: 'file-x', suffix: null })] } });
    server.route('POST', '/v1/fine-tunes', () => fail('created a second job'));
    expect(await runFineTuneLaunch(again.id, FAST)).toMatchObject({ status: 'running', providerJobId: 'ft-adopted' });
    expect(server.unexpected).toEqual([]);
  });

  let jobs = 0;
  /** A launched run on its own provider job id; `job` is that id's path. */
  async function launched(): Promise<{ id: number; job: string; jobId: string }> {
    const jobId = `ft-failing-${++jobs}`;
    routeUploads();
    server.route('GET', '/v1/fine-tunes', { body: { data: [] } });
    server.route('POST', '/v1/fine-tunes', (r) => ({ body: tg.job({ id: jobId, training_file: (r.json() as { training_file: string }).training_file }) }));
    const { id } = await launchFineTune(mlLead, { datasetVersionId: world.versionId, provider: 'together', baseModel: tg.TOGETHER_MODEL }, { enqueue: false });
    await runFineTuneLaunch(id, FAST);
    server.route('GET', `/v1/fine-tunes/${jobId}/events`, { body: tg.events });
    return { id, job: `/v1/fine-tunes/${jobId}`, jobId };
  }

  it('ends the run with the provider message on a failed job, an unknown status, a missing field and a 4xx error body', async () => {
    // A job that failed: the reason is its last job_error event.
    let { id, job, jobId } = await launched();
    server.route('GET', `${job}/events`, { body: tg.errorEvents });
    server.route('GET', job, { body: tg.job({ id: jobId, status: 'error' }) });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'failed' });
    expect((await runOf(id)).error).toBe('Together AI: Training file validation failed: line 3 is not valid JSON');

    ({ id, job, jobId } = await launched());
    server.route('GET', job, { body: tg.job({ id: jobId, status: 'paused_for_review' }) });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'failed' });
    expect((await runOf(id)).error).toMatch(/^Together AI returned an unexpected fine-tuning job: status: Invalid option: expected one of "pending"\|"queued"/);

    ({ id, job, jobId } = await launched());
    const { created_at: _drop, ...noCreated } = tg.job({ id: jobId, status: 'running' });
    server.route('GET', job, { body: noCreated });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'failed' });
    expect((await runOf(id)).error).toMatch(/^Together AI returned an unexpected fine-tuning job: created_at: /);

    // A 400 on create: final, with Together's own message.
    routeUploads();
    server.route('POST', '/v1/fine-tunes', { status: 400, body: tg.badRequest });
    const bad = await launchFineTune(
      mlLead,
      { datasetVersionId: world.versionId, provider: 'together', baseModel: 'meta-llama/Not-A-Model' },
      { enqueue: false },
    );
    expect(await runFineTuneLaunch(bad.id, FAST)).toMatchObject({ status: 'failed', providerJobId: null });
    expect((await runOf(bad.id)).error).toBe('Together AI: 400 Model meta-llama/Not-A-Model is not supported for fine-tuning');
    // The key never shows in what the Studio stores.
    const rows = await db().fineTuneJob.findMany({ where: { provider: 'together' } });
    expect(JSON.stringify(rows)).not.toContain(tg.TOGETHER_KEY);
  });
});

describe('Azure OpenAI', () => {
  const armPath = (name: string) =>
    `/subscriptions/${az.SUBSCRIPTION}/resourceGroups/${az.RESOURCE_GROUP}/providers/Microsoft.CognitiveServices/accounts/${az.ACCOUNT}/deployments/${name}`;

  beforeEach(() => {
    Object.assign(process.env, {
      AZURE_OPENAI_ENDPOINT: server.url,
      AZURE_OPENAI_API_KEY: az.AZURE_KEY,
      AZURE_OPENAI_ACCOUNT: az.ACCOUNT,
      AZURE_SUBSCRIPTION_ID: az.SUBSCRIPTION,
      AZURE_RESOURCE_GROUP: az.RESOURCE_GROUP,
      AZURE_TENANT_ID: az.TENANT,
      AZURE_CLIENT_ID: az.CLIENT_ID,
      AZURE_CLIENT_SECRET: az.CLIENT_SECRET,
      AZURE_MANAGEMENT_URL: server.url,
      AZURE_AUTHORITY_HOST: server.url,
    });
  });

  let currentJob = '';
  const dataPlane = (r: FixtureRequest) => {
    expectEq('api-key', r.headers['api-key'], az.AZURE_KEY);
    expectEq('api-version', r.query.get('api-version'), '2024-10-21');
  };

  function routeTraining() {
    let n = 0;
    server.route('POST', '/openai/files', async (r) => {
      dataPlane(r);
      const form = await r.form();
      expectEq('purpose', form.get('purpose'), 'fine-tune');
      const f = form.get('file') as File;
      return { body: az.file(`file-${++n}`, f.name) };
    });
    server.route('GET', '/openai/fine_tuning/jobs', { body: { object: 'list', data: [], has_more: false } });
    server.route('POST', `/${az.TENANT}/oauth2/v2.0/token`, (r) => {
      const form = new URLSearchParams(r.raw.toString('utf8'));
      expectEq('grant_type', form.get('grant_type'), 'client_credentials');
      expectEq('client_id', form.get('client_id'), az.CLIENT_ID);
      expectEq('client_secret', form.get('client_secret'), az.CLIENT_SECRET);
      expectEq('scope', form.get('scope'), `${server.url}/.default`);
      return { body: az.token };
    });
  }

  let jobs = 0;
  /** Launches an Azure run; its provider job is ftjob-bfaadc862e2c4e66834925fbb645ba80 for the first, then ftjob-<n>. */
  async function launchAzure(created: (body: Record<string, unknown>) => void = () => {}): Promise<number> {
    routeTraining();
    const jobId = jobs++ === 0 ? 'ftjob-bfaadc862e2c4e66834925fbb645ba80' : `ftjob-${jobs}`;
    currentJob = `/openai/fine_tuning/jobs/${jobId}`;
    server.route('GET', `${currentJob}/events`, { body: az.jobEvents });
    server.route('GET', `${currentJob}/checkpoints`, { body: az.checkpoints });
    server.route('POST', '/openai/fine_tuning/jobs', (r) => {
      dataPlane(r);
      const body = r.json() as Record<string, unknown>;
      created(body);
      return { body: az.job({ id: jobId, training_file: body.training_file }) };
    });
    const { id } = await launchFineTune(
      mlLead,
      { datasetVersionId: world.versionId, provider: 'azure', baseModel: az.AZURE_MODEL, nEpochs: 2, suffix: 'exit', seed: 105 },
      { enqueue: false },
    );
    return id;
  }

  it('trains through the AzureOpenAI client, then deploys through ARM before the model serves (deploying → succeeded)', async () => {
    let created: Record<string, unknown> | null = null;
    const id = await launchAzure((b) => (created = b));
    // Azure's "pending" is the Studio's queued.
    expect(await runFineTuneLaunch(id, FAST)).toMatchObject({ status: 'queued', providerJobId: 'ftjob-bfaadc862e2c4e66834925fbb645ba80' });
    expect(created).toEqual({
      model: az.AZURE_MODEL,
      training_file: 'file-1',
      validation_file: 'file-2',
      suffix: 'exit',
      seed: 105,
      hyperparameters: { n_epochs: 2 },
    });

    server.route('GET', '/openai/fine_tuning/jobs/ftjob-bfaadc862e2c4e66834925fbb645ba80', { body: az.job({ status: 'running' }) });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'running' });
    expect(await db().fineTuneMetric.findMany({ where: { jobId: id }, select: { step: true, trainLoss: true } })).toEqual([{ step: 10, trainLoss: 0.412 }]);

    // Trained: not serving yet. The deployment does not exist → PUT it (bearer token from Entra).
    const name = `studio-ft-${id}-exit`;
    let put: Record<string, unknown> | null = null;
    server.route('GET', '/openai/fine_tuning/jobs/ftjob-bfaadc862e2c4e66834925fbb645ba80', {
      body: az.job({ status: 'succeeded', fine_tuned_model: az.FINE_TUNED, finished_at: 1715030000, trained_tokens: 12345 }),
    });
    server.route('GET', armPath(name), (r) => {
      expectEq('authorization', r.headers.authorization, `Bearer ${az.token.access_token}`);
      expectEq('api-version', r.query.get('api-version'), '2024-10-01');
      return { status: 404, body: az.armNotFound };
    });
    server.route('PUT', armPath(name), (r) => {
      expectEq('authorization', r.headers.authorization, `Bearer ${az.token.access_token}`);
      put = r.json() as Record<string, unknown>;
      return { status: 201, body: az.deployment(name, 'Creating') };
    });
    const deploying = await runFineTunePoll(id, FAST);
    expect(deploying, (await runOf(id)).error ?? '').toMatchObject({ status: 'deploying', needsPoll: true });
    expect(put).toEqual({ sku: { name: 'standard', capacity: 1 }, properties: { model: { format: 'OpenAI', name: az.FINE_TUNED, version: '1' } } });
    expect(await runOf(id)).toMatchObject({
      status: 'deploying',
      providerModel: az.FINE_TUNED,
      deploymentName: name,
      fineTunedModel: null,
      trainedTokens: 12345,
    });

    server.route('GET', armPath(name), { body: az.deployment(name, 'Succeeded') });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'succeeded', needsPoll: false });
    const run = await runOf(id);
    expect(run).toMatchObject({ status: 'succeeded', fineTunedModel: name, providerModel: az.FINE_TUNED, error: null });
    const studio = await db().fineTuneEvent.findMany({ where: { jobId: id, type: 'studio' }, orderBy: { id: 'asc' } });
    expect(studio.map((e) => e.message)).toEqual([
      `Deploying ${az.FINE_TUNED} as ${name}: it serves once the deployment succeeds.`,
      `Deployment ${name} succeeded: inference calls use the model name ${name}.`,
    ]);
    expect(server.unexpected).toEqual([]);

    // Inference (evals, the advisor) asks for the deployment: the SDK puts it in the path.
    server.route('POST', `/openai/deployments/${name}/chat/completions`, (r) => {
      dataPlane(r);
      return { body: az.chatCompletion(name) };
    });
    const { client } = await providerClient('azure');
    const answer = await client.chat.completions.create({ model: run.fineTunedModel!, messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0].message.content).toBe('CONTINUE');
    expect(server.unexpected).toEqual([]);
  });

  it('ends the run with the provider message on a failed deployment, an ARM 403 and an unknown job status', async () => {
    const succeeded = () => ({
      body: az.job({ id: currentJob.split('/').at(-1), status: 'succeeded', fine_tuned_model: az.FINE_TUNED, finished_at: 1715030000 }),
    });
    let id = await launchAzure();
    await runFineTuneLaunch(id, FAST);
    server.route('GET', currentJob, succeeded());
    server.route('GET', armPath(`studio-ft-${id}-exit`), { body: az.deployment(`studio-ft-${id}-exit`, 'Failed') });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'failed' });
    expect((await runOf(id)).error).toBe(`Azure OpenAI: the deployment studio-ft-${id}-exit is failed`);

    id = await launchAzure();
    await runFineTuneLaunch(id, FAST);
    server.route('GET', currentJob, succeeded());
    server.route('GET', armPath(`studio-ft-${id}-exit`), { status: 404, body: az.armNotFound });
    server.route('PUT', armPath(`studio-ft-${id}-exit`), { status: 403, body: az.armForbidden });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'failed' });
    expect((await runOf(id)).error).toBe(`Azure OpenAI: 403 ${az.armForbidden.error.message}`);

    id = await launchAzure();
    await runFineTuneLaunch(id, FAST);
    server.route('GET', currentJob, { body: az.job({ id: currentJob.split('/').at(-1), status: 'notRunning' }) });
    expect(await runFineTunePoll(id, FAST)).toMatchObject({ status: 'failed' });
    expect((await runOf(id)).error).toMatch(/^Azure OpenAI returned an unexpected fine-tuning job: status: /);

    // A job without an id is a missing field, also final.
    id = await launchAzure();
    server.route('POST', '/openai/fine_tuning/jobs', { body: { ...az.job(), id: undefined } });
    expect(await runFineTuneLaunch(id, FAST)).toMatchObject({ status: 'failed' });
    expect((await runOf(id)).error).toMatch(/^Azure OpenAI returned an unexpected fine-tuning job: id: /);
  });

  it('lists the base models the resource can fine-tune, and says what is missing for the deployment step', async () => {
    server.route('GET', '/openai/models', { body: az.models });
    const { listFineTunableModels, isProviderConfigured } = await import('./providers');
    expect((await listFineTunableModels(mlLead, 'azure')).map((m) => m.id)).toEqual(['gpt-4o-mini-2024-07-18']);
    delete process.env.AZURE_CLIENT_SECRET;
    expect(await isProviderConfigured('azure')).toEqual({
      configured: false,
      problem: expect.stringMatching(/can train but not deploy: .* a service principal \(tenant id, client id, client secret\) or a management token/),
    });
  });
});
