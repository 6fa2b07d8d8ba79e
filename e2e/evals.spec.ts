import { expect, test } from '@playwright/test';
import { query, signIn } from './helpers';

const SHOTS = process.env.E2E_SCREENSHOTS ?? '/tmp/evals-shots';

test('dataset → local fine-tune → automatic base-vs-fine-tuned comparison → confusion cell → the turn', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'lead');

  // A dataset from the seeded labels, built by the worker.
  await page.goto('/datasets/new');
  await page.getByLabel('Name', { exact: true }).fill('e2e-eval');
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 30_000 });

  // A local fine-tune of it.
  await page.getByRole('link', { name: 'Fine-tune this version' }).click();
  await page.getByLabel('Suffix (in the model name)').fill('eval');
  await page.getByRole('button', { name: 'Review launch' }).click();
  await page.getByRole('button', { name: 'Confirm and launch' }).click();
  await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded', { timeout: 60_000 });

  // Success starts an eval of the new model and of its base; the page links the comparison.
  const comparison = page.getByRole('link', { name: 'Base vs fine-tuned comparison, with significance →' });
  await expect(async () => {
    await page.reload();
    await expect(comparison).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 120_000 });
  await comparison.click();
  await expect(page.getByRole('heading', { name: 'Comparison' })).toBeVisible();
  // Runs still scoring show their progress; the page turns into the comparison when they end.
  const verdict = page.getByTestId('significance');
  await expect(verdict).toContainText(/The difference is (not )?significant/, { timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'Metrics of each run with deltas against the first' })).toBeVisible();
  // Where the two models disagree: counted in SQL, listed a page at a time, each row linking to its turn.
  const disagreements = page.getByRole('region', { name: /disagree$/ });
  await expect(disagreements.getByRole('link', { name: /^Answered differently \(\d+\)$/ })).toHaveAttribute('aria-current', 'page');
  await page.screenshot({ path: `${SHOTS}/evals-compare.png`, fullPage: true });
  const onlyOne = disagreements.getByRole('link', { name: /^Only ft:local-base:local:eval:\S+ right \(\d+\)$/ });
  await onlyOne.click();
  await expect(onlyOne).toHaveAttribute('aria-current', 'page');
  // Which side that is depends on the order the runs are listed in.
  await expect(page).toHaveURL(/kind=(base|other)-right/);

  // The fine-tuned run's page: metric cards and the confusion matrix.
  await page
    .getByRole('link', { name: /^ft:local-base:local:eval:/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Confusion matrix' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Metrics' }).getByText('Accuracy', { exact: true })).toBeVisible();
  // Scored on the golden set beside its test split, with calibration shown.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('region', { name: /Golden set/ }).getByTestId('golden-figures')).toHaveText(
      /\d+\.\d% · F1 \d\.\d{3} · premature END \d+\.\d%/,
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 120_000 });
  await expect(page.getByRole('heading', { name: 'Calibration' })).toBeVisible();
  await expect(page.getByTestId('ece')).toHaveText(/^\d\.\d{3}$/);

  // Click the first non-empty cell; its examples link to the conversation turn.
  const cell = page.locator('a[data-cell]').filter({ hasNotText: /^0$/ }).first();
  const [truth, predicted] = (await cell.getAttribute('data-cell'))!.split('-');
  await cell.click();
  await expect(page.getByRole('heading', { name: `Examples: true ${truth}, predicted ${predicted}` })).toBeVisible();
  const open = page.getByRole('link', { name: /Open turn in/ }).first();
  const href = (await open.getAttribute('href'))!;
  const messageId = Number(/turn=(\d+)/.exec(href)![1]);
  await open.click();
  await expect(page.locator(`[data-turn-id="${messageId}"]`)).toHaveAttribute('data-focused', 'true');
  await expect(page.getByTestId('eval-highlight')).toContainText(`true ${truth} · predicted ${predicted}`);

  // The turn really is the one the prediction was made for.
  const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM eval_predictions WHERE message_id = $1 AND truth::text = $2 AND predicted = $3`, [
    messageId,
    truth,
    predicted,
  ]);
  expect(Number(row.n)).toBeGreaterThan(0);
});

test('a reviewer reads evaluations but cannot start one', async ({ page }) => {
  await signIn(page, 'reviewer');
  await page.goto('/evals');
  await expect(page.getByRole('link', { name: 'Start an evaluation' })).toHaveCount(0);
  await page.goto('/evals/new');
  await expect(page.getByText(/needs the ML lead or admin role/)).toBeVisible();
});
