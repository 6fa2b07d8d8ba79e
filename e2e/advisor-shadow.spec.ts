import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openConversation, query, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.E2E_SCREENSHOTS ?? '/tmp/advisor-shots';
fs.mkdirSync(SHOTS, { recursive: true });

function cli(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `lib/cli/${script}.ts`, ...args], { encoding: 'utf8', env: process.env });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

/** A fine-tuned local model on a lineage of the ML lead's own, made in the browser (retrain needs the lineage's owner). */
async function leadsFineTunedModel(page: Page): Promise<string> {
  await page.goto('/datasets/new');
  await page.getByLabel('Name', { exact: true }).fill('e2e-shadow-ft');
  await page.getByRole('button', { name: 'Create dataset version' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ready', { timeout: 30_000 });
  const versionId = Number(/\/datasets\/(\d+)/.exec(page.url())![1]);
  await page.goto(`/fine-tunes/new?version=${versionId}`);
  await page.getByLabel('Suffix (in the model name)').fill('shadow');
  await page.getByRole('button', { name: 'Review launch' }).click();
  await page.getByRole('button', { name: 'Confirm and launch' }).click();
  await expect(page.getByTestId('fine-tune-status')).toHaveText('succeeded', { timeout: 90_000 });
  return (await page.getByTestId('fine-tuned-model').textContent())!.trim();
}

const T = (min: number) => new Date(Date.parse('2026-11-30T15:00:00Z') + min * 60_000).toISOString();
const opening = [
  { sender: 'recruiter', text: 'Hi Sky, warehouse picker role at $20/hr, nights. Interested?', sent_at: T(0) },
  { sender: 'candidate', text: 'yes!', sent_at: T(12) },
  // Three messages, so the decided turn is message 4 (no clash with advisor.spec's "message 3" rows).
  { sender: 'candidate', text: 'could I interview thursday at 2pm?', sent_at: T(13) },
];
const conversation = { external_id: 'e2e-shadow-1', candidate_name: 'Sky Shadow', job_title: 'Picker', messages: opening };

let model = '';
let apiKey = '';

test('an ML lead attaches a shadow; a decision is answered by the advisor and the shadow is logged beside it', async ({ page, request }) => {
  test.setTimeout(240_000);
  await signIn(page, 'lead');
  model = await leadsFineTunedModel(page);
  expect(cli('advisor', ['promote', '--model', 'local-base', '--note', 'rule advisor', '--as', 'lead@e2e.test'])).toMatchObject({ model: 'local-base' });
  apiKey = cli('apikey', ['create', '--name', 'e2e shadow chatbot', '--as', 'admin@e2e.test']).key;

  await page.goto('/advisor');
  await page.getByRole('button', { name: /Attach (a|another) shadow/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Attach a model in shadow' });
  await dialog.getByLabel('Model', { exact: true }).fill(model);
  await dialog.getByLabel('Note').fill('candidate from e2e');
  await dialog.getByRole('button', { name: 'Attach in shadow' }).click();
  await expect(page.getByTestId('shadow-model-name')).toHaveText(model);
  const [attached] = await query<{ model: string; detached_at: Date | null }>('SELECT model, detached_at FROM advisor_shadows ORDER BY id DESC LIMIT 1');
  expect(attached).toEqual({ model, detached_at: null });

  const res = await request.post('/api/v1/advisor/decisions', { headers: { authorization: `Bearer ${apiKey}` }, data: { conversation } });
  expect(res.status()).toBe(200);
  const d = await res.json();
  // The answer is the advisor's, in exactly the documented shape: the shadow adds nothing to it.
  expect(Object.keys(d).sort()).toEqual(['acted', 'confidence', 'decision', 'decision_id', 'model', 'promotion', 'threshold']);
  expect(d.model).toBe('local-base');
  // The chatbot's next request carries the recruiter turn that was decided, so reviewers can label it.
  const next = {
    ...conversation,
    messages: [
      ...opening,
      { sender: 'recruiter', text: 'Thursday 2pm works, see you then!', sent_at: T(14) },
      { sender: 'candidate', text: 'great', sent_at: T(15) },
    ],
  };
  expect((await request.post('/api/v1/advisor/decisions', { headers: { authorization: `Bearer ${apiKey}` }, data: { conversation: next } })).status()).toBe(
    200,
  );

  await expect(async () => {
    const rows = await query<{ decision_id: string; model: string }>(
      `SELECT s.decision_id, s.model FROM advisor_shadow_decisions s JOIN advisor_decisions d ON d.id = s.decision_id WHERE d.external_id = 'e2e-shadow-1'`,
    );
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => Number(r.decision_id))).toContain(d.decision_id);
  }).toPass({ timeout: 15_000 });

  await page.goto('/advisor');
  const pair = page.getByTestId('shadow-pair-row').filter({ hasText: 'e2e-shadow-1' }).last();
  await expect(pair.getByTestId('pair-advisor')).toContainText(d.decision);
  await expect(pair.getByTestId('pair-shadow')).toContainText(/END|CONTINUE|SCHEDULE/);
  await expect(page.getByTestId('shadow-pairs')).toHaveText('2');
});

test('a reviewer labels the live turn; the comparison counts it; the shadow is promoted in one confirmed click', async ({ page, browser }) => {
  const reviewer = await browser.newPage();
  await signIn(reviewer, 'reviewer');
  const [c] = await query<{ id: number }>(`SELECT id FROM conversations WHERE external_id = 'e2e-shadow-1'`);
  await openConversation(reviewer, c.id);
  await reviewer.keyboard.press('s');
  await expect(reviewer.getByText('Saved ✓')).toHaveCount(1);
  await reviewer.close();

  await signIn(page, 'lead');
  await page.goto('/advisor');
  await expect(page.getByTestId('shadow-mcnemar')).toContainText('1 labeled turn in 1 conversation');
  await page.screenshot({ path: `${SHOTS}/advisor-shadow.png`, fullPage: true });

  await page.getByRole('button', { name: 'Promote the shadow…' }).click();
  const dialog = page.getByRole('dialog', { name: `Make ${model} the advisor?` });
  await expect(dialog).toContainText('On 1 labeled live turn:');
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(page.getByTestId('advisor-model')).toHaveText(model);
  const [p] = await query<{ model: string; note: string }>('SELECT model, note FROM advisor_promotions ORDER BY id DESC LIMIT 1');
  expect(p.model).toBe(model);
  expect(p.note).toMatch(/^Promoted from shadow #\d+$/);
  await expect(page.getByTestId('shadow-section')).toContainText('detached');
});

test('retrain with new labels builds the next version and fine-tunes it; its test and golden figures show beside the advisor', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'lead');
  await page.goto('/advisor');
  await page.getByRole('button', { name: 'Retrain with new labels…' }).click();
  const dialog = page.getByRole('dialog', { name: `Retrain ${model}?` });
  await expect(dialog).toContainText('e2e-shadow-ft v2');
  await dialog.getByRole('button', { name: 'Start retrain' }).click();
  await expect(page.getByTestId('retrain-latest')).toBeVisible();
  // The page refreshes itself while the chain runs (build → fine-tune → evals).
  await expect(page.getByTestId('retrain-stage')).toHaveText(/done/, { timeout: 200_000 });
  const table = page.getByRole('table', { name: 'Retrained model beside the advisor' });
  await expect(
    table
      .getByRole('row', { name: /Golden set/ })
      .getByRole('link')
      .first(),
  ).toBeVisible();
  await expect(
    table
      .getByRole('row', { name: /Test split/ })
      .getByRole('link')
      .first(),
  ).toBeVisible();
  await expect(page.getByTestId('retrain-fine-tune')).toBeVisible();
  const [r] = await query<{ version: number; same: boolean }>(
    `SELECT v.version, v.params = src.params AS same FROM advisor_retrains r JOIN dataset_versions v ON v.id = r.dataset_version_id
     JOIN dataset_versions src ON src.id = r.source_version_id ORDER BY r.id DESC LIMIT 1`,
  );
  expect(r).toEqual({ version: 2, same: true });
  // Promotion stays a human decision.
  await expect(page.getByTestId('advisor-model')).toHaveText(model);
  await page.screenshot({ path: `${SHOTS}/advisor-retrain.png`, fullPage: true });
});

test('rollback restores the previous advisor, which as a base model cannot be retrained', async ({ page, request }) => {
  await signIn(page, 'lead');
  await page.goto('/advisor');
  await page.getByTestId('promotion-row').filter({ hasText: 'rule advisor' }).getByRole('button', { name: 'Roll back to this' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByTestId('advisor-model')).toHaveText('keyword rule (local-base)');
  await expect(page.getByTestId('retrain-impossible')).toContainText('is a base model, not a fine-tune made in the Studio');
  const res = await request.post('/api/v1/advisor/decisions', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { conversation: { ...conversation, external_id: 'e2e-shadow-2', messages: opening.slice(0, 2) } },
  });
  expect((await res.json()).model).toBe('local-base');
});

test('the playground decides a stored or pasted conversation without recording anything, and names the JSON path of bad input', async ({ page }) => {
  await signIn(page, 'lead');
  // Earlier decisions' conversations are merged by the worker in the background: let that settle,
  // so the counts below can only move because of the playground.
  await expect.poll(async () => (await query<{ n: string }>('SELECT count(*) AS n FROM live_conversation_inbox'))[0].n, { timeout: 30_000 }).toBe('0');
  const [before] = await query<{ n: string; c: string }>('SELECT (SELECT count(*) FROM advisor_decisions) AS n, (SELECT count(*) FROM conversations) AS c');
  await page.goto('/models');
  await page.getByRole('row').filter({ hasText: model }).first().getByRole('link', { name: 'Try it' }).click();
  const form = page.getByRole('form', { name: 'Try a model' });
  await expect(form.getByLabel('Model', { exact: true })).toHaveValue(model);
  await form.getByLabel('Conversation id or external id').fill('e2e-shadow-1');
  await form.getByLabel('Decide message no. (blank: the next turn)').fill('4');
  await form.getByRole('button', { name: 'Decide' }).click();
  await expect(page.getByTestId('playground-decision')).toHaveText(/END|CONTINUE|SCHEDULE/);
  await expect(page.getByTestId('playground-acted')).toHaveText(/would (act|defer)/);
  await expect(page.getByTestId('playground-human')).toContainText('SCHEDULE × 1');
  await page.getByTestId('playground-result').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/playground.png`, fullPage: false });

  await form.getByLabel('Paste JSON (import format)').check();
  await form.getByLabel('Conversation JSON').fill(
    JSON.stringify({
      external_id: 'try',
      messages: [
        { sender: 'recruiter', text: 'hi' },
        { sender: 'bot', text: 'x' },
      ],
    }),
  );
  await form.getByRole('button', { name: 'Decide' }).click();
  await expect(page.getByTestId('playground-error')).toContainText('$.messages[1].sender: sender must be "recruiter" or "candidate"');
  await form.getByLabel('Conversation JSON').fill(JSON.stringify(conversation));
  await form.getByRole('button', { name: 'Decide' }).click();
  await expect(page.getByTestId('playground-decision')).toHaveText(/END|CONTINUE|SCHEDULE/);

  const [after] = await query<{ n: string; c: string }>('SELECT (SELECT count(*) FROM advisor_decisions) AS n, (SELECT count(*) FROM conversations) AS c');
  expect(after).toEqual(before);
  expect((await query<{ n: string }>('SELECT count(*) AS n FROM live_conversation_inbox'))[0].n).toBe('0');
});
