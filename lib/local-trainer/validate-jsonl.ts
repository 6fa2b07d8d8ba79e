// Upload-time validation of a `fine-tune` file, as OpenAI does it: every line must be JSON and
// pass the cookbook's chat-format checks, or the upload is refused with a 400 naming the lines.
// The "at least 10 examples" rule is not checked here: OpenAI applies it when a job validates
// its files (a small file is a fine validation file), so it lives in the job's validation step.
//
// The validator is fed chunks as they arrive (LineSplitter), so an upload is checked while it
// streams to disk and is never held in memory.
import { invalidRequest } from './errors';
import { checkExample, type CookbookErrorKey } from './examples';
import { LineSplitter, LineTooLongError } from './jsonl-lines';
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

export class FineTuneValidator {
  private readonly stats: FineTuneFileStats = { examples: 0, labels: {}, withoutTarget: 0, missingSystem: 0, missingUser: 0, tooLong: 0, tokens: 0 };
  private readonly counts = new Map<CookbookErrorKey | 'invalid_json', number>();
  private readonly reported: string[] = [];
  private badLines = 0;
  private readonly splitter = new LineSplitter((lineNo, text) => this.line(lineNo, text));

  /** Feeds the next bytes of the file. */
  push(chunk: Buffer): void {
    try {
      this.splitter.push(chunk);
    } catch (e) {
      throw e instanceof LineTooLongError ? tooLong(e) : e;
    }
  }

  /** After the last chunk: the file's stats, or the 400 naming its bad lines. */
  finish(): FineTuneFileStats {
    try {
      this.splitter.end();
    } catch (e) {
      throw e instanceof LineTooLongError ? tooLong(e) : e;
    }
    if (this.badLines) {
      const { reported, badLines } = this;
      const more = badLines > reported.length ? ` (and ${badLines - reported.length} more line(s))` : '';
      const summary = [...this.counts].map(([k, v]) => `${k}: ${v}`).join(', ');
      throw invalidRequest(
        `Invalid file format for fine-tuning: ${badLines} line(s) failed validation. ${reported.join('. ')}${more}. Found errors: ${summary}.`,
        'file',
        'invalid_file_format',
      );
    }
    return this.stats;
  }

  private line(lineNo: number, text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      this.badLines++;
      this.counts.set('invalid_json', (this.counts.get('invalid_json') ?? 0) + 1);
      if (this.reported.length < MAX_REPORTED) this.reported.push(`line ${lineNo}: not valid JSON (${(e as Error).message})`);
      return;
    }
    const { issues, example } = checkExample(parsed);
    if (issues.length) {
      this.badLines++;
      for (const i of issues) this.counts.set(i.key, (this.counts.get(i.key) ?? 0) + 1);
      if (this.reported.length < MAX_REPORTED) this.reported.push(`line ${lineNo}: ${issues.map((i) => `${i.detail} (${i.key})`).join('; ')}`);
      return;
    }
    if (!example) return;
    const { stats } = this;
    stats.examples++;
    if (example.label === null) stats.withoutTarget++;
    else stats.labels[example.label] = (stats.labels[example.label] ?? 0) + 1;
    if (!example.hasSystem) stats.missingSystem++;
    if (!example.hasUser) stats.missingUser++;
    if (example.tokens >= MAX_TOKENS_PER_EXAMPLE) stats.tooLong++;
    stats.tokens += example.tokens;
  }
}

const tooLong = (e: LineTooLongError) => invalidRequest(`Invalid file format for fine-tuning: ${e.message}.`, 'file', 'invalid_file_format');

/** A whole buffer at once (tests, small files): the same checks, fed in 1 MB slices. */
export async function validateFineTuneJsonl(buf: Buffer): Promise<FineTuneFileStats> {
  const v = new FineTuneValidator();
  for (let i = 0; i < buf.length; i += 1 << 20) v.push(buf.subarray(i, i + (1 << 20)));
  return v.finish();
}
