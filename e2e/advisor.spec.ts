import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { query, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.E2E_SCREENSHOTS ?? '/tmp/advisor-shots';
fs.mkdirSync(SHOTS, { recursive: true });

/** A fine-tuned local model: one an earlier spec made, else one made here in the browser. */
async function fineTunedModel(page: Page): Promise<string> {
  const done = await query<{ fine_tuned_model: string }>(
    `SELECT fine_tuned_model FROM fine_tune_jobs WHERE status = 'succeeded' AND provider = 'local' ORDER BY id LIMIT 1`,
  );
  if (done[0]) return done[0].fine_tuned_model;
  const existing = await query<{ id: number }>(
    `SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = 'e2e-ft' AND v.status = 'ready'`,
  );
  let versionId = existing[0]?.id;
  if (!versionId) {
    await page.goto('/datasets/new');
    await page.getByLabel('Name', { exact: true }).fill('e2e-ft');
    await page.getByRole('button', { name: 'Create dataset version' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 30_000 });
    versionId = Number(/\/datasets\/(\d+)/.exec(page.url())![1]);
  }
  await page.goto(`/fine-tunes/new?version=${versionId}`);
  await page.getByLabel('Suffix (in the model name)').fill('advisor');
  await page.getByRole('button', { name: 'Review launch' }).click();
  await page.getByRole('button', { name: 'Confirm and launch' }).click();
  await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded', { timeout: 90_000 });
  return (await page.getByTestId('fine-tuned-model').textContent())!.trim();
}

const conversation = {
  external_id: 'e2e-live-1',
  candidate_name: 'Lou Live',
  job_title: 'Forklift Operator',
  messages: [
    { sender: 'recruiter', text: 'Hi Lou, forklift operator role at $21/hr, days. Interested?', sent_at: '2026-11-30T15:00:00Z' },
    { sender: 'candidate', text: 'yes! can I interview friday at 10am?', sent_at: '2026-11-30T15:20:00Z' },
  ],
};

let apiKey = '';
let model = '';

test('an ML lead promotes a fine-tuned local model from the Models page, seeing it beside the current advisor', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'lead');
  model = await fineTunedModel(page);
  // The CLI promotes first (a base model), so the dialog has a current advisor to compare with.
  const cli = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'lib/cli/advisor.ts', 'promote', '--model', 'local-base', '--note', 'keyword rule first', '--as', 'lead@e2e.test'],
    { encoding: 'utf8', env: process.env },
  );
  expect(cli.status, cli.stderr).toBe(0);
  const printed = JSON.parse(cli.stdout.trim().split('\n').at(-1)!);
  expect(printed).toMatchObject({ model: 'local-base', provider: 'local', threshold: 0.7 });

  await page.goto('/models');
  const row = page.getByRole('row').filter({ hasText: model }).first();
  await row.getByRole('button', { name: 'Promote' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Make ${model} the advisor?`);
  await expect(dialog.getByRole('table', { name: 'Candidate beside the current advisor' })).toContainText('Current advisor local-base');
  await dialog.getByLabel('Threshold (act when confidence ≥)').fill('0.7');
  await dialog.getByLabel('Note (why this model)').fill('e2e promotion');
  await page.screenshot({ path: `${SHOTS}/promote-dialog.png`, fullPage: false });
  await dialog.getByRole('button', { name: 'Confirm promotion' }).click();
  await expect(dialog.getByRole('status')).toContainText(`${model} is the advisor, acting at ≥ 0.7`);
  const [current] = await query<{ model: string; context: unknown; note: string }>(
    'SELECT model, context, note FROM advisor_promotions ORDER BY id DESC LIMIT 1',
  );
  expect(current).toMatchObject({ model, context: 'all', note: 'e2e promotion' });
});

test('an admin creates an API key in the browser, shown once', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/api-keys');
  await page.getByLabel('Name').fill('e2e chatbot');
  await page.getByRole('button', { name: 'Create key' }).click();
  apiKey = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(apiKey).toMatch(/^eas_[a-z0-9]{10}_/);
  await page.reload();
  await expect(page.getByTestId('api-key-row').filter({ hasText: 'e2e chatbot' })).toContainText('never');
  await expect(page.getByText(apiKey)).toHaveCount(0);
  const [row] = await query<{ key_hash: string }>(`SELECT key_hash FROM api_keys WHERE name = 'e2e chatbot'`);
  expect(row.key_hash).not.toContain(apiKey.split('_')[2]);
});

test('the decision API answers with the key, refuses a browser session, and the decision opens its turn from the Advisor page', async ({ page, request }) => {
  const res = await request.post('/api/v1/advisor/decisions', { headers: { authorization: `Bearer ${apiKey}` }, data: { conversation } });
  expect(res.status()).toBe(200);
  const d = await res.json();
  expect(Object.keys(d).sort()).toEqual(['acted', 'confidence', 'decision', 'decision_id', 'model', 'promotion', 'threshold']);
  expect(d).toMatchObject({ model, threshold: 0.7 });
  expect(['END', 'CONTINUE', 'SCHEDULE']).toContain(d.decision);
  expect(d.acted).toBe(d.confidence >= 0.7);

  const doc = await (await request.get('/api/v1/openapi.json')).json();
  expect(doc.paths['/api/v1/advisor/decisions'].post.operationId).toBe('decide');

  await signIn(page, 'reviewer');
  // A signed-in browser has a session, not a key: /api/v1 refuses it.
  const asBrowser = await page.request.post('/api/v1/advisor/decisions', { data: { conversation } });
  expect(asBrowser.status()).toBe(401);

  await page.goto('/advisor');
  await expect(page.getByTestId('advisor-model')).toHaveText(model);
  await expect(page.getByTestId('advisor-threshold')).toHaveText('0.7');
  const decisionRow = page.getByTestId('decision-row').filter({ hasText: 'e2e-live-1' });
  await expect(async () => {
    await page.reload();
    await expect(decisionRow.getByRole('link', { name: 'e2e-live-1' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(decisionRow).toContainText(d.decision);
  await expect(decisionRow).toContainText('next after message 2');
  await page.getByText('For chatbots that call the provider directly').click();
  await expect(page.getByTestId('advisor-env')).toHaveText(`EXIT_ADVISOR_MODEL=${model}`);
  await page.screenshot({ path: `${SHOTS}/advisor.png`, fullPage: true });

  await decisionRow.getByRole('link', { name: 'e2e-live-1' }).click();
  await expect(page).toHaveURL(new RegExp(`/conversations/\\d+\\?decision=${d.decision_id}$`));
  const note = page.getByTestId('decision-note');
  await expect(note).toContainText(`Advisor decision #${d.decision_id}`);
  await expect(note).toContainText('decided the next recruiter turn after this message');
  await expect(page.getByText('can I interview friday at 10am?')).toBeVisible();
  const [live] = await query<{ is_live: boolean }>(`SELECT is_live FROM conversations WHERE external_id = 'e2e-live-1'`);
  expect(live.is_live).toBe(true);

  // The chatbot's next request carries the recruiter message that was decided: the row now opens that turn.
  const next = {
    ...conversation,
    messages: [
      ...conversation.messages,
      { sender: 'recruiter', text: 'Great, booked you Friday 10am.', sent_at: '2026-11-30T15:21:00Z' },
      { sender: 'candidate', text: 'thanks!', sent_at: '2026-11-30T15:25:00Z' },
    ],
  };
  expect((await request.post('/api/v1/advisor/decisions', { headers: { authorization: `Bearer ${apiKey}` }, data: { conversation: next } })).status()).toBe(
    200,
  );
  await expect(async () => {
    await page.goto('/advisor');
    await expect(page.getByTestId('decision-row').filter({ hasText: 'e2e-live-1' }).filter({ hasText: 'message 3' }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByTestId('decision-row').filter({ hasText: 'e2e-live-1' }).filter({ hasText: 'message 3' }).first().getByRole('link').click();
  await expect(page.getByTestId('decision-note')).toContainText(`Advisor decision #${d.decision_id}`);
  await expect(page.locator('[data-focused="true"]')).toContainText('booked you Friday 10am');
});

test('rollback on the Advisor page restores the previous advisor', async ({ page, request }) => {
  await signIn(page, 'lead');
  await page.goto('/advisor');
  const first = page.getByTestId('promotion-row').filter({ hasText: 'keyword rule first' });
  await first.getByRole('button', { name: 'Roll back to this' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByTestId('advisor-model')).toHaveText('keyword rule (local-base)');
  await expect(page.getByTestId('promotion-row').first()).toContainText('current');
  const res = await request.post('/api/v1/advisor/decisions', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { conversation: { ...conversation, external_id: 'e2e-live-2' } },
  });
  expect((await res.json()).model).toBe('local-base');
});
