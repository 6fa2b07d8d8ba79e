// Upload-time validation of a `fine-tune` file, as OpenAI does it: every line must be JSON and
// pass the cookbook's chat-format checks, or the upload is refused with a 400 naming the lines.
// The "at least 10 examples" rule is not checked here: OpenAI applies it when a job validates
// its files (a small file is a fine validation file), so it lives in the job's validation step.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { invalidRequest } from './errors';
import { checkExample, jsonlLines, type CookbookErrorKey } from './examples';
import { MAX_TOKENS_PER_EXAMPLE } from './tokens';

export interface FineTuneFileStats {
  examples: number;
  /** Examples per label (the trained assistant content). */
  labels: Record<string, number>;
  /** Examples whose assistant messages all have weight 0: nothing to learn from them. */
  withoutTarget: number;
  missingSystem: number;
  missingUser: number;
  /** Examples at the per-example cap (the cookbook warns they get truncated). */
  tooLong: number;
  /** Billing tokens of one epoch (cookbook: Σ min(16,385, tokens of the example)). */
  tokens: number;
}

const MAX_REPORTED = 5;
// Validation runs in the server process; yielding every few milliseconds keeps a 100 MB
// upload from stalling other requests.
const SLICE_MS = 8;

export async function validateFineTuneJsonl(buf: Buffer): Promise<FineTuneFileStats> {
  const stats: FineTuneFileStats = { examples: 0, labels: {}, withoutTarget: 0, missingSystem: 0, missingUser: 0, tooLong: 0, tokens: 0 };
  const counts = new Map<CookbookErrorKey | 'invalid_json', number>();
  const reported: string[] = [];
  let badLines = 0;
  let sliceStart = performance.now();
  let n = 0;

  for (const { lineNo, text } of jsonlLines(buf)) {
    if ((++n & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      badLines++;
      counts.set('invalid_json', (counts.get('invalid_json') ?? 0) + 1);
      if (reported.length < MAX_REPORTED) reported.push(`line ${lineNo}: not valid JSON (${(e as Error).message})`);
      continue;
    }
    const { issues, example } = checkExample(parsed);
    if (issues.length) {
      badLines++;
      for (const i of issues) counts.set(i.key, (counts.get(i.key) ?? 0) + 1);
      if (reported.length < MAX_REPORTED) reported.push(`line ${lineNo}: ${issues.map((i) => `${i.detail} (${i.key})`).join('; ')}`);
      continue;
    }
    if (!example) continue;
    stats.examples++;
    if (example.label === null) stats.withoutTarget++;
    else stats.labels[example.label] = (stats.labels[example.label] ?? 0) + 1;
    if (!example.hasSystem) stats.missingSystem++;
    if (!example.hasUser) stats.missingUser++;
    if (example.tokens >= MAX_TOKENS_PER_EXAMPLE) stats.tooLong++;
    stats.tokens += example.tokens;
  }

  if (badLines) {
    const more = badLines > reported.length ? ` (and ${badLines - reported.length} more line(s))` : '';
    const summary = [...counts].map(([k, v]) => `${k}: ${v}`).join(', ');
    throw invalidRequest(
      `Invalid file format for fine-tuning: ${badLines} line(s) failed validation. ${reported.join('. ')}${more}. Found errors: ${summary}.`,
      'file',
      'invalid_file_format',
    );
  }
  return stats;
}
