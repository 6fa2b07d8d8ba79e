import { expect, test, type Page } from '@playwright/test';
import { openConversation, query, signIn } from './helpers';

// Own conversations, written straight into the database (so no shared fixture changes): the
// candidate writes first, so every recruiter message is a decision turn.
//   0 C Hi, I saw the posting   1 R availability?   2 C STOP   3 R Understood…   4 R Before you go…   5 C fine   6 R Booked
const MESSAGES: [string, string, number][] = [
  ['candidate', 'Hi, I saw the night baker posting', 0],
  ['recruiter', 'Great! What is your availability this week?', 10],
  ['candidate', 'STOP', 20],
  ['recruiter', 'Understood, we will remove you from our list.', 21],
  ['recruiter', 'Before you go, could we book a quick call?', 22],
  ['candidate', 'fine, tuesday works', 30],
  ['recruiter', 'Booked for Tuesday 10am!', 31],
];

async function createConversation(externalId: string, name: string): Promise<number> {
  const [c] = await query<{ id: number }>(
    `INSERT INTO conversations (external_id, candidate_name, job_title, last_activity_at, updated_at, recruiter_turns)
     VALUES ($1, $2, 'night baker', '2030-01-01T00:00:00Z', now(), 4) RETURNING id`,
    [externalId, name],
  );
  for (const [i, [sender, text, min]] of MESSAGES.entries()) {
    await query(`INSERT INTO messages (conversation_id, position, sender, text, sent_at) VALUES ($1, $2, $3::"Sender", $4, $5)`, [
      c.id,
      i,
      sender,
      text,
      new Date(Date.parse('2026-11-20T09:00:00Z') + min * 60_000),
    ]);
  }
  return c.id;
}

const turn = (page: Page, i: number) => page.locator('[data-turn-id]').nth(i);
const pressed = (page: Page, i: number, value: string) => turn(page, i).getByRole('button', { name: value, exact: true });
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screens';

async function stored(sql: string, params: unknown[]) {
  return query<Record<string, unknown>>(sql, params);
}

test('skip, flag and comment a turn; the team sees them; only the author deletes a comment; the lead filters by them', async ({ page, browser }) => {
  const id = await createConversation('e2e-turn-actions', 'Tara Turnactions');
  await signIn(page, 'reviewer');
  await openConversation(page, id);
  await expect(turn(page, 0)).toHaveAttribute('data-focused', 'true');

  // x skips the focused turn (left for others) and moves on to the next one needing me.
  await page.keyboard.press('x');
  await expect(turn(page, 0).getByRole('button', { name: /^Skipped/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(turn(page, 0).getByText('Skipped: left for others ✓')).toBeVisible();
  await expect(turn(page, 1)).toHaveAttribute('data-focused', 'true');
  await expect(page.getByTestId('skipped-count')).toHaveText('1 turn skipped: left for others, not waiting for you.');
  expect(
    await stored(`SELECT s.message_id FROM turn_skips s JOIN users u ON u.id = s.reviewer_id WHERE s.conversation_id = $1 AND u.email = 'reviewer@e2e.test'`, [
      id,
    ]),
  ).toHaveLength(1);

  // f opens the reason picker; 2 picks "Needs context" (not the CONTINUE label).
  await page.keyboard.press('f');
  await expect(turn(page, 1).getByRole('group', { name: 'Flag reason' })).toBeVisible();
  await page.keyboard.press('2');
  await expect(turn(page, 1).getByRole('button', { name: /Flagged: Needs context/ })).toBeVisible();
  await expect(turn(page, 1).getByText('Flagged “Needs context” ✓')).toBeVisible();
  await expect(turn(page, 1).getByRole('button', { pressed: true })).toHaveCount(0);
  expect(await stored(`SELECT reason::text FROM turn_flags WHERE conversation_id = $1`, [id])).toEqual([{ reason: 'needs_context' }]);

  // m opens the comment box. Empty and too long are refused with a message; nothing is stored.
  await page.keyboard.press('m');
  const box = turn(page, 1).getByLabel(/Comment for the team/);
  await expect(box).toBeFocused();
  await page.keyboard.press('Control+Enter');
  await expect(turn(page, 1).getByRole('alert')).toHaveText('Write a comment first: it is empty.');
  await box.fill('y'.repeat(1001));
  await turn(page, 1).getByRole('button', { name: 'Post comment' }).click();
  await expect(turn(page, 1).getByRole('alert')).toHaveText('A comment can be at most 1000 characters; this one has 1,001.');
  expect(await stored('SELECT id FROM turn_comments WHERE conversation_id = $1', [id])).toHaveLength(0);
  await box.fill('Is <b>this</b> a wrap-up? <img src=x onerror="window.__xss=1">');
  await page.keyboard.press('Control+Enter');
  const comments = turn(page, 1).getByRole('list', { name: 'Comments on this turn' });
  await expect(comments).toContainText('Rita Reviewer');
  await expect(comments).toContainText('Is <b>this</b> a wrap-up? <img src=x onerror="window.__xss=1">');
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  await expect(turn(page, 1)).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/turn-actions.png`, fullPage: true });

  // Another reviewer sees the comment and the flag, and cannot delete the comment.
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await signIn(page2, 'reviewer2');
  await openConversation(page2, id);
  await expect(turn(page2, 1).getByRole('list', { name: 'Comments on this turn' })).toContainText('Is <b>this</b> a wrap-up?');
  await expect(turn(page2, 1).getByRole('list', { name: 'Flags on this turn' })).toContainText('Rita Reviewer: Needs context');
  await expect(turn(page2, 1).getByRole('button', { name: /Delete comment/ })).toHaveCount(0);
  // Rita's skip is hers: for Rob the first turn still waits.
  await expect(turn(page2, 0)).toHaveAttribute('data-focused', 'true');
  await expect(turn(page2, 0).getByRole('button', { name: 'Skip x' })).toHaveAttribute('aria-pressed', 'false');

  await other.close();

  // The ML lead finds the conversation under both filters.
  const leads = await browser.newContext();
  const lead = await leads.newPage();
  await signIn(lead, 'lead');
  for (const name of ['Flagged turns', 'Turns with comments']) {
    await lead.goto('/conversations');
    await lead.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name }).click();
    await expect(lead.getByRole('link', { name: 'Tara Turnactions' })).toBeVisible();
  }
  await leads.close();

  // The author deletes it.
  await turn(page, 1).getByRole('button', { name: 'Delete comment by Rita Reviewer' }).click();
  await expect(turn(page, 1).getByRole('list', { name: 'Comments on this turn' })).toHaveCount(0);
  expect(await stored('SELECT id FROM turn_comments WHERE conversation_id = $1', [id])).toHaveLength(0);
});

test('Ctrl+Z, Backspace and u undo my last changes, in order; nothing left says so and never "Saved ✓"', async ({ page }) => {
  const id = await createConversation('e2e-turn-undo', 'Ulla Undo');
  await signIn(page, 'reviewer');
  await openConversation(page, id);
  await page.keyboard.press('1'); // turn 1 END
  await page.keyboard.press('2'); // turn 2 CONTINUE
  await page.keyboard.press('x'); // skip turn 3
  await expect(page.getByText('Saved ✓')).toHaveCount(2);
  await expect(turn(page, 2).getByText('Skipped: left for others ✓')).toBeVisible();

  await page.keyboard.press('Control+z');
  await expect(turn(page, 2).getByRole('button', { name: 'Skip x' })).toHaveAttribute('aria-pressed', 'false');
  await expect(turn(page, 2).getByText('Undone: skip taken back ✓')).toBeVisible();
  await page.keyboard.press('Backspace');
  await expect(pressed(page, 1, 'CONTINUE')).toHaveAttribute('aria-pressed', 'false');
  await expect(turn(page, 1).getByText('Undone: label CONTINUE → none ✓')).toBeVisible();
  await expect(turn(page, 1)).toHaveAttribute('data-focused', 'true');
  await page.keyboard.press('u');
  await expect(pressed(page, 0, 'END')).toHaveAttribute('aria-pressed', 'false');
  await expect(turn(page, 0).getByText('Undone: label END → none ✓')).toBeVisible();
  await expect(page.getByTestId('conversation-progress')).toHaveText('0 / 4');

  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('undo-status')).toHaveText('Nothing to undo: you have made no change here that is not undone already.');
  await expect(page.getByText('Saved ✓')).toHaveCount(0);

  const events = await stored(
    `SELECT m.position, e.from_value::text AS f, e.to_value::text AS t, e.source, e.undone_at IS NOT NULL AS undone
       FROM label_events e JOIN messages m ON m.id = e.message_id WHERE e.conversation_id = $1 ORDER BY e.id`,
    [id],
  );
  expect(events).toEqual([
    { position: 1, f: null, t: 'END', source: 'ui', undone: true },
    { position: 3, f: null, t: 'CONTINUE', source: 'ui', undone: true },
    { position: 3, f: 'CONTINUE', t: null, source: 'undo', undone: false },
    { position: 1, f: 'END', t: null, source: 'undo', undone: false },
  ]);
  expect(await stored('SELECT 1 FROM labels WHERE conversation_id = $1', [id])).toHaveLength(0);

  // Keys typed into a comment are text, not shortcuts: Backspace deletes a character.
  await page.keyboard.press('m');
  await page.keyboard.type('ab');
  await page.keyboard.press('Backspace');
  await expect(turn(page, 0).getByLabel(/Comment for the team/)).toHaveValue('a');
});

test('the history drawer shows every change of the focused turn: who, when, from → to, source', async ({ page, browser }) => {
  const id = await createConversation('e2e-turn-history', 'Hal History');
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await signIn(page2, 'reviewer2');
  await openConversation(page2, id);
  await page2.keyboard.press('3');
  await expect(turn(page2, 0).getByText('Saved ✓')).toBeVisible();
  await other.close();

  await signIn(page, 'reviewer');
  await openConversation(page, id);
  // The page focuses the first turn that still needs me; reviewer2 already covered turn 0.
  await page.keyboard.press('k');
  await page.keyboard.press('1');
  await page.keyboard.press('k');
  await page.keyboard.press('2'); // END → CONTINUE on turn 0
  await page.keyboard.press('Control+z'); // back to END
  await expect(turn(page, 0).getByText(/Undone: label CONTINUE → END/)).toBeVisible();
  await page.keyboard.press('f');
  await page.keyboard.press('3');
  await expect(turn(page, 0).getByText('Flagged “Bad data” ✓')).toBeVisible();

  await page.keyboard.press('h');
  const drawer = page.getByRole('dialog', { name: 'History of recruiter turn 1 of 4' });
  await expect(drawer).toBeVisible();
  const rows = drawer.getByTestId('history-row');
  await expect(rows).toHaveCount(5);
  // Newest first.
  await expect(rows.nth(0)).toContainText('Rita Reviewer');
  await expect(rows.nth(0)).toContainText('no flag → flag “Bad data”');
  await expect(rows.nth(1)).toContainText('CONTINUE → END');
  await expect(rows.nth(1)).toContainText('undo');
  await expect(rows.nth(2)).toContainText('END → CONTINUE');
  await expect(rows.nth(2)).toContainText('(undone)');
  await expect(rows.nth(3)).toContainText('no label → END');
  await expect(rows.nth(3)).toContainText('labeling');
  await expect(rows.nth(4)).toContainText('Rob Reviewer');
  await expect(rows.nth(4)).toContainText('no label → SCHEDULE');
  await expect(rows.nth(4)).toContainText(/\w{3} \d{1,2}, \d{4}\d{1,2}:\d{2}:\d{2} (AM|PM) UTC/);
  await page.screenshot({ path: `${SHOTS}/turn-history-drawer.png`, fullPage: false });

  // The drawer follows the focus, and picks up a new label as soon as it is saved.
  await page.keyboard.press('j');
  await expect(page.getByRole('dialog', { name: 'History of recruiter turn 2 of 4' })).toBeVisible();
  await expect(page.getByRole('dialog').getByText('No changes yet')).toBeVisible();
  await page.keyboard.press('2');
  await expect(page.getByRole('dialog', { name: 'History of recruiter turn 3 of 4' })).toBeVisible();
  await page.keyboard.press('k');
  await expect(page.getByRole('dialog').getByTestId('history-row')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // And a button opens it for a turn.
  await turn(page, 3).getByRole('button', { name: 'History of this turn' }).click();
  await expect(page.getByRole('dialog', { name: 'History of recruiter turn 4 of 4' })).toBeVisible();
  await page.keyboard.press('h');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('a label after an END with no new candidate message gets a sequence notice, and the lead finds it under "Sequence problems"', async ({ page }) => {
  const id = await createConversation('e2e-turn-sequence', 'Sam Sequence');
  await signIn(page, 'reviewer');
  await openConversation(page, id);
  await page.keyboard.press('j'); // turn 2: "Understood, we will remove you" after STOP
  await page.keyboard.press('1'); // END → focus moves to turn 3
  await page.keyboard.press('3'); // "Before you go, could we book a quick call?" SCHEDULE
  const notices = turn(page, 2).getByTestId('sequence-notice');
  await expect(notices).toHaveCount(2);
  await expect(notices.nth(0)).toContainText('Sequence check — Labeled after an END.');
  await expect(notices.nth(0)).toContainText('Turn 2 is labeled END (you) and the candidate wrote nothing after it, yet turn 3 is labeled too');
  // Back to back, one minute apart, nothing from the candidate: two decisions on one context.
  await expect(notices.nth(1)).toContainText('Sequence check — Two decisions on the same context.');
  await expect(notices.nth(1)).toContainText('You labeled turn 2 END and this turn SCHEDULE');
  await expect(turn(page, 1).getByTestId('sequence-notice')).toHaveCount(0);
  await expect(pressed(page, 2, 'SCHEDULE')).toHaveAttribute('aria-pressed', 'true');
  await expect(turn(page, 2).getByText('Saved ✓')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/turn-sequence-notice.png`, fullPage: true });

  // The list filter reads the counter labelTurn keeps.
  await page.goto('/conversations?filter=sequence_problems');
  await expect(page.getByRole('link', { name: 'Sam Sequence' })).toBeVisible();
  await openConversation(page, id);
  await expect(turn(page, 2).getByTestId('sequence-notice')).toHaveCount(2);
  // Undo the SCHEDULE: the notice goes, and so does the conversation from the filter.
  await page.keyboard.press('Control+z');
  await expect(turn(page, 2).getByTestId('sequence-notice')).toHaveCount(0);
  await expect(turn(page, 2).getByText(/Undone: label SCHEDULE → none/)).toBeVisible();
  await page.goto('/conversations?filter=sequence_problems');
  await expect(page.getByRole('link', { name: 'Sam Sequence' })).toHaveCount(0);
});
