// Human vs advisor, end to end: the chatbot asks for a decision, its next request brings the
// decided recruiter turn, a reviewer labels that turn in the browser, and the Advisor page's
// human-vs-advisor section counts it — and leaves it out as a tie once a second reviewer disagrees.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { query, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.E2E_SCREENSHOTS ?? '/tmp/advisor-shots';
fs.mkdirSync(SHOTS, { recursive: true });

function cli(script: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', env: process.env });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const first = {
  external_id: 'e2e-human-1',
  candidate_name: 'Hana Human',
  job_title: 'Forklift Operator',
  messages: [
    { sender: 'recruiter', text: 'Hi Hana, forklift operator role at $21/hr, days. Interested?', sent_at: '2026-12-01T15:00:00Z' },
    { sender: 'candidate', text: 'maybe. what are the hours exactly?', sent_at: '2026-12-01T15:20:00Z' },
  ],
};
const next = {
  ...first,
  messages: [
    ...first.messages,
    { sender: 'recruiter', text: 'Mon to Fri, 7am to 3:30pm. Does that work for you?', sent_at: '2026-12-01T15:21:00Z' },
    { sender: 'candidate', text: 'let me think about it', sent_at: '2026-12-01T15:40:00Z' },
  ],
};

/** Turns the section counts, read from its summary line (0 when it says there are none). */
async function countedTurns(page: Page): Promise<number> {
  await page.goto('/advisor');
  const section = page.getByTestId('human-vs-advisor');
  await expect(section).toBeVisible();
  if (await section.getByTestId('hva-empty').count()) return 0;
  return Number(/^(\d+) live turn/.exec((await section.getByTestId('hva-summary').textContent())!.trim())![1]);
}

test('a reviewer labels the decided turn and the human-vs-advisor section counts it; a disagreeing second reviewer makes it a tie', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const [current] = await query<{ id: number }>('SELECT id FROM advisor_promotions ORDER BY id DESC LIMIT 1');
  if (!current) cli('lib/cli/advisor.ts', ['promote', '--model', 'local-base', '--note', 'human-vs-advisor e2e', '--as', 'lead@e2e.test']);
  const { key } = cli('lib/cli/apikey.ts', ['create', '--name', 'e2e human-vs-advisor', '--as', 'admin@e2e.test']) as { key: string };
  const ask = async (conversation: object) => {
    const res = await request.post('/api/v1/advisor/decisions', { headers: { authorization: `Bearer ${key}` }, data: { conversation } });
    expect(res.status()).toBe(200);
    return (await res.json()) as { decision: string | null; decision_id: number; acted: boolean };
  };
  const d = await ask(first);
  await ask(next); // brings the recruiter message d decided (position 2)
  await expect(async () => {
    const [row] = await query<{ linked: boolean; messages: number }>(
      `SELECT d.conversation_id IS NOT NULL AS linked, (SELECT count(*)::int FROM messages m WHERE m.conversation_id = d.conversation_id) AS messages
       FROM advisor_decisions d WHERE d.id = $1`,
      [d.decision_id],
    );
    expect(row).toEqual({ linked: true, messages: 4 });
  }).toPass({ timeout: 20_000 });

  await signIn(page, 'reviewer');
  const before = await countedTurns(page);
  // The decisions table opens the decided turn, focused: the reviewer labels it with the keyboard.
  const row = page.getByTestId('decision-row').filter({ hasText: 'e2e-human-1' }).filter({ hasText: 'message 3' });
  await row.getByRole('link', { name: 'e2e-human-1' }).click();
  await expect(page.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
  const focused = page.locator('[data-focused="true"]');
  await expect(focused).toContainText('Mon to Fri, 7am to 3:30pm');
  await page.keyboard.press('2'); // CONTINUE
  await expect(focused.getByRole('button', { name: 'CONTINUE', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(focused.getByText('Saved ✓')).toBeVisible();

  expect(await countedTurns(page)).toBe(before + 1);
  const column = d.decision ?? 'fallback';
  const cell = page.getByTestId(`hva-all-CONTINUE-${column}`);
  await expect(cell).not.toHaveText('0');
  await page.screenshot({ path: `${SHOTS}/advisor-human-vs-advisor.png`, fullPage: true });
  await cell.getByRole('link').click();
  const turn = page.getByTestId('hva-turn').filter({ hasText: 'e2e-human-1' });
  await expect(turn).toContainText('CONTINUE 1');
  await expect(turn).toContainText('message 3');
  await page.getByTestId('hva-cell-turns').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/advisor-human-vs-advisor-cell.png`, fullPage: false });
  await turn.getByRole('link', { name: 'e2e-human-1' }).click();
  await expect(page.locator('[data-focused="true"]')).toContainText('Mon to Fri, 7am to 3:30pm');
  const turnPage = new URL(page.url()).pathname + new URL(page.url()).search;

  // A second reviewer disagrees: one vote each is a tie, left out of the numbers and counted apart.
  await page.context().clearCookies();
  await signIn(page, 'reviewer2');
  await page.goto(turnPage);
  await expect(page.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
  await expect(page.locator('[data-focused="true"]')).toContainText('Mon to Fri, 7am to 3:30pm');
  await page.keyboard.press('1'); // END
  await expect(page.locator('[data-focused="true"]').getByText('Saved ✓')).toBeVisible();
  expect(await countedTurns(page)).toBe(before);
  await page.getByTestId('hva-ties').click();
  await expect(page.getByTestId('hva-turn').filter({ hasText: 'e2e-human-1' })).toContainText('END 1 · CONTINUE 1');
});
