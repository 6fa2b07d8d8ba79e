// Sample data: generated, written in the import format, loaded through the import code.
import fs from 'node:fs';
import path from 'node:path';
import { db } from '../db';
import { importConversationsFile, type ImportSummary } from '../imports';
import { sampleConversationsJsonl } from './generate';

export { generateSampleConversations, sampleConversationsJsonl, DEFAULT_SAMPLE_COUNT, DEFAULT_SAMPLE_SEED } from './generate';

export const SAMPLE_FILE = path.join(process.cwd(), '.data', 'seed', 'sample-conversations.jsonl');

export function writeSampleFile(file = SAMPLE_FILE, count?: number, seed?: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sampleConversationsJsonl(count, seed));
  return file;
}

/** Seeds an empty database (or any database with `force`); returns null when it skipped. */
export async function seedDatabase(opts: { force?: boolean; count?: number; seed?: number; log?: (m: string) => void } = {}): Promise<ImportSummary | null> {
  const log = opts.log ?? ((m: string) => console.log(m));
  if (!opts.force && (await db().conversation.count()) > 0) {
    log('Sample data: skipped, the database already has conversations (npm run seed -- --force re-imports).');
    return null;
  }
  const file = writeSampleFile(SAMPLE_FILE, opts.count, opts.seed);
  const summary = await importConversationsFile(file);
  log(`Sample data: ${summary.conversations} conversations, ${summary.messages} messages, ${summary.labels} labels (${summary.created} new).`);
  return summary;
}
