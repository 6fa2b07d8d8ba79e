// The decision API as the production web process serves it (lib/cli/web.ts): a real node:http
// server answering POST /api/v1/advisor/decisions with serveRouteOnNode + the fast path, before
// (and without) Next's router. Each error class comes back exactly as through the route wrapper
// under Next: status, problem JSON, Retry-After, WWW-Authenticate, the static security headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveRouteOnNode } from '../boundary/node-route';
import { admin, resetWithCorpus, startTrainerForEvals, type TestTrainer } from '../evals/test-fixtures';
import { decisionResponseSchema, problemSchema } from './api-schema';
import { createApiKey } from './api-keys';
import { decisionFastPath, isDecisionRequest } from './decision-fast-path';
import { settleLiveIngest } from './live-ingest';
import { closeAdvisorPool } from './pool';
import { promoteModel } from './promotions';
import { MAX_BODY_BYTES } from './settings';

process.env.ADVISOR_MERGE = 'web';
process.env.ADVISOR_MERGE_DELAY_MS = '20';

let t: TestTrainer;
let server: http.Server;
let base: string;
let key: string;

const T0 = Date.parse('2026-11-20T15:00:00Z');
const conversation = (id: string) => ({
  external_id: id,
  candidate_name: 'Fay Fast',
  job_title: 'Forklift Driver',
  messages: [
    { sender: 'recruiter', text: 'Hi Fay, forklift driver role at $21/hr, nights. Interested?', sent_at: new Date(T0).toISOString(), label: 'CONTINUE' },
    { sender: 'candidate', text: 'Sure, can we talk tomorrow at 3pm?', sent_at: new Date(T0 + 300_000).toISOString() },
  ],
});

function send(
  body: string | Buffer,
  headers: Record<string, string> = {},
  path = '/api/v1/advisor/decisions',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = (k: string) => ({ authorization: `Bearer ${k}` });

function expectProblem(r: Awaited<ReturnType<typeof send>>, status: number) {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  expect(r.headers['content-type']).toBe('application/problem+json');
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  return problemSchema.parse(r.json);
}

beforeAll(async () => {
  t = await startTrainerForEvals();
  await resetWithCorpus();
  key = (await createApiKey(admin, { name: 'fast-path' })).key;
  server = http.createServer((req, res) => {
    if (isDecisionRequest(req.method, req.url)) void serveRouteOnNode(decisionFastPath, req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await settleLiveIngest().catch(() => {});
  await closeAdvisorPool();
  await t?.close();
});

describe('the decision API on node:http, outside Next', () => {
  it('matches exactly POST on the path (a query string allowed)', () => {
    expect(isDecisionRequest('POST', '/api/v1/advisor/decisions')).toBe(true);
    expect(isDecisionRequest('POST', '/api/v1/advisor/decisions?x=1')).toBe(true);
    expect(isDecisionRequest('GET', '/api/v1/advisor/decisions')).toBe(false);
    expect(isDecisionRequest('POST', '/api/v1/advisor/decisions/')).toBe(false);
    expect(isDecisionRequest('POST', '/api/v1/advisor/decisionsX')).toBe(false);
  });

  it('409 while no advisor is promoted', async () => {
    const p = expectProblem(await send(JSON.stringify({ conversation: conversation('fast-409') }), auth(key)), 409);
    expect(p.detail).toMatch(/No advisor is promoted yet/);
  });

  it('401 without a key or with a wrong one, with WWW-Authenticate', async () => {
    for (const headers of [{}, auth('eas_nope')]) {
      const r = await send(JSON.stringify({ conversation: conversation('fast-401') }), headers);
      expect(expectProblem(r, 401).detail).toMatch(/valid API key/);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('400 for a body that is not JSON or not a conversation, naming where', async () => {
    expect(expectProblem(await send('{nope', auth(key)), 400).detail).toMatch(/not valid JSON/);
    expect(expectProblem(await send('', auth(key)), 400).detail).toMatch(/needs a JSON body/);
    const p = expectProblem(await send(JSON.stringify({ conversation: { external_id: '' } }), auth(key)), 400);
    expect(p.errors?.length).toBeGreaterThan(0);
  });

  it('413 for a body over the limit, declared or counted while reading (chunked)', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 10, 0x20);
    expectProblem(await send(big, auth(key)), 413);
    // No content-length: the wrapper counts the streamed chunks.
    const chunked = await new Promise<Awaited<ReturnType<typeof send>>>((resolve, reject) => {
      const req = http.request(`${base}/api/v1/advisor/decisions`, { method: 'POST', headers: { ...auth(key), 'transfer-encoding': 'chunked' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(64 * 1024, 0x20));
      req.end();
    });
    expect(expectProblem(chunked, 413).detail).toMatch(/larger than/);
  });

  it('a client that hangs up mid-body leaves the server serving the next request, and is no unexpected error', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/api/v1/advisor/decisions`, { method: 'POST', headers: { ...auth(key), 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"conversation":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    expectProblem(await send('{nope', auth(key)), 400);
    expect(errors.mock.calls.filter((c) => String(c[0]).includes('unexpected error'))).toEqual([]);
    errors.mockRestore();
  });

  it('429 with Retry-After once a key is over its rate', async () => {
    const slow = (await createApiKey(admin, { name: 'fast-slow', ratePerMinute: 1 })).key;
    await send(JSON.stringify({ conversation: conversation('fast-429') }), auth(slow));
    const r = await send(JSON.stringify({ conversation: conversation('fast-429') }), auth(slow));
    expect(expectProblem(r, 429).detail).toMatch(/over its rate of 1 request/);
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('200 with the decision the OpenAPI document promises, never cached', async () => {
    await promoteModel(admin, { model: 'local-base', provider: 'local', threshold: 0.7, note: 'fast path' });
    const r = await send(JSON.stringify({ conversation: conversation('fast-200') }), auth(key));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['cache-control']).toBe('no-store, no-transform');
    expect(r.headers['x-frame-options']).toBe('DENY');
    const d = decisionResponseSchema.parse(r.json);
    expect(d.model).toBe('local-base');
    expect(d.decision_id).not.toBeNull();
  });
});
