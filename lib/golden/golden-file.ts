// Where the hand-written golden set lives and what version of it this checkout holds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The golden set, in the import format (see lib/golden/README.md for how it was written). */
export const GOLDEN_FILE = path.join(process.cwd(), 'lib', 'golden', 'conversations.json');

/** The account that owns the golden labels: nobody signs in as it and nobody else labels them. */
export const GOLDEN_REVIEWER_EMAIL = 'import@golden-set';

/** The evaluation-only dataset every golden version belongs to. */
export const GOLDEN_DATASET_NAME = 'golden';

export function goldenFileHash(file = GOLDEN_FILE): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
