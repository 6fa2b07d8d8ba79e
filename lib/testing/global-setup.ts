// Starts a throwaway embedded PostgreSQL (or uses TEST_DATABASE_URL), applies migrations
// and hands its URL to the test files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let embedded: EmbeddedDatabase | null = null;
let tmp: string | null = null;

export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-unit-'));
    // The server runs as the unprivileged postgres user when we are root: it must reach its data.
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), quiet: true });
    url = embedded.url;
  }
  await applyPendingMigrations(url);
  project.provide('databaseUrl', url);
}

export async function teardown() {
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
