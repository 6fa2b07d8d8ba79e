import { expect, test } from '@playwright/test';
import { query, signIn } from './helpers';

const SHOTS = process.env.E2E_SCREENSHOTS_DIR;

test('upload a CSV with a column mapping and see its conversations in the list', async ({ page }) => {
  await signIn(page, 'lead');
  await page.goto('/conversations');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/conversations-import-links.png` });
  await page.getByRole('link', { name: 'Import conversations' }).click();
  await expect(page).toHaveURL(/\/imports\/new$/);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-new.png`, fullPage: true });

  const csv = [
    'thread,who_sent,body,when,candidate,position,notes',
    'imp-e2e-1,recruiter,"Hi Noor, a lighthouse keeper role opened up. Interested?",2026-10-01T15:00:00Z,Noor,Lighthouse keeper zq,ignored',
    'imp-e2e-1,candidate,"yes, what are the hours?",2026-10-01T15:10:00Z,,,',
    'imp-e2e-1,recruiter,"Nights, 4 on 3 off.",2026-10-01T15:12:00Z,,,',
    'imp-e2e-2,recruiter,Still up for the keeper job?,2026-10-02T09:00:00Z,Ola,Lighthouse keeper zq,',
    'imp-e2e-2,candidate,STOP,2026-10-02T09:01:00Z,,,',
  ].join('\n');
  await page.getByLabel(/^File/).setInputFiles({ name: 'team-export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  // The mapping step: columns named like a field are chosen; "who_sent" is not, so we pick it.
  await expect(page.getByRole('heading', { name: 'Match the columns' })).toBeVisible();
  await expect(page.getByLabel('Conversation id')).toHaveValue('thread');
  await expect(page.getByLabel('Text')).toHaveValue('body');
  await expect(page.getByLabel('Sent at')).toHaveValue('when');
  await expect(page.getByLabel('Candidate name')).toHaveValue('candidate');
  await expect(page.getByLabel('Job title')).toHaveValue('position');
  await expect(page.getByLabel('Sender')).toHaveValue('');
  await expect(page.getByRole('button', { name: 'Check and import' })).toBeDisabled();
  await page.getByLabel('Sender').selectOption('who_sent');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-mapping.png`, fullPage: true });
  await page.getByRole('button', { name: 'Check and import' }).click();

  await expect(page.getByText('Imported 2 conversations (2 new, 0 updated): 5 messages, 0 labels.')).toBeVisible({ timeout: 30_000 });
  const stored = await query<{ external_id: string; n: string }>(
    `SELECT c.external_id, count(m.id) AS n FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE c.external_id LIKE 'imp-e2e-%' GROUP BY 1 ORDER BY 1`,
  );
  expect(stored.map((r) => [r.external_id, Number(r.n)])).toEqual([
    ['imp-e2e-1', 3],
    ['imp-e2e-2', 2],
  ]);

  await page.getByRole('link', { name: 'See them in the conversations list' }).click();
  await page.getByRole('searchbox').fill('Lighthouse keeper zq');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('result-count')).toHaveText('2 conversations');
  await expect(page.getByRole('cell', { name: /Noor/ })).toBeVisible();
});

test('a bad CSV lists its errors with line and column and writes nothing', async ({ page }) => {
  await signIn(page, 'admin');
  const before = await query<{ c: string; m: string }>('SELECT (SELECT count(*) FROM conversations) AS c, (SELECT count(*) FROM messages) AS m');
  await page.goto('/imports/new');
  const csv = [
    'conversation_id,sender,text,sent_at,label',
    'bad-e2e-1,recruiter,Hello there,2026-10-01T15:00:00Z,CONTINUE',
    'bad-e2e-1,bot,beep,2026-10-01T15:01:00Z,',
    'bad-e2e-1,candidate,sure,yesterday,SCHEDULE',
    'bad-e2e-2,recruiter,Hi,2026-10-01T15:00:00Z,',
    'bad-e2e-1,candidate,late,2026-10-01T16:00:00Z,',
  ].join('\n');
  await page.getByLabel(/^File/).setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByLabel('Sender')).toHaveValue('sender');
  await page.getByRole('button', { name: 'Check and import' }).click();

  await expect(page.getByText('4 problems found in broken.csv. Nothing was imported.', { exact: false })).toBeVisible({ timeout: 30_000 });
  const table = page.getByRole('table', { name: 'Problems found in broken.csv' });
  await expect(table.getByRole('row')).toHaveCount(5);
  await expect(table.getByRole('row').nth(1)).toContainText('3');
  await expect(table.getByRole('row').nth(1)).toContainText('sender must be "recruiter" or "candidate"');
  await expect(table).toContainText('sent_at must be an ISO 8601 date-time with a time zone');
  await expect(table).toContainText('a label is only allowed on recruiter messages');
  await expect(table).toContainText('rows of conversation "bad-e2e-1" are not together');
  // The mapping can be changed and tried again without uploading the file again.
  await expect(page.getByRole('heading', { name: 'Change the column mapping' })).toBeVisible();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-errors.png`, fullPage: true });

  const after = await query<{ c: string; m: string }>('SELECT (SELECT count(*) FROM conversations) AS c, (SELECT count(*) FROM messages) AS m');
  expect(after).toEqual(before);
  expect(await query(`SELECT 1 FROM conversations WHERE external_id LIKE 'bad-e2e-%'`)).toHaveLength(0);
});

test('a file over the limit is refused before it is sent; reviewers cannot import', async ({ page }) => {
  await signIn(page, 'lead');
  await page.goto('/imports/new');
  // 101 MB of zeros, made in the browser: the page refuses it without uploading a byte.
  await page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>('#import-file')!;
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(101 * 1024 * 1024)], 'huge.csv', { type: 'text/csv' }));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(page.getByText('huge.csv is 101 MB; the browser import takes files up to 100 MB.')).toBeVisible();
  expect(await query(`SELECT 1 FROM import_uploads WHERE file_name = 'huge.csv'`)).toHaveLength(0);

  await page.context().clearCookies();
  await signIn(page, 'reviewer');
  await page.goto('/conversations');
  await expect(page.getByRole('link', { name: 'Import conversations' })).toHaveCount(0);
  await page.goto('/imports/new');
  await expect(page.getByText('Importing conversations needs the ML lead or admin role.')).toBeVisible();
});

test('raw labels download as CSV from the conversations list', async ({ page }) => {
  await signIn(page, 'lead');
  await page.goto('/conversations');
  const nav = page.getByRole('navigation', { name: 'Import and export' });
  const [download] = await Promise.all([page.waitForEvent('download'), nav.getByRole('link', { name: 'CSV' }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^labels-\d{4}-\d\d-\d\d\.csv$/);
  const text = await (await download.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString('utf8'));
  expect(text.split('\r\n')[0]).toBe(
    'conversation_id,message_position,message_text,reviewer_email,reviewer_name,reviewer_kind,label,labeled_at,first_labeled_at',
  );
  const [{ n }] = await query<{ n: string }>('SELECT count(*) AS n FROM labels');
  expect(text.trimEnd().split('\r\n').length - 1).toBeLessThanOrEqual(Number(n));
});
