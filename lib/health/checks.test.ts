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
    expect(safeReason(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) }))).toBe(
      'UND_ERR_CONNECT_TIMEOUT',
    );
  });
});

describe('health checks on Prisma errors', () => {
  it('names the driver reason Prisma wraps in P2010', () => {
    const e = Object.assign(new Error("Raw query failed. Message: `Can't reach database server at 127.0.0.1:1`"), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 } } },
    });
    expect(safeReason(e)).toBe('DatabaseNotReachable');
  });
});

describe('the trainer check', () => {
  const saved = { url: process.env.TRAINER_URL, key: process.env.TRAINER_API_KEY, enabled: process.env.STUDIO_TRAINER };
  const restore = () => {
    for (const [name, value] of [
      ['TRAINER_URL', saved.url],
      ['TRAINER_API_KEY', saved.key],
      ['STUDIO_TRAINER', saved.enabled],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };

  it('is ok while the local trainer answers, failing once it is gone, disabled when turned off', async () => {
    const { startTestTrainer } = await import('../local-trainer/testing/trainer');
    const { checkTrainer } = await import('./check-trainer');
    const trainer = await startTestTrainer();
    try {
      process.env.TRAINER_URL = trainer.url;
      process.env.TRAINER_API_KEY = trainer.apiKey;
      delete process.env.STUDIO_TRAINER;
      expect(await checkTrainer(2_000)).toMatchObject({ status: 'ok', models: 1 });
      await trainer.close();
      const down = await checkTrainer(2_000);
      expect(down).toMatchObject({ status: 'failing' });
      expect(JSON.stringify(down)).not.toContain(trainer.apiKey);
      process.env.STUDIO_TRAINER = 'off';
      delete process.env.TRAINER_URL;
      expect(await checkTrainer(2_000)).toEqual({ status: 'disabled' });
    } finally {
      restore();
    }
  });
});
