// Hosted providers in the browser: an admin stores Together AI's key and Azure OpenAI's
// settings (sealed, shown masked; a bad field is named), the launch form offers Together's
// own hyperparameters and names what is wrong, and a run that finished training on Azure shows
// its own "deploying" state until the deployment serves.
import { expect, test, type Page } from '@playwright/test';
import { query, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

async function readyVersion(page: Page): Promise<number> {
  const existing = await query<{ id: number }>(`SELECT id FROM dataset_versions WHERE status = 'ready' ORDER BY id LIMIT 1`);
  if (existing[0]) return existing[0].id;
  await page.goto('/datasets/new');
  await page.getByLabel('Name', { exact: true }).fill('e2e-providers');
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 30_000 });
  return Number(/\/datasets\/(\d+)/.exec(page.url())![1]);
}

test.afterAll(async () => {
  await query(`DELETE FROM provider_settings WHERE provider IN ('together', 'azure')`);
  await query(`DELETE FROM fine_tune_jobs WHERE provider_job_id = 'ftjob-e2e-deploying'`);
});

test('an admin stores Together AI and Azure OpenAI settings, sealed and shown masked', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/providers?edit=together');
  const table = page.getByRole('table', { name: 'Providers' });
  await expect(table.getByRole('row', { name: /Together AI/ })).toContainText('Not configured');
  await page.getByLabel('API key').fill('tg-e2e-key-0123456789abcdef');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'stored encrypted' })).toBeVisible();
  await expect(table.getByRole('row', { name: /Together AI/ })).toContainText('Ready');
  expect(await page.content()).not.toContain('0123456789abcdef');
  const [tg] = await query<{ api_key_encrypted: string }>(`SELECT api_key_encrypted FROM provider_settings WHERE provider = 'together'`);
  expect(tg.api_key_encrypted).toMatch(/^v1\./);

  await page.getByRole('link', { name: 'Azure OpenAI' }).click();
  await page.getByLabel('Endpoint').fill('https://e2e-res.openai.azure.com');
  await page.getByLabel('API key').fill('azure-e2e-key-0123456789');
  await page.getByLabel('Subscription id').fill('not a guid');
  await page.getByRole('button', { name: 'Save Azure settings' }).click();
  await expect(page.getByText('the subscription id is a GUID')).toBeVisible();
  expect(await query(`SELECT 1 FROM provider_settings WHERE provider = 'azure'`)).toEqual([]);

  await page.getByLabel('Subscription id').fill('00000000-0000-0000-0000-000000000000');
  await page.getByLabel('Resource group').fill('studio-rg');
  await page.getByLabel('API key').fill('azure-e2e-key-0123456789');
  await page.getByRole('button', { name: 'Save Azure settings' }).click();
  await expect(page.getByRole('status')).toContainText('can train but not deploy');
  await page.getByLabel('Tenant id').fill('11111111-1111-1111-1111-111111111111');
  await page.getByLabel('Client id').fill('22222222-2222-2222-2222-222222222222');
  await page.getByLabel('Client secret', { exact: true }).fill('client-secret-e2e-0123');
  await page.getByRole('button', { name: 'Save Azure settings' }).click();
  await expect(page.getByRole('status')).toContainText('Azure OpenAI can train and deploy');
  await expect(table.getByRole('row', { name: /Azure OpenAI/ })).toContainText('Ready');
  await expect(page.getByTestId('azure-stored-key')).toContainText('client secret');
  expect(await page.content()).not.toContain('client-secret-e2e');
  await page.screenshot({ path: 'test-results/admin-providers-azure.png', fullPage: true });
});

test('the launch form offers Together AI with its own hyperparameters and names a bad one', async ({ page }) => {
  await signIn(page, 'lead');
  const versionId = await readyVersion(page);
  await page.goto(`/fine-tunes/new?provider=together&version=${versionId}`);
  await expect(page.getByLabel('Provider')).toHaveValue('together');
  await expect(page.getByLabel('Base model')).toHaveValue('meta-llama/Meta-Llama-3.1-8B-Instruct-Reference');
  await expect(page.getByLabel('Learning rate multiplier')).toHaveCount(0);
  await expect(page.getByLabel('LoRA (off: full fine-tune)')).toBeChecked();
  await page.getByLabel('Learning rate', { exact: true }).fill('0.5');
  await page.getByLabel('Epochs (1–20)').fill('21');
  await page.screenshot({ path: 'test-results/launch-together.png', fullPage: true });
  await page.getByRole('button', { name: 'Review launch' }).click();
  await page.getByRole('button', { name: 'Confirm and launch' }).click();
  await expect(page.getByText('learning rate must be at most 0.01').first()).toBeVisible();
  await expect(page.getByText('Together AI trains at most 20 epochs').first()).toBeVisible();
  expect(await query(`SELECT 1 FROM fine_tune_jobs WHERE provider = 'together'`)).toEqual([]);
});

test('a run trained on Azure shows "deploying" until its deployment serves', async ({ page }) => {
  await signIn(page, 'lead');
  const versionId = await readyVersion(page);
  const [user] = await query<{ id: string }>(`SELECT id FROM users WHERE email = 'lead@e2e.test'`);
  const [run] = await query<{ id: number }>(
    `INSERT INTO fine_tune_jobs (dataset_version_id, provider, base_model, hyperparameters, idempotency_key, provider_job_id, status,
       provider_model, deployment_name, provider_status, next_poll_at, poll_interval_ms, trained_tokens, created_by_id, started_at, updated_at)
     VALUES ($1, 'azure', 'gpt-4o-mini-2024-07-18', '{"n_epochs": 2, "batch_size": "auto", "learning_rate_multiplier": "auto"}', gen_random_uuid()::text,
       'ftjob-e2e-deploying', 'deploying', 'gpt-4o-mini-2024-07-18.ft-b044a9d3cf9c4228b5d393567f693b83', 'studio-ft-e2e', 'deployment:Creating',
       now() + interval '8 seconds', 8000, 123456, $2, now() - interval '20 minutes', now())
     RETURNING id`,
    [versionId, user.id],
  );
  await page.goto(`/fine-tunes/${run.id}`);
  await expect(page.getByTestId('fine-tune-status').first()).toHaveText('deploying');
  await expect(page.getByTestId('deployment')).toContainText('is deploying gpt-4o-mini-2024-07-18.ft-b044a9d3cf9c4228b5d393567f693b83 as studio-ft-e2e');
  await expect(page.getByTestId('poll-schedule')).toContainText('deployment:Creating');
  await page.screenshot({ path: 'test-results/fine-tune-deploying.png', fullPage: true });
});
