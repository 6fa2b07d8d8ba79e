// Beyond one machine: two web processes and two workers on one PostgreSQL. A dataset build, a
// fine-tune and its evaluation are requested through the two web processes; each must run
// exactly once (one version built, one provider job on the trainer, each eval's predictions
// once), and both web processes must serve the results. The first test adds a web process and
// a worker next to the ones e2e/run.ts and Playwright start; the second puts its web process and
// worker behind PgBouncer in transaction mode (skipped, saying so, when pgbouncer is missing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect, test, type Page } from '@playwright/test';
import OpenAI from 'openai';
import { freePort } from '../lib/testing/free-port';
import { query, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const trainer = () => new OpenAI({ apiKey: process.env.TRAINER_API_KEY!, baseURL: `${process.env.TRAINER_URL}/v1`, maxRetries: 0 });
const webOne = `http://localhost:${process.env.E2E_PORT}`;
const started: ChildProcess[] = [];

function remember(child: ChildProcess) {
  started.push(child);
  // e2e/run.ts stops these too if the test dies before its own cleanup.
  if (process.env.E2E_EXTRA_PIDS && child.pid) fs.appendFileSync(process.env.E2E_EXTRA_PIDS, `${child.pid}\n`);
}

/** Resolves when `child` prints a line matching `ready`; rejects if it exits first. */
function waitForLine(child: ChildProcess, ready: RegExp, what: string, timeoutMs: number): Promise<string[]> {
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        if (ready.test(line)) {
          clearTimeout(timer);
          resolve(lines);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${lines.join('\n')}`));
    });
  });
}

async function startWeb(env: Record<string, string | undefined>): Promise<{ url: string; log: string[] }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/web.ts', 'start', '-p', String(port)], {
    env: { ...process.env, ...env, PORT: String(port), BETTER_AUTH_URL: `http://localhost:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  remember(child);
  const log = await waitForLine(child, /database connections: at most \d+/, 'web process', 90_000);
  return { url: `http://localhost:${port}`, log };
}

async function startWorker(env: Record<string, string | undefined>): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/worker.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  remember(child);
  return waitForLine(child, /\[worker\] ready/, 'worker', 90_000);
}

test.afterAll(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 15_000))]);
  }
});

/** PgBouncer in transaction mode in front of the test database, or null when it is not installed. */
async function startPgBouncer(): Promise<string | null> {
  const exe = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => fs.existsSync(p));
  if (!exe) return null;
  const db = new URL(process.env.DATABASE_URL!);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-pgbouncer-'));
  fs.chmodSync(dir, 0o755);
  const ini = path.join(dir, 'pgbouncer.ini');
  const user = decodeURIComponent(db.username);
  fs.writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${db.hostname} port=${db.port} user=${user} password=${decodeURIComponent(db.password)}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 20',
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${user}" ""\n`);
  fs.chmodSync(ini, 0o644);
  // PgBouncer refuses to run as root: as root, it drops to the postgres account.
  const asRoot = process.getuid?.() === 0;
  if (asRoot && spawnSync('id', ['postgres']).status !== 0) return null;
  const child = spawn(exe, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  remember(child);
  await waitForLine(child, /process up|listening on/i, 'pgbouncer', 15_000);
  return `postgresql://${encodeURIComponent(user)}:${db.password}@127.0.0.1:${port}${db.pathname}`;
}

async function providerJobsFor(runId: number) {
  const [run] = await query<{ idempotency_key: string }>('SELECT idempotency_key FROM fine_tune_jobs WHERE id = $1', [runId]);
  const jobs = [];
  for await (const j of trainer().fineTuning.jobs.list({ limit: 100 })) {
    if ((j.metadata as Record<string, string> | null)?.studio_job_key === run.idempotency_key) jobs.push(j);
  }
  return jobs;
}

/** Dataset on web A, fine-tune on web B, the automatic evals; then exactly once, and both webs show it. */
async function buildTrainEvaluate(page: Page, [webA, webB]: [string, string], name: string) {
  await page.goto(`${webA}/datasets/new`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 60_000 });
  const versionId = Number(/\/datasets\/(\d+)/.exec(page.url())![1]);

  await page.goto(`${webB}/fine-tunes/new?version=${versionId}`);
  await expect(page.getByLabel('Base model')).toHaveValue('local-base');
  await page.getByLabel('Suffix (in the model name)').fill('multi');
  await page.getByRole('button', { name: 'Review launch' }).click();
  await page.getByRole('button', { name: 'Confirm and launch' }).click();
  await expect(page).toHaveURL(/\/fine-tunes\/\d+$/);
  const runId = Number(/\/fine-tunes\/(\d+)$/.exec(page.url())![1]);
  await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded', { timeout: 90_000 });

  // One version of the dataset, built once: its examples are there once each.
  const versions = await query<{ id: number; status: string; example_count: number; n: string; test_n: string }>(
    `SELECT v.id, v.status, v.example_count,
            (SELECT count(*) FROM dataset_examples e WHERE e.version_id = v.id) AS n,
            (SELECT count(*) FROM dataset_examples e WHERE e.version_id = v.id AND e.split = 'test') AS test_n
     FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = $1`,
    [name],
  );
  expect(versions).toHaveLength(1);
  expect(versions[0]).toMatchObject({ id: versionId, status: 'ready' });
  expect(Number(versions[0].n)).toBe(versions[0].example_count);

  // One run, one provider job on the trainer.
  expect(await query('SELECT id FROM fine_tune_jobs WHERE dataset_version_id = $1', [versionId])).toHaveLength(1);
  expect(await providerJobsFor(runId)).toHaveLength(1);
  const [{ fine_tuned_model: model }] = await query<{ fine_tuned_model: string }>('SELECT fine_tuned_model FROM fine_tune_jobs WHERE id = $1', [runId]);

  // The success starts one eval of the fine-tuned model and one of its base on the test split,
  // whichever worker sees it first; each scores every test example once. (Each also gets a
  // golden companion run, on the golden set's own version: not counted here.)
  await expect
    .poll(
      async () =>
        (
          await query(`SELECT id FROM eval_runs WHERE fine_tune_job_id = $1 AND dataset_version_id = $2 AND split = 'test' AND status = 'succeeded'`, [
            runId,
            versionId,
          ])
        ).length,
      { timeout: 90_000 },
    )
    .toBe(2);
  const runs = await query<{ id: number; model: string; n: string; progress_total: number }>(
    `SELECT r.id, r.model, r.progress_total, (SELECT count(*) FROM eval_predictions p WHERE p.run_id = r.id) AS n
     FROM eval_runs r WHERE r.dataset_version_id = $1 ORDER BY r.id`,
    [versionId],
  );
  expect(runs.map((r) => r.model).sort()).toEqual(['local-base', model].sort());
  for (const r of runs) expect([Number(r.n), r.progress_total]).toEqual([Number(versions[0].test_n), Number(versions[0].test_n)]);
  const evalId = runs.find((r) => r.model === model)!.id;

  // Both web processes serve what the others did.
  for (const web of [webA, webB]) {
    await page.goto(`${web}/datasets/${versionId}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('ready');
    await page.goto(`${web}/fine-tunes/${runId}`);
    await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded');
    await page.goto(`${web}/evals/${evalId}`);
    await expect(page.getByRole('heading', { name: 'Confusion matrix' })).toBeVisible();
  }
}

test('two web and two worker processes on one PostgreSQL run a build, a fine-tune and its evals exactly once', async ({ page }) => {
  test.setTimeout(240_000);
  const [web, worker] = await Promise.all([startWeb({}), startWorker({})]);
  // Each process states its connection budget at start.
  expect(web.log.join('\n')).toMatch(/database connections: at most 22 = Prisma 10 \(DATABASE_POOL_MAX\) \+ queue 2 \(PGBOSS_POOL_MAX\)/);
  expect(worker.join('\n')).toMatch(/database connections: at most 30 = Prisma 10 \(DATABASE_POOL_MAX\) \+ queue 6 \(PGBOSS_POOL_MAX\)/);
  await signIn(page, 'lead');
  await buildTrainEvaluate(page, [webOne, web.url], 'e2e-multi-process');

  // A second build of the dataset while another worker (here: a lease row standing for one)
  // builds v9 of it waits, and its page says what for; it runs once the lease is gone.
  const [{ id: datasetId }] = await query<{ id: number }>(`SELECT id FROM datasets WHERE name = 'e2e-multi-process'`);
  await query(`INSERT INTO work_leases (name, holder, note, lease_until) VALUES ($1, 'e2e', 'v9', now() + interval '2 minutes')`, [
    `dataset-build:${datasetId}`,
  ]);
  try {
    await page.goto(`${web.url}/datasets/new`);
    await page.getByLabel('Name', { exact: true }).fill('e2e-multi-process');
    await page.getByRole('button', { name: 'Create dataset version' }).click();
    await expect(page.getByText('Waiting for v9 of this dataset to finish building')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/build-waiting.png' });
  } finally {
    await query(`DELETE FROM work_leases WHERE name = $1 AND holder = 'e2e'`, [`dataset-build:${datasetId}`]);
  }
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 60_000 });
});

test('the same behind PgBouncer in transaction mode', async ({ page }) => {
  test.setTimeout(240_000);
  const bouncer = await startPgBouncer();
  test.skip(!bouncer, 'pgbouncer is not installed (Debian: apt-get install -y pgbouncer; npm test installs it as root): the PgBouncer variant is skipped');
  // Migrations take a session advisory lock: they go to the server directly, everything else through PgBouncer.
  const env = { DATABASE_URL: bouncer!, DIRECT_DATABASE_URL: process.env.DATABASE_URL };
  const [web] = await Promise.all([startWeb(env), startWorker(env)]);
  await signIn(page, 'lead');
  await buildTrainEvaluate(page, [web.url, webOne], 'e2e-multi-process-pgbouncer');
});
