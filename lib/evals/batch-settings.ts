// When an eval run goes through the provider's Batch API instead of one request per example,
// and how: read from the environment when a run starts (so a test or the CLI can set it first).
//   EVAL_BATCH              auto (default: large runs on a provider that has batches) | off | always
//   EVAL_BATCH_MIN_EXAMPLES examples left to answer from which a run uses batches (default 2,000)
//   EVAL_BATCH_MAX_REQUESTS requests per batch (default 10,000 local, 50,000 OpenAI: its limit)
//   EVAL_BATCH_IN_FLIGHT    batches handed to the provider ahead of the one being read (default 2 local, 8 OpenAI)
//   EVAL_BATCH_POLL_MAX_MS  the longest wait between two polls of a batch (default 1 s local, 30 s OpenAI)
import type { ProviderId } from '../finetunes/provider-ids';

/** Providers whose Batch API runs chat completions the way their chat endpoint does. */
const BATCH_PROVIDERS: ReadonlySet<string> = new Set<ProviderId>(['local', 'openai']);
/** OpenAI's cap on a batch's input file is 200 MB: stay under it. */
const MAX_BATCH_BYTES = 190 * 1024 * 1024;

export interface BatchPlan {
  /** Examples left below which a further pass goes per request instead (1 with EVAL_BATCH=always). */
  minExamples: number;
  maxRequests: number;
  maxBytes: number;
  inFlight: number;
  pollMaxMs: number;
}

function envInt(name: string, min: number, max: number, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

function mode(): 'auto' | 'off' | 'always' {
  const raw = (process.env.EVAL_BATCH ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto') return 'auto';
  if (['off', '0', 'false', 'no'].includes(raw)) return 'off';
  if (['always', 'on', '1', 'true', 'yes'].includes(raw)) return 'always';
  throw new Error(`EVAL_BATCH must be auto, off or always (got "${process.env.EVAL_BATCH}")`);
}

/** The plan for a run with `remaining` examples left on `provider`, or null for one request per example. */
export function batchPlan(provider: string, remaining: number): BatchPlan | null {
  const m = mode();
  if (m === 'off' || !BATCH_PROVIDERS.has(provider) || remaining === 0) return null;
  const minExamples = m === 'always' ? 1 : envInt('EVAL_BATCH_MIN_EXAMPLES', 1, 100_000_000, 2_000);
  if (remaining < minExamples) return null;
  const local = provider === 'local';
  return {
    minExamples,
    maxRequests: envInt('EVAL_BATCH_MAX_REQUESTS', 1, local ? 10_000_000 : 50_000, local ? 10_000 : 50_000),
    maxBytes: MAX_BATCH_BYTES,
    inFlight: envInt('EVAL_BATCH_IN_FLIGHT', 1, 64, local ? 2 : 8),
    pollMaxMs: envInt('EVAL_BATCH_POLL_MAX_MS', 10, 600_000, local ? 1_000 : 30_000),
  };
}
