// The advisor's serving defaults and limits, with the environment variables that change them.
// Read when used, so a test or a CLI can set the environment first.
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../evals/settings';

/** The original chatbot acts only when confidence ≥ 0.7. */
export const DEFAULT_THRESHOLD = DEFAULT_CONFIDENCE_THRESHOLD;
/** Largest conversation a decision request may carry. */
export const MAX_MESSAGES = 500;
/** Largest decision request body (bytes). */
export const MAX_BODY_BYTES = 1 << 20;
/** Requests per minute a new key may make (a burst of as many is allowed). */
export const DEFAULT_RATE_PER_MINUTE = 6000;

/** ADVISOR_TIMEOUT_MS (100..60000), default 2000: how long a decision waits for the model. */
export function defaultTimeoutMs(): number {
  const n = Number(process.env.ADVISOR_TIMEOUT_MS);
  return Number.isInteger(n) && n >= 100 && n <= 60_000 ? n : 2000;
}
