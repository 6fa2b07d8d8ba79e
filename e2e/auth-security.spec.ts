import { expect, test, type Browser, type Page } from '@playwright/test';
import { ACCOUNTS, E2E_PASSWORD, type AccountName } from './accounts';
import { conversationId, openConversation, query, signIn } from './helpers';

// e2e/run.ts sets a 20 s throttle window (long enough for a slow, shared machine) and 20 attempts per client (10 per account).
const ORIGIN = `http://localhost:${process.env.E2E_PORT}`;

async function postSignIn(page: Page, email: string, password: string, spoofedIp?: string) {
  return page.request.post('/api/auth/sign-in/email', {
    headers: { origin: ORIGIN, 'content-type': 'application/json', ...(spoofedIp ? { 'x-forwarded-for': spoofedIp } : {}) },
    data: { email, password },
    failOnStatusCode: false,
  });
}

async function fillSignIn(page: Page, who: AccountName, password = E2E_PASSWORD) {
  await page.getByLabel('Email').fill(ACCOUNTS[who].email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const randomIp = () => `198.51.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

test('20 wrong sign-ins for one account meet a 429, the form says when to retry, and the owner gets in after the window', async ({ page }) => {
  const statuses: number[] = [];
  let retryAfter = 0;
  for (let i = 0; i < 20; i++) {
    // A different X-Forwarded-For each time: the server counts the connection, not the header.
    const res = await postSignIn(page, ACCOUNTS.locked.email, `wrong-password-${i}`, randomIp());
    statuses.push(res.status());
    if (res.status() === 429) {
      retryAfter = Number(res.headers()['retry-after']);
      expect((await res.json()).message).toMatch(/^Too many attempts, try again in \d+ s\.$/);
    }
  }
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
  expect(statuses.slice(10)).toEqual(Array(10).fill(429));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(20);

  // The right password, through the form, is refused too while the window lasts.
  await page.goto('/sign-in');
  await fillSignIn(page, 'locked');
  const alert = page.getByRole('alert').filter({ hasText: 'Too many attempts' });
  await expect(alert).toContainText(/Too many attempts, try again in \d+ s\./);
  await expect(alert).toContainText('You can sign in again at');
  await page.screenshot({ path: 'test-results/screens/sign-in-throttled.png' });
  await expect(page).toHaveURL(/\/sign-in/);

  const [row] = await query<{ ms: number }>(
    "SELECT ceil(extract(epoch FROM window_ends_at - now()) * 1000)::int AS ms FROM sign_in_throttle WHERE key = 'account:locked@e2e.test'",
  );
  await page.waitForTimeout(Math.max(row.ms, 0) + 300);
  await fillSignIn(page, 'locked');
  await expect(page).toHaveURL(/\/conversations/);
  await expect(page.getByText(ACCOUNTS.locked.email)).toBeVisible();
});

test('one client guessing across many accounts is throttled too, counted exactly under a parallel burst, whatever X-Forwarded-For it sends', async ({
  page,
}) => {
  await query("DELETE FROM sign_in_throttle WHERE key LIKE 'client:%'"); // a fresh window for this client
  const statuses = await Promise.all(
    Array.from({ length: 25 }, (_, i) => postSignIn(page, `nobody-${i}@e2e.test`, 'a-guessed-password', randomIp()).then((r) => r.status())),
  );
  expect(statuses.filter((s) => s === 401)).toHaveLength(20);
  expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  const [row] = await query<{ ms: number }>(
    "SELECT max(ceil(extract(epoch FROM window_ends_at - now()) * 1000))::int AS ms FROM sign_in_throttle WHERE key LIKE 'client:%'",
  );
  await page.waitForTimeout(Math.max(row.ms, 0) + 300);
  await signIn(page, 'reviewer');
});

test('a weak new password is refused with the rule', async ({ page }) => {
  await signIn(page, 'changer');
  await page.getByRole('link', { name: ACCOUNTS.changer.email }).click();
  await expect(page.getByRole('heading', { name: 'Change password' })).toBeVisible();
  await expect(page.getByText('A new password needs at least 12 characters')).toBeVisible();
  for (const [weak, rule] of [
    ['12345678', 'Password must be at least 12 characters.'],
    ['aaaaaaaaaaaaaaaa', 'Password cannot be one or two characters repeated.'],
    [ACCOUNTS.changer.email, 'Password cannot be (or be built from) your email address.'],
  ]) {
    await page.getByLabel('Current password').fill(E2E_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(weak);
    await page.getByLabel('New password again').fill(weak);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.locator('#newPassword-error')).toHaveText(rule);
    await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.getByText('Your password was not changed.')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/account-weak-password.png', fullPage: true });
});

test('after change-password the old session elsewhere is refused, this one goes on', async ({ browser, page }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, 'changer');
  await signIn(page, 'changer');
  await page.goto('/account');
  const next = 'a fresh and long passphrase';
  await page.getByLabel('Current password').fill(E2E_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('New password again').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toHaveText('Password changed. You were signed out everywhere else.');
  await page.screenshot({ path: 'test-results/screens/account-changed.png', fullPage: true });

  await otherPage.goto('/conversations');
  await expect(otherPage).toHaveURL(/\/sign-in\?next=%2Fconversations/);
  await page.goto('/conversations');
  await expect(page.getByText(ACCOUNTS.changer.email)).toBeVisible();
  // The old password no longer works, the new one does.
  await otherPage.getByLabel('Email').fill(ACCOUNTS.changer.email);
  await otherPage.getByLabel('Password').fill(E2E_PASSWORD);
  await otherPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(otherPage.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText('Wrong email or password.');
  await otherPage.getByLabel('Password').fill(next);
  await otherPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(otherPage).toHaveURL(/\/conversations/);
  await other.close();
});

async function signInWithNext(browser: Browser, rawNext: string, expected: RegExp) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/sign-in?next=${rawNext}`);
  await fillSignIn(page, 'reviewer');
  await expect(page).toHaveURL(expected);
  await expect(page.getByText(ACCOUNTS.reviewer.email)).toBeVisible();
  // Signed in already, the sign-in page itself redirects: same rule.
  await page.goto(`/sign-in?next=${rawNext}`);
  await expect(page).toHaveURL(expected);
  await expect(page.getByText(ACCOUNTS.reviewer.email)).toBeVisible();
  await context.close();
}

for (const rawNext of [
  '/%5Cevil.example/phish',
  '//evil.example',
  '/\\evil.example',
  'https://evil.example',
  'javascript:alert(1)',
  encodeURIComponent('//evil.example/x'),
  encodeURIComponent('/\\evil.example'),
]) {
  test(`sign-in with next=${rawNext} lands on our own page`, async ({ browser }) => {
    await signInWithNext(browser, rawNext, new RegExp(`^${ORIGIN}/conversations$`));
  });
}

test('a path of ours in next= is still followed', async ({ browser }) => {
  await signInWithNext(browser, encodeURIComponent('/datasets?x=1'), new RegExp(`^${ORIGIN}/datasets\\?x=1$`));
});

test('the labeling page cannot be framed and sends the other security headers; pages run under the CSP', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await signIn(page, 'reviewer');
  const id = await conversationId('e2e-next-a');
  const res = await page.request.get(`/conversations/${id}`);
  const h = res.headers();
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(h['content-security-policy']).toContain("object-src 'none'");
  expect(h['content-security-policy']).toContain("base-uri 'self'");
  expect(h['content-security-policy']).toContain("form-action 'self'");
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(h['permissions-policy']).toContain('camera=()');
  // A fresh nonce each time.
  const again = (await page.request.get(`/conversations/${id}`)).headers()['content-security-policy'];
  expect(again).not.toBe(h['content-security-policy']);

  // Hydrated under the policy: keyboard labeling works.
  await openConversation(page, id);
  for (const path of ['/conversations', '/datasets', '/fine-tunes', '/evals', '/models', '/account']) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
  }
  expect(violations).toEqual([]);
});
