// What a provider asked us to wait, from its answer's headers (OpenAI sends retry-after-ms,
// the HTTP standard is retry-after in seconds or as a date).

function headerValue(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : null;
}

/** retry-after-ms (milliseconds) wins over retry-after (seconds or an HTTP date); null when neither. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | null {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const s = headerValue(headers, 'retry-after');
  if (s !== null && s.trim() !== '') {
    const n = Number(s);
    if (Number.isFinite(n) && n >= 0) return n * 1000;
    const at = Date.parse(s);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  return null;
}

/** The retry-after of a failed SDK call (its error carries the response headers), if any. */
export function retryAfterOfError(e: unknown, now = Date.now()): number | null {
  return retryAfterMs((e as { headers?: unknown } | null)?.headers, now);
}
