// Fault injection: 429s with retry-after that the SDK's retries absorb, 500s, hangs that only
// the client's timeout ends, switched at run time through /_control/faults.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults, parseFaultsEnv } from './faults';
import type { LocalTrainer } from './server';
import { clientFor, startTestTrainer } from './testing/trainer';

let trainer: LocalTrainer;
/** Talks to the server root (the SDK's generic get/post), for /_control and /health. */
let control: OpenAI;

const setFaults = (body: Record<string, unknown>) => control.post('/_control/faults', { body });

beforeAll(async () => {
  trainer = await startTestTrainer({ faults: '429:0.5' });
  control = new OpenAI({ apiKey: trainer.apiKey, baseURL: trainer.url, maxRetries: 0 });
});
afterAll(async () => {
  await trainer.close();
});

describe('TRAINER_FAULTS', () => {
  it('parses the env syntax and rejects nonsense', () => {
    expect(parseFaultsEnv('429:0.3, 500:0.2,hang:0.05')).toEqual({ '429': 0.3, '500': 0.2, hang: 0.05 });
    expect(parseFaultsEnv('')).toEqual({});
    expect(() => parseFaultsEnv('teapot:0.5')).toThrow(/TRAINER_FAULTS/);
    expect(() => parseFaultsEnv('429:2')).toThrow();
    expect(() => new Faults({ '429': 0.6, '500': 0.6 })).toThrow(/more than 1/);
  });

  it('picks faults in proportion to their shares', () => {
    let i = 0;
    const faults = new Faults({ '429': 0.25, '500': 0.25, hang: 0.25 }, () => (i++ % 100) / 100);
    const counts: Record<string, number> = {};
    for (let k = 0; k < 1000; k++) {
      const f = faults.pick('/v1/models');
      counts[f] = (counts[f] ?? 0) + 1;
    }
    expect(counts).toEqual({ '429': 250, '500': 250, hang: 250, none: 250 });
  });
});

describe('injected faults', () => {
  it('answers some requests 429 with retry-after, and the SDK retries through them', async () => {
    await setFaults({ '429': 0.5, retry_after_ms: 20 });
    const noRetry = clientFor(trainer, { maxRetries: 0 });
    let limited: InstanceType<typeof OpenAI.RateLimitError> | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      await noRetry.models.list().catch((e: unknown) => {
        if (e instanceof OpenAI.RateLimitError) limited = e;
        else throw e;
      });
    }
    expect(limited).not.toBeNull();
    const e = limited as unknown as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.headers?.get('retry-after')).toBe('1');
    expect(e.headers?.get('retry-after-ms')).toBe('20');

    const retrying = clientFor(trainer, { maxRetries: 10 });
    for (let i = 0; i < 20; i++) expect((await retrying.models.list()).data[0].id).toBe('local-base');
  });

  it('switches 500s and hangs on and off at run time; control and health never fault', async () => {
    const client = clientFor(trainer, { maxRetries: 0, timeout: 300 });
    await setFaults({ '500': 1 });
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect(await control.get('/_control/faults')).toEqual({ '500': 1 });
    expect(await control.get('/health', { headers: { Authorization: null } })).toEqual({ ok: true });

    await setFaults({ hang: 1, paths: '^/v1/models$' });
    const started = Date.now();
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // Other paths are untouched by a `paths` filter.
    await expect(client.fineTuning.jobs.list()).resolves.toBeDefined();

    await setFaults({});
    expect(await control.get('/_control/faults')).toEqual({});
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
  });

  it('protects the control endpoint with the key and validates its body', async () => {
    await expect(new OpenAI({ apiKey: 'wrong', baseURL: trainer.url, maxRetries: 0 }).get('/_control/faults')).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    await expect(setFaults({ '429': 3 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(setFaults({ paths: '(' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});
