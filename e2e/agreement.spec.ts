import { expect, test, type Browser } from '@playwright/test';
import { query, signIn } from './helpers';
import type { AccountName } from './accounts';

// E2E_SCREENSHOT_DIR=/some/dir keeps full-page screenshots of each page this spec visits.
async function shot(page: import('@playwright/test').Page, name: string) {
  if (process.env.E2E_SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.E2E_SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

// A conversation nobody labeled yet, with at least two decision turns, that no other spec uses:
// the newest such sample conversation.
async function freshTurn(): Promise<{ conversationId: number; messageId: number }> {
  const [row] = await query<{ conversation_id: number; message_id: number }>(
    `SELECT c.id AS conversation_id,
            (SELECT m.id FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'recruiter' AND m.position > 0 ORDER BY m.position LIMIT 1) AS message_id
     FROM conversations c
     WHERE NOT c.is_golden AND NOT c.is_live AND c.labeled_turns = 0 AND c.recruiter_turns >= 2 AND c.external_id NOT LIKE 'e2e-%'
     ORDER BY c.id DESC LIMIT 1`,
  );
  if (!row) throw new Error('no unlabeled sample conversation');
  return { conversationId: row.conversation_id, messageId: row.message_id };
}

async function labelAs(browser: Browser, who: AccountName, conversationId: number, messageId: number, value: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who);
  await page.goto(`/conversations/${conversationId}?turn=${messageId}`);
  const turn = page.locator(`[data-turn-id="${messageId}"]`);
  await turn.getByRole('button', { name: value, exact: true }).click();
  await expect(turn.getByRole('status')).toHaveText('Saved ✓');
  await context.close();
}

test('two reviewers disagree; the ML lead adjudicates the turn and builds an adjudicated dataset that counts it', async ({ browser, page }) => {
  // Three sign-ins, two pages of aggregates and a dataset build by the worker.
  test.setTimeout(240_000);
  const { conversationId, messageId } = await freshTurn();
  await labelAs(browser, 'reviewer', conversationId, messageId, 'END');
  await labelAs(browser, 'reviewer2', conversationId, messageId, 'CONTINUE');

  // A reviewer sees their own stats, not the team's, and cannot open the queue.
  const reviewerContext = await browser.newContext();
  const reviewerPage = await reviewerContext.newPage();
  await signIn(reviewerPage, 'reviewer');
  await reviewerPage.getByRole('link', { name: 'My stats' }).click();
  await expect(reviewerPage.getByRole('heading', { name: 'Your labeling' })).toBeVisible();
  await expect(reviewerPage.locator('[data-reviewer="reviewer@e2e.test"] [data-stat="today"]')).not.toHaveText('0');
  await expect(reviewerPage.locator('[data-reviewer="reviewer2@e2e.test"]')).toHaveCount(0);
  await shot(reviewerPage, 'agreement-reviewer');
  await reviewerPage.goto('/agreement/adjudication');
  await expect(reviewerPage.getByText('The adjudication queue needs the ML lead or admin role')).toBeVisible();
  await reviewerContext.close();

  await signIn(page, 'lead');
  await page.getByRole('link', { name: 'Agreement', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Agreement' })).toBeVisible();
  await expect(page.getByRole('table', { name: "Cohen's kappa for every reviewer pair" })).toBeVisible();
  await expect(page.locator('[data-pair="reviewer2@e2e.test|reviewer@e2e.test"], [data-pair="reviewer@e2e.test|reviewer2@e2e.test"]')).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Agreement per label' })).toBeVisible();
  await expect(page.getByTestId('reviewer-confusion')).toBeVisible();
  await shot(page, 'agreement-lead');

  await page.getByTestId('adjudication-link').click();
  await expect(page.getByRole('heading', { name: 'Adjudication queue' })).toBeVisible();
  await page.goto(`/agreement/adjudication?conversation=${conversationId}`);
  const row = page.locator(`tr[data-message-id="${messageId}"]`);
  await expect(row.locator('[data-reviewer="reviewer@e2e.test"]')).toContainText('END');
  await expect(row.locator('[data-reviewer="reviewer2@e2e.test"]')).toContainText('CONTINUE');
  await shot(page, 'adjudication-queue');

  // Opening the conversation from the row focuses (highlights) that turn.
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/conversations/${conversationId}\\?turn=${messageId}$`));
  await expect(page.locator(`[data-turn-id="${messageId}"]`)).toHaveAttribute('data-focused', 'true');
  await page.goBack();

  // A final label without a note is refused, beside the field, and nothing is stored.
  await row.getByText('CONTINUE', { exact: true }).last().click();
  await row.getByRole('button', { name: 'Set final label' }).click();
  await expect(row.getByRole('alert')).toContainText('write a note');
  await shot(page, 'adjudication-error');
  expect(await query('SELECT 1 FROM adjudications WHERE message_id = $1', [messageId])).toHaveLength(0);

  await row.getByText('CONTINUE', { exact: true }).last().click();
  await row.getByLabel('Note (why)').fill('The candidate asked about hours: keep the conversation going.');
  await row.getByRole('button', { name: 'Set final label' }).click();
  await expect(row.getByRole('status')).toHaveText('✓ Final label CONTINUE saved.');
  await shot(page, 'adjudication-saved');
  const [stored] = await query<{ value: string; note: string }>('SELECT value::text, note FROM adjudications WHERE message_id = $1', [messageId]);
  expect(stored).toEqual({ value: 'CONTINUE', note: 'The candidate asked about hours: keep the conversation going.' });
  const events = await query<{ source: string; to_value: string }>(
    `SELECT source, to_value::text FROM label_events WHERE message_id = $1 AND source = 'adjudication'`,
    [messageId],
  );
  expect(events).toEqual([{ source: 'adjudication', to_value: 'CONTINUE' }]);
  // No longer open.
  await page.goto(`/agreement/adjudication?conversation=${conversationId}`);
  await expect(page.locator(`tr[data-message-id="${messageId}"]`)).toHaveCount(0);

  // An adjudicated dataset: the version page says how many turns each source decided.
  await page.goto('/datasets/new');
  await page.getByLabel('Name', { exact: true }).fill('e2e-adjudicated');
  await page.getByLabel('Policy').selectOption('adjudicated');
  await shot(page, 'dataset-form-adjudicated');
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 60_000 });
  const decidedBy = page.getByRole('table', { name: 'Turns decided by each source under the adjudicated policy' });
  await expect(decidedBy).toBeVisible();
  const [{ n }] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM adjudications a JOIN messages m ON m.id = a.message_id JOIN conversations c ON c.id = a.conversation_id
     WHERE NOT c.is_golden AND m.position > 0`,
  );
  expect(n).toBeGreaterThanOrEqual(1);
  await expect(decidedBy.locator('[data-source="adjudication"] td').first()).toHaveText(String(n));
  await expect(page.getByText('Adjudicated label where an ML lead set one, else majority')).toBeVisible();
  await shot(page, 'dataset-version-adjudicated');
  await page.goto('/agreement');
  await page.locator('select[name="pair"]').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('reviewer-confusion')).toBeVisible();
  await shot(page, 'agreement-pair-confusion');
});
