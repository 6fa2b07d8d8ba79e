// /api/health says what failed without saying anything secret, and never hangs on a dependency.
import { describe, expect, it } from 'vitest';
import { safeReason, timed } from './checks';

describe('health checks', () => {
  it('reports a hung dependency as failing within its timeout', async () => {
    const started = Date.now();
    const r = await timed(100, () => new Promise(() => {}));
    expect(r).toMatchObject({ status: 'failing', error: 'no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('names errors by code or first line, without URLs, passwords or keys', () => {
    expect(safeReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54329'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(safeReason(new Error('cannot reach postgresql://studio:s3cret@127.0.0.1:5432/studio\nstack'))).toBe('cannot reach <url>');
    expect(safeReason(new Error('401 Incorrect API key provided: sk-abcdef123456'))).not.toContain('abcdef123456');
    expect(safeReason(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) }))).toBe('UND_ERR_CONNECT_TIMEOUT');
  });
});

describe('health checks on Prisma errors', () => {
  it('names the driver reason Prisma wraps in P2010', () => {
    const e = Object.assign(new Error('Raw query failed. Message: `Can\'t reach database server at 127.0.0.1:1`'), { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 } } } });
    expect(safeReason(e)).toBe('DatabaseNotReachable');
  });
});
