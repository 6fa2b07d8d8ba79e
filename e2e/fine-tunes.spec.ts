import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import OpenAI from 'openai';
import { query, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const trainer = () => new OpenAI({ apiKey: process.env.TRAINER_API_KEY!, baseURL: `${process.env.TRAINER_URL}/v1`, maxRetries: 0 });

async function setFaults(faults: Record<string, number>) {
  const res = await fetch(`${process.env.TRAINER_URL}/_control/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.TRAINER_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(res.ok).toBe(true);
}

/** A ready dataset version made in the browser (the worker builds it). */
async function datasetVersion(page: Page, name: string): Promise<number> {
  const existing = await query<{ id: number }>(
    `SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = $1 AND v.status = 'ready'`,
    [name],
  );
  if (existing[0]) return existing[0].id;
  await page.goto('/datasets/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 30_000 });
  return Number(/\/datasets\/(\d+)/.exec(page.url())![1]);
}

async function launch(page: Page, versionId: number, suffix: string, beforeConfirm?: () => Promise<void>) {
  await page.goto(`/fine-tunes/new?version=${versionId}`);
  await expect(page.getByLabel('Base model')).toHaveValue('local-base');
  await page.getByLabel('Suffix (in the model name)').fill(suffix);
  await page.getByRole('button', { name: 'Review launch' }).click();
  await expect(page.getByRole('group', { name: 'Confirm launch' })).toContainText('charged tokens');
  await beforeConfirm?.();
  await page.getByRole('button', { name: 'Confirm and launch' }).click();
  await expect(page).toHaveURL(/\/fine-tunes\/\d+$/);
  return Number(/\/fine-tunes\/(\d+)$/.exec(page.url())![1]);
}

async function providerJobsFor(runId: number) {
  const [run] = await query<{ idempotency_key: string }>('SELECT idempotency_key FROM fine_tune_jobs WHERE id = $1', [runId]);
  const jobs = [];
  for await (const j of trainer().fineTuning.jobs.list({ limit: 100 })) {
    if ((j.metadata as Record<string, string> | null)?.studio_job_key === run.idempotency_key) jobs.push(j);
  }
  return jobs;
}

test('an ML lead launches a local fine-tune in the browser and follows it to succeeded, with loss curves', async ({ page }) => {
  await signIn(page, 'lead');
  const versionId = await datasetVersion(page, 'e2e-ft');
  await page.goto(`/datasets/${versionId}`);
  await page.getByRole('link', { name: 'Fine-tune this version' }).click();
  const runId = await launch(page, versionId, 'e2e');
  await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('fine-tuned-model')).toHaveText(/^ft:local-base:local:e2e:/);
  await expect(page.getByRole('heading', { name: 'Training curves' })).toBeVisible();
  await page.getByText(/Show as a table \(\d+ steps\)/).click();
  expect(await page.getByRole('table', { name: 'Loss and accuracy per step' }).locator('tbody tr').count()).toBeGreaterThan(3);
  await expect(page.getByTestId('fine-tune-events')).toContainText('The job has successfully completed');
  expect(await providerJobsFor(runId)).toHaveLength(1);

  // The worker evaluates the model, the keyword rule, and each on the golden set; the page
  // follows them and shows the gain over both baselines on the test split and on golden.
  const evaluation = page.getByTestId('fine-tune-evaluation');
  await expect(evaluation).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Evaluation: the fine-tune beside both baselines' })).toBeVisible();
  await expect(evaluation).toContainText('Golden set (hand-written, never trained on)');
  const golden = evaluation.locator('tr[data-kind="fine-tuned"] td').nth(3);
  await expect(golden).toHaveText(/^\d+\.\d%$/, { timeout: 90_000 });
  await expect(evaluation.locator('tr[data-kind="keyword-rule"] td').nth(3)).toHaveText(/^\d+\.\d%$/, { timeout: 60_000 });
  await expect(evaluation.locator('tr[data-kind="majority"]')).toContainText(/majority class \(always (CONTINUE|END|SCHEDULE)\)/);
  for (const over of ['keyword-rule', 'majority']) {
    const gain = evaluation.locator(`tr[data-gain="${over}"] td`);
    await expect(gain.nth(0)).toHaveText(/^[+-]\d+\.\d pts$/);
    await expect(gain.nth(3)).toHaveText(/^[+-]\d+\.\d pts$/);
  }

  await page.goto('/models');
  await expect(page.getByRole('table', { name: 'Fine-tuned models' })).toContainText(`fine-tune #${runId}`);
  await expect(page.getByTestId('model-golden').first()).toHaveText(/\d+\.\d%/);
});

test('a reviewer can follow fine-tunes but cannot launch or cancel them', async ({ page }) => {
  await signIn(page, 'reviewer');
  await page.goto('/fine-tunes');
  await expect(page.getByRole('link', { name: 'Launch a fine-tune' })).toHaveCount(0);
  const [run] = await query<{ id: number }>('SELECT id FROM fine_tune_jobs ORDER BY id LIMIT 1');
  await page.goto(`/fine-tunes/${run.id}`);
  await expect(page.getByTestId('fine-tune-status')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);
  await page.goto('/fine-tunes/new');
  await expect(page.getByText(/needs the ML lead or admin role/)).toBeVisible();
});

test('injected 429s and 500s from the trainer are retried and the run still succeeds', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'lead');
  const versionId = await datasetVersion(page, 'e2e-ft');
  // Every upload and job creation fails, first with 429s, then with 500s; the page shows the
  // worker retrying each, and once the trainer recovers the run goes through.
  const uploadsAndCreates = '^/v1/(files|fine_tuning/jobs)$';
  try {
    const runId = await launch(page, versionId, 'flaky', () => setFaults({ '429': 1, paths: uploadsAndCreates } as never));
    await expect(page.getByTestId('fine-tune-error')).toContainText(/Retrying: .*429/, { timeout: 60_000 });
    await setFaults({ '500': 1, paths: uploadsAndCreates } as never);
    await expect(page.getByTestId('fine-tune-error')).toContainText(/Retrying: .*500/, { timeout: 60_000 });
    await setFaults({});
    await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded', { timeout: 120_000 });
    expect(await providerJobsFor(runId)).toHaveLength(1);
  } finally {
    await setFaults({});
  }
});

test('a worker killed in the middle of a launch is replaced and the run finishes without a second provider job', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'lead');
  const versionId = await datasetVersion(page, 'e2e-ft');
  // Job creation fails until we say so: the worker is caught between uploading the files and
  // creating the provider job when it is killed.
  const creates = '^/v1/fine_tuning/jobs$';
  try {
    const runId = await launch(page, versionId, 'killed', () => setFaults({ '500': 1, paths: creates } as never));
    await expect(page.getByTestId('fine-tune-error')).toContainText(/Retrying: .*500/, { timeout: 60_000 });
    const [before] = await query<{ training_file_id: string | null }>('SELECT training_file_id FROM fine_tune_jobs WHERE id = $1', [runId]);
    expect(before.training_file_id).toMatch(/^file-/);
    process.kill(Number(process.env.E2E_WORKER_PID), 'SIGKILL');
    await setFaults({});
    const replacement = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/worker.ts'], { stdio: 'ignore', env: process.env });
    fs.appendFileSync(process.env.E2E_EXTRA_PIDS!, `${replacement.pid}\n`);
    process.env.E2E_WORKER_PID = String(replacement.pid);
    await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded', { timeout: 150_000 });
    expect(await providerJobsFor(runId)).toHaveLength(1);
    // The files uploaded before the kill were reused, not uploaded again.
    const [after] = await query<{ training_file_id: string }>('SELECT training_file_id FROM fine_tune_jobs WHERE id = $1', [runId]);
    expect(after.training_file_id).toBe(before.training_file_id);
  } finally {
    await setFaults({});
  }
});
