// `npx tsx lib/golden/build.ts`: parts/*.txt → conversations.json (import format) and
// categories.json (the tags of each conversation, for counting coverage). Prints the counts.
import fs from 'node:fs';
import path from 'node:path';
import { buildGolden, GOLDEN_DIR } from './parse-parts';
import { goldenStats } from './stats';

const { conversations, tags } = buildGolden();
fs.writeFileSync(path.join(GOLDEN_DIR, 'conversations.json'), JSON.stringify({ conversations }, null, 1) + '\n');
fs.writeFileSync(path.join(GOLDEN_DIR, 'categories.json'), JSON.stringify(tags, null, 1) + '\n');
console.log(JSON.stringify(goldenStats(conversations, tags), null, 2));
