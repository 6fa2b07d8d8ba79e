// Where the hand-written golden set lives and what version of it this checkout holds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// From the working directory, not import.meta.url: the web app's bundles, the worker and the
// CLIs all run from the project root, and a bundled module's URL is not its source path.
const GOLDEN_DIR = path.join(process.cwd(), 'lib', 'golden');

/** The golden set, in the import format (see lib/golden/README.md for how it was written). */
export const GOLDEN_FILE = path.join(GOLDEN_DIR, 'conversations.json');
/** Each golden conversation's category tags (what it was written to cover). */
export const GOLDEN_CATEGORIES_FILE = path.join(GOLDEN_DIR, 'categories.json');
/** Every golden conversation's external_id starts with this. */
export const GOLDEN_ID_PREFIX = 'golden-';

/** The account that owns the golden labels: nobody signs in as it and nobody else labels them. */
export const GOLDEN_REVIEWER_EMAIL = 'import@golden-set';

/** The evaluation-only dataset every golden version belongs to. */
export const GOLDEN_DATASET_NAME = 'golden';

export function goldenFileHash(file = GOLDEN_FILE): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
