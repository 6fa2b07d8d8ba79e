// The work queue with a team: three reviewers in separate browser contexts, overlap 1 and 2,
// blind labeling, `n` inside a filtered view with keys typed during the navigation, and saves
// that fail (signed out, offline).
import { expect, test, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { pgRunner, refreshConversationContent, refreshConversationStats } from '../lib/conversations/stats';
import { query, signIn } from './helpers';
import type { AccountName } from './accounts';

// Candidate-first threads: both recruiter turns are decisions.
async function addConversations(tag: string, n: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const ids: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      // Newer first in list order: conversation i is i hours older than the first.
      const t = (m: number) => new Date(Date.UTC(2030, 0, 1, 12 - i, m)).toISOString();
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO conversations (external_id, candidate_name, job_title, last_activity_at, updated_at) VALUES ($1, $2, $3, now(), now()) RETURNING id`,
        [`${tag}-${i + 1}`, `${tag} Candidate ${i + 1}`, `${tag} operator`],
      );
      const id = rows[0].id;
      ids.push(id);
      const messages: [string, string][] = [
        ['candidate', `Hi, I saw the ${tag} posting`],
        ['recruiter', `Thanks! Question one about the ${tag} role`],
        ['candidate', 'Sure, go ahead'],
        ['recruiter', 'Question two: can you start Monday?'],
        ['candidate', 'yes'],
      ];
      for (const [p, [sender, text]] of messages.entries()) {
        await client.query(`INSERT INTO messages (conversation_id, position, sender, text, sent_at) VALUES ($1, $2, $3, $4, $5)`, [id, p, sender, text, t(p)]);
      }
    }
    await refreshConversationContent(pgRunner(client), ids);
    await refreshConversationStats(pgRunner(client), ids);
  } finally {
    await client.end();
  }
  return ids;
}

async function reviewerPage(browser: Browser, who: AccountName): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who);
  return page;
}

// E2E_SCREENSHOTS=<dir>: pages to look at, written there.
async function screenshot(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
}

const idOf = (page: Page) => Number(new URL(page.url()).pathname.split('/').pop());
const turn = (page: Page, i: number) => page.locator('[data-turn-id]').nth(i);

async function waitForThread(page: Page) {
  await expect(page).toHaveURL(/\/conversations\/\d+\?view=/);
  await expect(page.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
}

async function setOverlap(page: Page, n: number) {
  await page.goto('/admin/labeling');
  await page.getByLabel('Reviewers per turn').fill(String(n));
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toContainText(`${n} reviewer`);
  await expect(page.getByTestId('current-overlap')).toHaveText(String(n));
}

test.afterAll(async () => {
  await query('DELETE FROM labeling_settings');
  await query('DELETE FROM labeling_leases');
});

test('overlap 1: three reviewers pressing Start labeling at once get three different conversations', async ({ browser }) => {
  await addConversations('qzsolo', 4);
  const pages = await Promise.all((['reviewer', 'reviewer2', 'reviewer3'] as const).map((who) => reviewerPage(browser, who)));
  await Promise.all(pages.map((p) => p.goto('/conversations?q=qzsolo')));
  await Promise.all(pages.map((p) => expect(p.locator('html[data-list-keyboard-ready="true"]')).toHaveCount(1)));
  await Promise.all(pages.map((p) => p.getByRole('button', { name: 'Start labeling' }).click()));
  await Promise.all(pages.map(waitForThread));
  const ids = pages.map(idOf);
  expect(new Set(ids).size).toBe(3);
  const leases = await query<{ conversation_id: number; n: string }>(
    `SELECT conversation_id, count(*) AS n FROM labeling_leases WHERE expires_at > now() AND conversation_id = ANY($1::int[]) GROUP BY conversation_id`,
    [ids],
  );
  expect(leases.map((l) => Number(l.n))).toEqual([1, 1, 1]);
  // The back link returns to the exact list view.
  await expect(pages[0].getByRole('link', { name: '← All conversations' })).toHaveAttribute('href', '/conversations?q=qzsolo');
  await Promise.all(pages.map((p) => p.context().close()));
});

test('blind labeling (on by itself at overlap 2): others’ labels show only after one’s own; an ML lead sees them at once', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await reviewerPage(browser, 'admin');
  await setOverlap(admin, 2);
  await expect(admin.getByTestId('current-blind')).toHaveText('on (automatic)');

  // Blind: Rita labels a turn; Rob does not see it until he has labeled that turn.
  const [blindId] = await addConversations('qzblind', 1);
  const rita = await reviewerPage(browser, 'reviewer');
  await rita.goto(`/conversations/${blindId}`);
  await expect(rita.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
  await rita.keyboard.press('1');
  await expect(turn(rita, 0).getByText('Saved ✓')).toBeVisible();
  const rob = await reviewerPage(browser, 'reviewer2');
  await rob.goto(`/conversations/${blindId}`);
  await expect(rob.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
  await expect(turn(rob, 0).getByTestId('others-hidden')).toBeVisible();
  // Not hidden by CSS: her label is not in the page at all (the page may say she is working on it).
  expect(await rob.content()).not.toContain('reviewer@e2e.test');
  await rob.keyboard.press('2');
  await expect(turn(rob, 0).getByRole('list', { name: "Other reviewers' labels" })).toContainText('Rita Reviewer: END');
  await expect(turn(rob, 1).getByTestId('others-hidden')).toBeVisible();
  // An ML lead sees every label at once.
  const lead = await reviewerPage(browser, 'lead');
  await lead.goto(`/conversations/${blindId}`);
  await expect(turn(lead, 0).getByRole('list', { name: "Other reviewers' labels" })).toContainText('Rita Reviewer: END');
  await expect(turn(lead, 0).getByTestId('others-hidden')).toHaveCount(0);
  await lead.context().close();

  await Promise.all([rita, rob, admin].map((p) => p.context().close()));
});

test('overlap 2: three reviewers working one view’s queue give each turn exactly two labels', async ({ browser }) => {
  test.setTimeout(150_000);
  await query(
    `INSERT INTO labeling_settings (id, reviewers_per_turn) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET reviewers_per_turn = 2, blind_labeling = NULL`,
  );
  // Overlap 2: three reviewers work the queue of a view with two conversations until it is empty.
  const ids = await addConversations('qzpair', 2);
  const team = await Promise.all((['reviewer', 'reviewer2', 'reviewer3'] as const).map((who) => reviewerPage(browser, who)));
  await Promise.all(team.map((p) => p.goto('/conversations?q=qzpair')));
  await Promise.all(team.map((p) => expect(p.locator('html[data-list-keyboard-ready="true"]')).toHaveCount(1)));
  await Promise.all(
    team.map(async (p) => {
      await p.getByRole('button', { name: 'Start labeling' }).click();
      const nothing = p.getByRole('status').filter({ hasText: /^Nothing/ });
      let last: number | null = null;
      for (let round = 0; round < 4; round++) {
        await expect
          .poll(async () => (await nothing.count()) > 0 || (/\/conversations\/\d+\?/.test(p.url()) && idOf(p) !== last), { timeout: 15_000 })
          .toBe(true);
        if ((await nothing.count()) > 0) return;
        const id = idOf(p);
        // Never a conversation outside the view.
        await expect(p.getByRole('heading', { level: 1 })).toHaveText(`qzpair Candidate ${ids.indexOf(id) + 1}`);
        await p.keyboard.press('2');
        await p.keyboard.press('3');
        await expect(p.getByText('Saved ✓')).toHaveCount(2);
        last = id;
        await p.keyboard.press('n');
      }
      throw new Error('the queue kept handing out conversations');
    }),
  );
  const counts = await query<{ message_id: number; n: string }>(
    `SELECT m.id AS message_id, count(l.id) AS n FROM messages m LEFT JOIN labels l ON l.message_id = m.id
     WHERE m.conversation_id = ANY($1::int[]) AND m.sender = 'recruiter' GROUP BY m.id ORDER BY m.id`,
    [ids],
  );
  expect(counts.map((c) => Number(c.n))).toEqual([2, 2, 2, 2]);
  await query(`DELETE FROM labeling_settings`);
  await Promise.all(team.map((p) => p.context().close()));
});

test('n stays inside a filtered view, and keys typed right after n land on the new conversation', async ({ browser }) => {
  const [first, second] = await addConversations('qznext', 2);
  const page = await reviewerPage(browser, 'reviewer');
  await page.goto('/conversations?q=qznext');
  await expect(page.locator('html[data-list-keyboard-ready="true"]')).toHaveCount(1);
  await expect(page.getByTestId('match-snippet').first().locator('mark')).toHaveText('qznext');
  // j / Enter open the first row of the list.
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await waitForThread(page);
  expect(idOf(page)).toBe(first);
  await screenshot(page, 'conversation');
  // n, then at once 1 and 3: they belong to the next conversation of the view.
  await page.keyboard.press('n');
  await page.keyboard.press('1');
  await page.keyboard.press('3');
  await expect(page).toHaveURL(new RegExp(`/conversations/${second}\\?view=q%3Dqznext$`));
  await expect(page.getByText('Saved ✓')).toHaveCount(2);
  const labels = await query<{ conversation_id: number; position: number; value: string }>(
    `SELECT l.conversation_id, m.position, l.value::text AS value FROM labels l JOIN messages m ON m.id = l.message_id JOIN users u ON u.id = l.reviewer_id
     WHERE u.email = 'reviewer@e2e.test' AND l.conversation_id = ANY($1::int[]) ORDER BY m.position`,
    [[first, second]],
  );
  expect(labels).toEqual([
    { conversation_id: second, position: 1, value: 'END' },
    { conversation_id: second, position: 3, value: 'SCHEDULE' },
  ]);
  // The view has nothing else that needs me (the first was left unfinished, so it comes back).
  await page.keyboard.press('n');
  await expect(page).toHaveURL(new RegExp(`/conversations/${first}\\?view=q%3Dqznext$`));
  await page.getByRole('link', { name: '← All conversations' }).click();
  await expect(page).toHaveURL(/\/conversations\?q=qznext$/);
  await page.keyboard.press('j');
  await screenshot(page, 'list');
  await page.context().close();
});

test('a save that fails is rolled back and not counted; signed out offers a sign-in link back to the turn; offline queues', async ({ browser }) => {
  const [id] = await addConversations('qzfail', 1);
  const page = await reviewerPage(browser, 'reviewer');
  await page.goto(`/conversations/${id}`);
  await expect(page.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
  const end = turn(page, 0).getByRole('button', { name: 'END', exact: true });

  // Signed out: the write is refused, the button goes back, progress does not count it.
  await page.context().clearCookies();
  await page.keyboard.press('1');
  await expect(turn(page, 0).getByRole('alert')).toContainText('Not saved (END)');
  await expect(end).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('conversation-progress')).toHaveText('0 / 2');
  const turnId = await turn(page, 0).getAttribute('data-turn-id');
  const signInLink = page.getByTestId('signed-out-notice').getByRole('link', { name: 'Sign in' });
  expect(decodeURIComponent((await signInLink.getAttribute('href')) ?? '')).toContain(`/conversations/${id}?turn=`);
  await signInLink.click();
  await page.getByLabel('Email').fill('reviewer@e2e.test');
  await page.getByLabel('Password').fill('e2e-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/conversations/${id}\\?turn=\\d+`));
  await expect(page.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
  expect(await page.locator('[data-focused="true"]').getAttribute('data-turn-id')).toBe(turnId);
  expect(await query(`SELECT 1 FROM labels WHERE conversation_id = $1`, [id])).toHaveLength(0);

  // Offline: the label waits, the page says so, and it is sent once the connection is back.
  await page.context().setOffline(true);
  await page.keyboard.press('3');
  await expect(page.getByTestId('offline-notice')).toBeVisible();
  await expect(turn(page, 0).getByText('Queued (offline)')).toBeVisible();
  await page.context().setOffline(false);
  await expect(turn(page, 0).getByText('Saved ✓')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('offline-notice')).toHaveCount(0);
  expect(await query<{ value: string }>(`SELECT value::text AS value FROM labels WHERE conversation_id = $1`, [id])).toEqual([{ value: 'SCHEDULE' }]);
  await page.context().close();
});
