import { expect, test } from '@playwright/test';
import { ACCOUNTS, E2E_PASSWORD } from './accounts';
import { query, signIn } from './helpers';

test('a visitor without a session is sent to sign in, then back to where they were going', async ({ page }) => {
  await page.goto('/conversations?filter=unlabeled');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel('Email').fill(ACCOUNTS.reviewer.email);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/conversations\?filter=unlabeled/);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeVisible();
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(ACCOUNTS.reviewer.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('a reviewer cannot open the admin page', async ({ page }) => {
  await signIn(page, 'reviewer');
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(page.getByRole('alert').filter({ hasText: 'Not allowed' })).toContainText('This needs the admin role');
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('an admin lists users and changes a role', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const row = page.locator(`tr[data-email="${ACCOUNTS.reviewer2.email}"]`);
  for (const [role, name] of [
    ['ml_lead', 'ML lead'],
    ['reviewer', 'Reviewer'],
  ] as const) {
    await page.getByLabel(`Role of ${ACCOUNTS.reviewer2.email}`, { exact: true }).selectOption(role);
    await row.getByRole('button', { name: 'Change role…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Change role' }).click();
    await expect(row.getByRole('status')).toHaveText(`Role changed to ${name}.`);
    const [stored] = await query<{ role: string }>('SELECT role::text FROM users WHERE email = $1', [ACCOUNTS.reviewer2.email]);
    expect(stored.role).toBe(role);
  }
});
