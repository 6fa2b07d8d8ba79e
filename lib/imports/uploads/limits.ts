// Sizes of browser uploads. The browser sends a file in chunks (each one request, so no proxy
// or server holds more than a chunk in memory) to the database (./store-chunk.ts), where any
// worker can read it. Larger files go through `npm run import`, which has no limit.

const MIB = 1024 * 1024;

/** The largest file the browser import takes: 100 MiB, or IMPORT_UPLOAD_MAX_MB. */
export function maxUploadBytes(): number {
  const mb = Number(process.env.IMPORT_UPLOAD_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * MIB) : 100 * MIB;
}

/** What the page sends per request. */
export const UPLOAD_CHUNK_BYTES = 4 * MIB;
/** What one request may carry (a chunk, with room to spare). */
export const MAX_CHUNK_BYTES = 8 * MIB;
/** Uploads not imported within this long are deleted with their bytes. */
export const UPLOAD_TTL_HOURS = 24;

/** "10 bytes", "12.3 KB", "4.5 MB". */
export function formatMegabytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < MIB) return `${(bytes / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} KB`;
  return `${(bytes / MIB).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}
