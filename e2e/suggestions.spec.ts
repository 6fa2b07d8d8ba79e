import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { openConversation, query, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.E2E_SCREENSHOTS ?? '/tmp/suggestions-shots';
fs.mkdirSync(SHOTS, { recursive: true });

let conversationId = 0;

function cli(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', env: process.env });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

/** A fine-tuned local model (its confidences vary, unlike the keyword rule's): one an earlier spec made, else one made here. */
async function fineTunedModel(): Promise<string> {
  const done = await query<{ fine_tuned_model: string }>(
    `SELECT fine_tuned_model FROM fine_tune_jobs WHERE status = 'succeeded' AND provider = 'local' ORDER BY id LIMIT 1`,
  );
  if (done[0]) return done[0].fine_tuned_model;
  const out = fs.mkdtempSync('/tmp/suggestions-e2e-export-');
  cli('lib/cli/export.ts', ['--name', 'e2e-suggestions', '--out', out, '--as', 'lead@e2e.test']);
  const run = cli('lib/cli/finetune.ts', ['--dataset', 'e2e-suggestions', '--model', 'local-base', '--suffix', 'sugg', '--wait', '--as', 'lead@e2e.test']);
  expect(run.status).toBe('succeeded');
  return run.fine_tuned_model as string;
}

let model = '';

test('a promotion makes the worker suggest every unlabeled decision turn, in the background', async () => {
  test.setTimeout(300_000);
  model = await fineTunedModel();
  const { promotion } = cli('lib/cli/advisor.ts', ['promote', '--model', model, '--note', 'suggestions e2e', '--as', 'lead@e2e.test']) as { promotion: number };
  // The worker notices the new advisor, queues a backfill and works through it.
  await expect
    .poll(
      async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM suggestion_backfills WHERE suggester = $1`, [`promotion:${promotion}`]))[0].n,
      {
        timeout: 30_000,
      },
    )
    .toBe(1);
  await expect
    .poll(async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM suggestion_requests`))[0].n, { timeout: 150_000, intervals: [1_000] })
    .toBe(0);
  // A sample conversation nobody has labeled, with several decisions.
  const [c] = await query<{ id: number }>(
    `SELECT c.id FROM conversations c WHERE NOT c.is_golden AND c.labeled_turns = 0 AND c.recruiter_turns >= 3
       AND (SELECT count(*) FROM turn_suggestions ts WHERE ts.conversation_id = c.id AND ts.model = $1) = c.recruiter_turns
     ORDER BY c.id LIMIT 1`,
    // By model, not promotion: suggestions are kept per model, so an earlier spec's promotion of
    // the same model already made them (a re-promotion reuses them, as a rollback does).
    [model],
  );
  expect(c).toBeTruthy();
  conversationId = c.id;
  // Suggestions are not labels.
  expect((await query<{ n: number }>(`SELECT count(*)::int AS n FROM labels WHERE conversation_id = $1`, [conversationId]))[0].n).toBe(0);
});

test('a reviewer sees the suggestions, accepts one with a, and it is saved as their label, marked as a suggestion in history', async ({ page }) => {
  await signIn(page, 'reviewer2');
  await openConversation(page, conversationId);
  const shown = page.getByTestId('turn-suggestion');
  const [{ n: decisions }] = await query<{ n: number }>(`SELECT recruiter_turns AS n FROM conversations WHERE id = $1`, [conversationId]);
  await expect(shown).toHaveCount(decisions);
  await expect(shown.first()).toContainText(`by advisor ${model}`);
  await expect(shown.first()).toContainText(/Suggested: (END|CONTINUE|SCHEDULE) · confidence [01]\.\d\d/);
  await page.screenshot({ path: `${SHOTS}/conversation-with-suggestions.png`, fullPage: true });

  const focused = page.locator('[data-focused="true"]');
  const turnId = Number(await focused.getAttribute('data-turn-id'));
  const value = await focused.getByTestId('turn-suggestion').getAttribute('data-value');
  await page.keyboard.press('a');
  const turn = page.locator(`[data-turn-id="${turnId}"]`);
  await expect(turn.getByRole('status')).toHaveText('Saved ✓');
  await expect(turn.getByRole('button', { name: value!, exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(turn.getByTestId('turn-suggestion')).toHaveCount(0);
  await expect(shown).toHaveCount(decisions - 1);

  const events = await query<{ to_value: string; source: string; email: string }>(
    `SELECT e.to_value::text, e.source, u.email FROM label_events e JOIN users u ON u.id = e.reviewer_id WHERE e.message_id = $1 ORDER BY e.id`,
    [turnId],
  );
  expect(events).toEqual([{ to_value: value, source: 'suggestion', email: 'reviewer2@e2e.test' }]);

  // After a reload the label is the reviewer's own; the other turns still offer theirs.
  await openConversation(page, conversationId);
  await expect(page.locator(`[data-turn-id="${turnId}"]`).getByRole('button', { name: value!, exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(shown).toHaveCount(decisions - 1);
  await page.screenshot({ path: `${SHOTS}/conversation-after-accept.png`, fullPage: true });

  // The shortcut is listed.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toContainText("Accept the model's suggestion on this turn");
});

test('the conversations list sorts least confident suggestion first', async ({ page }) => {
  await signIn(page, 'reviewer2');
  await page.goto('/conversations');
  await page.getByRole('link', { name: 'Least confident suggestion first' }).click();
  await expect(page).toHaveURL(/sort=uncertain/);
  const cells = page.getByTestId('least-sure');
  await expect(cells.first()).not.toHaveText('—');
  const values = (await cells.allTextContents()).filter((t) => t !== '—').map(Number);
  expect(values.length).toBeGreaterThan(5);
  expect([...values].sort((a, b) => a - b)).toEqual(values);
  await page.screenshot({ path: `${SHOTS}/list-uncertain.png`, fullPage: false });
  await page.getByRole('link', { name: 'Unsure suggestions' }).click();
  await expect(page).toHaveURL(/filter=unsure/);
  const unsure = (await cells.allTextContents()).map(Number);
  expect(unsure.length).toBeGreaterThan(0);
  expect(unsure.every((v) => v < 0.7)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/list-unsure.png`, fullPage: false });
});
