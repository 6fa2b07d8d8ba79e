import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { query, signIn } from './helpers';

async function datasetRowCounts() {
  const [r] = await query<{ d: string; v: string; e: string; a: string }>(
    `SELECT (SELECT count(*) FROM datasets) AS d, (SELECT count(*) FROM dataset_versions) AS v,
            (SELECT count(*) FROM dataset_examples) AS e, (SELECT count(*) FROM dataset_split_assignments) AS a`,
  );
  return r;
}

async function fillForm(page: Page, values: Partial<Record<'name' | 'seed' | 'train' | 'validation' | 'test', string>>) {
  for (const [field, value] of Object.entries(values)) {
    const label = { name: 'Name', seed: 'Seed', train: 'Train', validation: 'Validation', test: 'Test' }[field]!;
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

async function downloadText(page: Page, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name, exact: true }).click()]);
  return fs.readFileSync(await download.path(), 'utf8');
}

test('an ML lead creates a dataset in the browser, watches it build, reads its checks and downloads it', async ({ page }) => {
  await signIn(page, 'lead');
  await page.goto('/datasets');
  await page.getByRole('link', { name: 'New dataset' }).click();
  await fillForm(page, { name: 'e2e-advisor', seed: '7' });
  await page.getByRole('button', { name: 'Create dataset version' }).click();

  await expect(page).toHaveURL(/\/datasets\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('e2e-advisor v1');
  // The worker builds it; the page follows the progress and shows the result.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Pre-flight checks' })).toBeVisible();
  await expect(page.getByText('Cookbook format checks')).toBeVisible();
  await expect(page.getByText(/No errors found in \d+ lines/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Examples per split and label' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Estimated training cost per base model' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Turns included and excluded under each label policy' })).toBeVisible();

  const [version] = await query<{ id: number; counts: Record<string, Record<string, number>>; content_hash: string }>(
    `SELECT v.id, v.counts, v.content_hash FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = 'e2e-advisor'`,
  );
  const splitOf = new Map<string, string>();
  for (const split of ['train', 'validation', 'test'] as const) {
    const text = await downloadText(page, `${split}.jsonl`);
    const lines = text.split('\n').filter(Boolean);
    expect(lines.length).toBe(Object.values(version.counts[split]).reduce((a, b) => a + b, 0));
    for (const line of lines) {
      const ex = JSON.parse(line);
      expect(ex.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(['END', 'CONTINUE', 'SCHEDULE']).toContain(ex.messages[2].content);
    }
  }
  const manifest = JSON.parse(await downloadText(page, 'manifest.json'));
  expect(manifest.hash).toBe(version.content_hash);
  for (const [file, lines] of Object.entries(manifest.lines as Record<string, { conversation: string }[]>)) {
    for (const l of lines) {
      const seen = splitOf.get(l.conversation);
      expect(seen === undefined || seen === file, `${l.conversation} in ${seen} and ${file}`).toBe(true);
      splitOf.set(l.conversation, file);
    }
  }

  // Each example links to its turn in the conversation page.
  const first = page.getByRole('link', { name: /Open turn in/ }).first();
  const href = await first.getAttribute('href');
  const turnId = Number(/turn=(\d+)/.exec(href!)![1]);
  await first.click();
  await expect(page.locator(`[data-turn-id="${turnId}"]`)).toHaveAttribute('data-focused', 'true');
});

test('bad dataset input gets a message beside the field and changes nothing', async ({ page }) => {
  await signIn(page, 'lead');
  const before = await datasetRowCounts();
  await page.goto('/datasets/new');

  await fillForm(page, { name: 'e2e-bad', train: '0.5', validation: '0.5', test: '0.5' });
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByText('split ratios must sum to 1 (got 0.5 + 0.5 + 0.5 = 1.5)')).toBeVisible();
  await expect(page.getByText('Nothing was created.', { exact: false })).toBeVisible();

  await fillForm(page, { name: 'e2e-bad', seed: '4.5', train: '0.8', validation: '0.1', test: '0.1' });
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByText('seed "4.5" is not an integer')).toBeVisible();

  await fillForm(page, { seed: '1' });
  await page.getByLabel('Transcript before each turn').selectOption('last');
  await page.getByLabel('N (messages)').fill('0');
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByText('context must be "all" or at least 1 message')).toBeVisible();

  await page.getByLabel('Transcript before each turn').selectOption('all');
  await page.getByLabel('Only conversations matching (optional)').fill('zzqqxxnomatch');
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByText(/the selection is empty/)).toBeVisible();

  expect(await datasetRowCounts()).toEqual(before);
});

test('a name owned by someone else is refused; reviewers can read datasets but not create them', async ({ page, browser }) => {
  // The admin owns "e2e-owned".
  await signIn(page, 'admin');
  await page.goto('/datasets/new');
  await fillForm(page, { name: 'e2e-owned' });
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+$/);
  // Let the worker finish it, so the row counts below only change if the refusal writes.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 30_000 });

  const lead = await browser.newPage();
  await signIn(lead, 'lead');
  const before = await datasetRowCounts();
  await lead.goto('/datasets/new');
  await fillForm(lead, { name: 'e2e-owned' });
  await lead.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(lead.getByText(`"e2e-owned" is already used by admin@e2e.test's dataset; choose another name`)).toBeVisible();
  expect(await datasetRowCounts()).toEqual(before);

  const reviewer = await browser.newPage();
  await signIn(reviewer, 'reviewer');
  await reviewer.goto('/datasets');
  await expect(reviewer.getByRole('link', { name: /e2e-owned/ })).toBeVisible();
  await expect(reviewer.getByRole('link', { name: 'New dataset' })).toHaveCount(0);
  await reviewer.goto('/datasets/new');
  await expect(reviewer.getByText(/needs the ML lead or admin role/)).toBeVisible();
});
