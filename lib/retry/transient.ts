// Which HTTP answers are worth asking again: a timeout (408), a conflict that clears (409),
// rate limiting (429) and server trouble (5xx). Everything else in 4xx is the provider's final
// word on this request. No status at all (connection trouble) is transient too.

export function isTransientStatus(status: number | null | undefined): boolean {
  if (status === null || status === undefined || status === 0) return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The system error code (ECONNREFUSED, ETIMEDOUT, UND_ERR_…) somewhere in an error's cause chain, if any. */
export function connectionCause(e: unknown): string | null {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}
