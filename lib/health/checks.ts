// The parts /api/health reports on. Each check answers within its own short timeout, so a hung
// dependency makes the report say so instead of making the report hang, and says what failed in
// words safe to show anyone: an error code or a short message, never a URL, key or password.
export type CheckStatus = 'ok' | 'failing' | 'disabled';

export interface CheckResult {
  status: CheckStatus;
  latencyMs?: number;
  /** Why it is failing. */
  error?: string;
  [detail: string]: unknown;
}

export class CheckTimeout extends Error {}

export async function timed(timeoutMs: number, fn: () => Promise<CheckResult>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([fn(), timeout]);
    return { ...result, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return { status: 'failing', latencyMs: Math.round(performance.now() - started), error: safeReason(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** A short, secret-free description of an error: its code (ECONNREFUSED, 57P01 …) or first line. */
export function safeReason(e: unknown): string {
  if (e instanceof CheckTimeout) return e.message;
  // Prisma wraps driver trouble as P2010 with the reason in meta ("DatabaseNotReachable", a SQLSTATE …).
  const driver = (e as { meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } } }).meta?.driverAdapterError?.cause;
  const kind = [driver?.kind, driver?.originalCode].filter((v) => typeof v === 'string' && /^[A-Za-z0-9_]{2,40}$/.test(v));
  if (kind.length) return kind.join(' ');
  const codes: string[] = [];
  let message = '';
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const { code, message: m, cause } = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) codes.push(code);
    if (!message && typeof m === 'string') message = m;
    cur = cause;
  }
  if (codes.length) return codes.join(' ← ');
  return (message.split('\n')[0] || 'failed')
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\b(sk|key|token|secret|password)[-_=:]\S+/gi, '<redacted>')
    .slice(0, 200);
}
