// Where the golden set lives, for the code that loads it as its own source and scores
// every model on it. It is an evaluation set only: it must never enter a training file.
import path from 'node:path';
import { GOLDEN_DIR } from './parse-parts';

export const GOLDEN_CONVERSATIONS_FILE = path.join(GOLDEN_DIR, 'conversations.json');
export const GOLDEN_CATEGORIES_FILE = path.join(GOLDEN_DIR, 'categories.json');
/** Every golden conversation's external_id starts with this. */
export const GOLDEN_ID_PREFIX = 'golden-';
