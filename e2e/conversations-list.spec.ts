import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { query, signIn } from './helpers';

const SHOTS = process.env.E2E_SCREENSHOTS ?? '/tmp/advisor-shots';

test('filter, search and paginate the list, with all state in the URL', async ({ page }) => {
  await signIn(page, 'reviewer2');
  await page.goto('/conversations');
  const total = Number((await page.getByTestId('result-count').innerText()).replace(/\D/g, ''));
  expect(total).toBeGreaterThanOrEqual(400);

  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'Unlabeled' }).click();
  await expect(page).toHaveURL(/filter=unlabeled/);
  const [{ n }] = await query<{ n: string }>('SELECT count(*) AS n FROM conversations WHERE labeled_turns = 0');
  await expect(page.getByTestId('result-count')).toHaveText(`${Number(n).toLocaleString('en-US')} conversations`);
  // Every row of the unlabeled filter shows 0 labeled turns.
  for (const cell of await page.locator('tbody tr td:nth-child(4)').allInnerTexts()) expect(cell).toMatch(/^0\//);

  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'Has SCHEDULE' }).click();
  await expect(page).toHaveURL(/filter=has_schedule/);
  await expect(page.locator('tbody tr').first().getByText('SCHEDULE')).toBeVisible();

  // Pagination: the next page starts after the last row of this one; Previous comes back.
  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'All' }).click();
  // Read the rows only once the All page has replaced the previous filter's page.
  await expect(page).not.toHaveURL(/has_schedule/);
  await expect(page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'All' })).toHaveAttribute('aria-current', 'page');
  const firstPage = await page.locator('tbody tr td:first-child a').allInnerTexts();
  expect(firstPage).toHaveLength(50);
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(page.getByRole('link', { name: '← Previous' })).toBeVisible();
  const secondPage = await page.locator('tbody tr td:first-child a').allInnerTexts();
  expect(secondPage).toHaveLength(50);
  expect(secondPage.filter((x) => firstPage.includes(x) && x.startsWith('e2e'))).toHaveLength(0);
  await page.getByRole('link', { name: '← Previous' }).click();
  await expect(page.locator('tbody tr td:first-child a')).toHaveText(firstPage);

  // Full-text search over job titles and message text, prefix matching.
  await page.getByRole('searchbox').fill('lighthous');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=lighthous/);
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Bea Burst' })).toBeVisible();

  // Reloading keeps the state: it lives in the URL.
  await page.reload();
  await expect(page.getByRole('searchbox')).toHaveValue('lighthous');
  await expect(page.getByRole('link', { name: 'Bea Burst' })).toBeVisible();
});

test('"Held by me" lists the conversation I have open in another tab, and its filter lives in the URL', async ({ page, context }) => {
  await signIn(page, 'reviewer2');
  await page.goto('/conversations?filter=unlabeled');
  await page.locator('tbody tr td:first-child a').first().click();
  await expect(page).toHaveURL(/\/conversations\/\d+/);
  const id = Number(/\/conversations\/(\d+)/.exec(page.url())![1]);
  // The page takes the lease from the browser once it has opened.
  await expect
    .poll(async () => (await query<{ n: string }>('SELECT count(*) AS n FROM labeling_leases WHERE conversation_id = $1 AND expires_at > now()', [id]))[0].n)
    .toBe('1');

  const list = await context.newPage();
  await list.goto('/conversations');
  await list.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'Held by me' }).click();
  await expect(list).toHaveURL(/filter=held/);
  await expect(list.locator(`tbody a[href^="/conversations/${id}"]`).first()).toBeVisible();
  await expect(list.getByTestId('result-count')).toHaveText('1 conversation');
  fs.mkdirSync(SHOTS, { recursive: true });
  await list.screenshot({ path: `${SHOTS}/conversations-held-by-me.png`, fullPage: true });
});
