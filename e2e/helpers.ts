import { expect, type Page } from '@playwright/test';
import pg from 'pg';
import { ACCOUNTS, E2E_PASSWORD, type AccountName } from './accounts';

export async function signIn(page: Page, who: AccountName, next?: string) {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await page.getByLabel('Email').fill(ACCOUNTS[who].email);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(ACCOUNTS[who].email)).toBeVisible();
}

/** Direct database reads let a test check what was really stored, not what the page shows. */
export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function conversationId(externalId: string): Promise<number> {
  const rows = await query<{ id: number }>('SELECT id FROM conversations WHERE external_id = $1', [externalId]);
  if (!rows[0]) throw new Error(`fixture ${externalId} missing`);
  return rows[0].id;
}

/** Opens a conversation and waits until its keyboard shortcuts are live (after hydration). */
export async function openConversation(page: Page, id: number) {
  await page.goto(`/conversations/${id}`);
  await expect(page.locator('html[data-keyboard-ready="true"]')).toHaveCount(1);
}
