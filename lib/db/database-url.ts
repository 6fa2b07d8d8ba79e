// Resolves which PostgreSQL the Studio talks to: DATABASE_URL when set, otherwise an
// embedded server with its data under .data/ (see DESIGN.md §2).
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

export const DEFAULT_EMBEDDED_PORT = 54329;

export async function resolveDatabaseUrl(opts: { quiet?: boolean } = {}): Promise<{
  url: string;
  embedded: EmbeddedDatabase | null;
}> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const port = Number(process.env.EMBEDDED_PG_PORT ?? DEFAULT_EMBEDDED_PORT);
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(process.cwd(), '.data', 'pg'),
    port,
    quiet: opts.quiet,
  });
  process.env.DATABASE_URL = embedded.url;
  return { url: embedded.url, embedded };
}
