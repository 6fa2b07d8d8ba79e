// People and providers on the admin pages, and the edges of every boundary: each odd URL or
// action call answers a 4xx (or a clean action result) with a message, never a 500.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ACCOUNTS, E2E_PASSWORD } from './accounts';
import { conversationId, openConversation, query, signIn } from './helpers';

const NEW_PASSWORD = 'a fresh long password';

async function signInAs(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function addUser(page: Page, email: string, password = E2E_PASSWORD, role = 'reviewer') {
  await page.goto('/admin/users');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Add user' }).click();
}

/** A second, independent browser signed in as `email`. */
async function otherBrowser(browser: Browser, email: string, password = E2E_PASSWORD) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email, password);
  await expect(page.getByText(email)).toBeVisible();
  return { context, page };
}

function personRow(page: Page, email: string) {
  return page.locator(`tr[data-email="${email}"]`);
}

async function confirmInDialog(
  page: Page,
  row: ReturnType<typeof personRow>,
  trigger: string,
  confirm: string,
  fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
) {
  await row.getByRole('button', { name: trigger }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  if (fill) await fill(dialog);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.describe('people', () => {
  test('"Add a user" with an existing email is refused and changes nothing about that person', async ({ page }) => {
    await signIn(page, 'admin');
    const [before] = await query<{ role: string; password: string }>(
      `SELECT u.role::text, a.password FROM users u JOIN accounts a ON a.user_id = u.id AND a.provider_id = 'credential' WHERE u.email = $1`,
      [ACCOUNTS.reviewer.email],
    );
    await addUser(page, ACCOUNTS.reviewer.email.toUpperCase(), 'another long password', 'admin');
    await expect(page.locator('#email-error')).toContainText('already has an account');
    const [after] = await query<{ role: string; password: string }>(
      `SELECT u.role::text, a.password FROM users u JOIN accounts a ON a.user_id = u.id AND a.provider_id = 'credential' WHERE u.email = $1`,
      [ACCOUNTS.reviewer.email],
    );
    expect(after).toEqual(before);
    // A weak password is refused with the rule, beside its field.
    await addUser(page, 'weak@e2e.test', 'password');
    await expect(page.locator('#password-error')).toContainText('at least 12 characters');
    expect(await query('SELECT 1 FROM users WHERE email = $1', ['weak@e2e.test'])).toHaveLength(0);
  });

  test('deactivating a user signs them out and keeps them out until reactivated', async ({ page, browser }) => {
    const email = `leaving-${Date.now()}@e2e.test`; // unique: the test can run again on the same database
    await signIn(page, 'admin');
    await addUser(page, email);
    await expect(page.getByRole('status').filter({ hasText: `Added ${email}.` })).toBeVisible();
    const other = await otherBrowser(browser, email);

    await confirmInDialog(page, personRow(page, email), 'Deactivate…', 'Deactivate');
    await expect(personRow(page, email)).toContainText('Deactivated');
    expect(await query('SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [email])).toHaveLength(0);

    // Their other browser is refused on its next navigation…
    await other.page.goto('/conversations');
    await expect(other.page).toHaveURL(/\/sign-in/);
    // …and cannot sign in again.
    await signInAs(other.page, email, E2E_PASSWORD);
    // Wait for the refusal itself (the sign-in form's message), not just any alert.
    await expect(other.page.getByRole('alert').filter({ hasText: /Wrong email or password|deactivated/ })).toBeVisible();
    await expect(other.page).toHaveURL(/\/sign-in/);
    await expect(other.page.getByText(email)).toHaveCount(0);
    expect(await query('SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [email])).toHaveLength(0);

    await confirmInDialog(page, personRow(page, email), 'Reactivate…', 'Reactivate');
    await expect(personRow(page, email)).not.toContainText('Deactivated');
    await signInAs(other.page, email, E2E_PASSWORD);
    await expect(other.page.getByText(email)).toBeVisible();
    await other.context.close();
  });

  test('a password reset ends the old sessions; the new password works', async ({ page, browser }) => {
    const email = `forgetful-${Date.now()}@e2e.test`;
    await signIn(page, 'admin');
    await addUser(page, email);
    await expect(page.getByRole('status').filter({ hasText: `Added ${email}.` })).toBeVisible();
    const other = await otherBrowser(browser, email);

    const row = personRow(page, email);
    // The policy applies here too; the dialog stays open with the reason.
    await row.getByRole('button', { name: 'Reset password…' }).click();
    await page.getByRole('dialog').getByLabel('New password').fill('short');
    await page.getByRole('dialog').getByRole('button', { name: 'Reset password', exact: true }).click();
    await expect(page.getByRole('dialog').getByRole('alert')).toContainText('at least 12 characters');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await confirmInDialog(page, row, 'Reset password…', 'Reset password', (d) => d.getByLabel('New password').fill(NEW_PASSWORD));
    await expect(row.getByRole('status')).toContainText('Password reset; 1 session was signed out.');

    await other.page.goto('/conversations');
    await expect(other.page).toHaveURL(/\/sign-in/);
    await signInAs(other.page, email, E2E_PASSWORD);
    await expect(other.page.getByRole('alert').filter({ hasText: 'Wrong' })).toBeVisible();
    await signInAs(other.page, email, NEW_PASSWORD);
    await expect(other.page.getByText(email)).toBeVisible();
    await other.context.close();
  });

  test('import sources are listed apart from people, without a role selector', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/admin/users');
    const sources = page.getByRole('table', { name: 'Import sources' });
    await expect(sources).toContainText('import@e2e-fixtures.jsonl');
    await expect(sources.getByRole('combobox')).toHaveCount(0);
    await expect(page.getByRole('table', { name: 'People' })).not.toContainText('import@');
    await page.screenshot({ path: 'test-results/admin-users.png', fullPage: true });
  });
});

test('providers: save, replace and remove the stored OpenAI key, shown as a masked prefix only', async ({ page }) => {
  const first = 'sk-e2e-first-0123456789abcdefghij';
  const second = 'sk-zz-second-0123456789abcdefghij';
  await signIn(page, 'admin');
  await page.goto('/admin/providers');
  await expect(page.getByTestId('stored-key')).toHaveText('No key is stored.');

  await page.getByLabel('API key').fill(first);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'stored encrypted' })).toBeVisible();
  await expect(page.getByTestId('stored-key')).toHaveText('Stored key: sk-e2e…');
  let [row] = await query<{ api_key_encrypted: string | null }>("SELECT api_key_encrypted FROM provider_settings WHERE provider = 'openai'");
  expect(row.api_key_encrypted).toMatch(/^v1\./);
  expect(await page.content()).not.toContain(first.slice(6));

  await page.getByLabel('New API key (replaces the stored one)').fill(second);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('stored-key')).toHaveText('Stored key: sk-zz-…');
  await page.screenshot({ path: 'test-results/admin-providers.png', fullPage: true });

  await page.getByRole('button', { name: 'Remove the stored key…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove key' }).click();
  await expect(page.getByTestId('stored-key')).toHaveText('No key is stored.');
  [row] = await query<{ api_key_encrypted: string | null }>("SELECT api_key_encrypted FROM provider_settings WHERE provider = 'openai'");
  expect(row.api_key_encrypted).toBeNull();
});

test.describe('edges answer 4xx with a message', () => {
  test('odd URLs and unknown ids', async ({ page }) => {
    await signIn(page, 'admin');
    for (const url of [
      '/datasets?before=99999999999999999999',
      '/conversations?q=%00',
      '/conversations/999999',
      '/conversations/99999999999',
      '/conversations/abc',
      '/datasets/999999',
      '/datasets/99999999999',
      '/evals/999999',
      '/fine-tunes/999999',
      '/fine-tunes/-1',
    ]) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(404);
      expect(await res.text(), url).toContain('Not found');
    }
    const live = await page.request.get('/api/fine-tunes/3/live?after=999999999999999999');
    expect(live.status()).toBe(400);
    expect(live.headers()['content-type']).toContain('application/problem+json');
    const problem = await live.json();
    expect(problem).toMatchObject({ status: 400, title: 'Bad request', errors: [{ path: 'query.after', message: expect.stringMatching(/at most/) }] });
    for (const [url, status] of [
      ['/api/fine-tunes/999999/live', 404],
      ['/api/fine-tunes/99999999999/live', 400],
      ['/api/evals/999999/live', 404],
      ['/api/datasets/versions/999999/status', 404],
      ['/api/datasets/versions/1/files/secrets.txt', 404],
    ] as const) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(status);
      expect((await res.json()).detail, url).toBeTruthy();
    }
    const anonymous = await page.context().browser()!.newContext();
    const res = await anonymous.request.get(new URL('/api/evals/1/live', page.url()).toString());
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ status: 401, detail: 'Please sign in.' });
    await anonymous.close();
  });

  test('server actions: an id beyond 2³¹−1, an empty body and no session get clean answers, not 500s', async ({ page, context }) => {
    await signIn(page, 'lead');
    const id = await conversationId('e2e-next-a');
    await openConversation(page, id);
    // Catch a real label write to learn the action's id, then replay it with odd inputs.
    const sent = page.waitForRequest((r) => r.method() === 'POST' && Boolean(r.headers()['next-action']));
    await page.keyboard.press('2');
    const write = await sent;
    const headers = {
      'next-action': write.headers()['next-action'],
      accept: 'text/x-component',
      'content-type': 'text/plain;charset=UTF-8',
      origin: new URL(page.url()).origin,
    };
    const huge = await page.request.post(`/conversations/${id}`, { headers, data: JSON.stringify([{ messageId: 2 ** 31, value: 'END' }]) });
    expect(huge.status()).toBe(200);
    const hugeText = await huge.text();
    expect(hugeText).toContain('messageId must be at most 2147483647');
    expect(hugeText).toContain('"retryable":false');

    const empty = await page.request.post(`/conversations/${id}`, { headers, data: '' });
    expect(empty.status(), await empty.text()).toBeLessThan(500);

    // Signed out (the session cookie gone): "n" asks for the next conversation and is told to sign in.
    const failures: number[] = [];
    page.on('response', (r) => {
      if (r.status() >= 500) failures.push(r.status());
    });
    await context.clearCookies();
    await page.keyboard.press('n');
    await expect(page.getByRole('alert').filter({ hasText: 'Please sign in' })).toBeVisible();
    expect(failures).toEqual([]);
  });
});
