// Resolves which PostgreSQL the Studio talks to: DATABASE_URL when set, otherwise the embedded
// server of this checkout (see DESIGN.md §2 and embedded/location.ts for where its data lives).
// A CLI run beside `npm start` shares that server at the port and with the password the server's
// own files name (postmaster.pid, the password file), whatever its own EMBEDDED_PG_PORT says.
import { embeddedLocation } from './embedded/location';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

export const DEFAULT_EMBEDDED_PORT = 54329;

export async function resolveDatabaseUrl(opts: { quiet?: boolean; supervise?: boolean } = {}): Promise<{
  url: string;
  embedded: EmbeddedDatabase | null;
  /** Where the embedded server keeps its data, for the start-up line. */
  note: string | null;
}> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null, note: null };
  const explicitPort = process.env.EMBEDDED_PG_PORT;
  const port = Number(explicitPort ?? DEFAULT_EMBEDDED_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`EMBEDDED_PG_PORT must be a port number (1-65535), got "${explicitPort}"`);
  const location = embeddedLocation();
  const embedded = await startEmbeddedPostgres({
    dataDir: location.dataDir,
    passwordFile: location.passwordFile,
    stateDir: location.stateDir,
    port,
    // Another checkout's server on the default port is no reason not to start; a port the
    // operator chose is.
    anyPortIfTaken: explicitPort === undefined,
    quiet: opts.quiet,
    supervise: opts.supervise,
  });
  process.env.DATABASE_URL = embedded.url;
  return { url: embedded.url, embedded, note: location.note };
}
