import { expect, test } from '@playwright/test';
import { query, signIn } from './helpers';

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
