import { expect, test } from '@playwright/test';
import { conversationId, openConversation, query, signIn } from './helpers';

const buttonsOf = (page: import('@playwright/test').Page, turnIndex: number) => page.locator('[data-turn-id]').nth(turnIndex);

test('label five turns with the keyboard, reload and see them; u undoes; ? lists shortcuts', async ({ page }) => {
  await signIn(page, 'reviewer');
  const id = await conversationId('e2e-keyboard');
  await openConversation(page, id);
  await expect(page.locator('[data-turn-id]')).toHaveCount(5);
  await expect(buttonsOf(page, 0)).toHaveAttribute('data-focused', 'true');

  // 1/2/3 and e/c/s label the focused turn and move on to the next unlabeled one.
  for (const key of ['1', '2', '3', 'c', 's']) await page.keyboard.press(key);
  const expected = ['END', 'CONTINUE', 'SCHEDULE', 'CONTINUE', 'SCHEDULE'];
  for (const [i, value] of expected.entries()) {
    await expect(buttonsOf(page, i).getByRole('button', { name: value, exact: true })).toHaveAttribute('aria-pressed', 'true');
  }
  await expect(page.getByText('Saved ✓')).toHaveCount(5);
  await expect(page.getByTestId('conversation-progress')).toHaveText('5 / 5');

  await page.reload();
  await expect(page.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
  for (const [i, value] of expected.entries()) {
    await expect(buttonsOf(page, i).getByRole('button', { name: value, exact: true })).toHaveAttribute('aria-pressed', 'true');
    for (const other of ['END', 'CONTINUE', 'SCHEDULE'].filter((v) => v !== value)) {
      await expect(buttonsOf(page, i).getByRole('button', { name: other, exact: true })).toHaveAttribute('aria-pressed', 'false');
    }
  }

  // j/k and arrows move the focus; u undoes my last change (the last label, wherever the focus is).
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await page.keyboard.press('ArrowDown');
  const focused = page.locator('[data-turn-id][data-focused="true"]');
  await expect(focused).toHaveCount(1);
  await page.keyboard.press('u');
  await expect(buttonsOf(page, 4).getByRole('button', { pressed: true })).toHaveCount(0);
  await expect(buttonsOf(page, 4).getByText('Undone: label SCHEDULE → none ✓')).toBeVisible();
  await expect(buttonsOf(page, 4)).toHaveAttribute('data-focused', 'true');
  await expect(page.getByTestId('conversation-progress')).toHaveText('4 / 5');

  const stored = await query<{ position: number; value: string }>(
    `SELECT m.position, l.value::text FROM labels l JOIN messages m ON m.id = l.message_id JOIN users u ON u.id = l.reviewer_id
     WHERE m.conversation_id = $1 AND u.email = 'reviewer@e2e.test' ORDER BY m.position`,
    [id],
  );
  expect(stored).toHaveLength(4);

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('twenty labels typed as fast as keys repeat are all stored, in order', async ({ page }) => {
  await signIn(page, 'reviewer');
  const id = await conversationId('e2e-burst');
  await openConversation(page, id);
  await expect(page.locator('[data-turn-id]')).toHaveCount(20);
  const keys = Array.from({ length: 20 }, (_, i) => ['1', '2', '3'][(i * 7) % 3]);
  for (const key of keys) await page.keyboard.press(key, { delay: 0 });
  await expect(page.getByText('Saved ✓')).toHaveCount(20, { timeout: 30_000 });

  const values = { '1': 'END', '2': 'CONTINUE', '3': 'SCHEDULE' } as const;
  const events = await query<{ position: number; to_value: string }>(
    `SELECT m.position, e.to_value::text FROM label_events e JOIN messages m ON m.id = e.message_id JOIN users u ON u.id = e.reviewer_id
     WHERE e.conversation_id = $1 AND u.email = 'reviewer@e2e.test' ORDER BY e.id`,
    [id],
  );
  // Recruiter turns sit at odd positions (the candidate wrote first); the history shows them
  // written in key order.
  expect(events.map((e) => [e.position, e.to_value])).toEqual(keys.map((k, i) => [i * 2 + 1, values[k as '1']]));
});

test('another reviewer sees my labels beside theirs; n opens the next conversation needing me', async ({ page }) => {
  await signIn(page, 'reviewer2');
  const id = await conversationId('e2e-keyboard');
  await openConversation(page, id);
  await expect(buttonsOf(page, 0).getByRole('list', { name: "Other reviewers' labels" })).toContainText('Rita Reviewer: END');
  await page.keyboard.press('n');
  await expect(page).not.toHaveURL(new RegExp(`/conversations/${id}$`));
  await expect(page.locator('[data-turn-id]').first()).toBeVisible();
});

test('the opening message is marked as not used for training, and labeling starts after it', async ({ page }) => {
  await signIn(page, 'reviewer2');
  const id = await conversationId('e2e-next-a');
  await openConversation(page, id);
  await expect(page.locator('[data-turn-id]')).toHaveCount(2);
  await expect(page.getByTestId('opening-note')).toHaveCount(1);
  await expect(buttonsOf(page, 0).getByTestId('opening-note')).toContainText('not used for training');
  await expect(buttonsOf(page, 1)).toHaveAttribute('data-focused', 'true');
  await expect(page.getByTestId('conversation-progress')).toHaveText('0 / 1');
  await page.keyboard.press('2');
  await expect(buttonsOf(page, 1).getByRole('button', { name: 'CONTINUE', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('conversation-progress')).toHaveText('1 / 1');
  // Nothing left to decide here: auto-advance does not land on the opening message.
  await expect(buttonsOf(page, 0)).not.toHaveAttribute('data-focused', 'true');
  // It can still be labeled on purpose.
  await buttonsOf(page, 0).getByRole('button', { name: 'CONTINUE', exact: true }).click();
  await expect(buttonsOf(page, 0).getByRole('button', { name: 'CONTINUE', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('conversation-progress')).toHaveText('1 / 1');
});

test('user text is rendered as text, never as HTML', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await signIn(page, 'reviewer');
  const id = await conversationId('e2e-xss');
  await openConversation(page, id);
  await expect(page.getByText('<script>window.__xss = 1; alert("xss")</script>', { exact: false })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Xavier <b>Bold</b>' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toBe(0);
});
