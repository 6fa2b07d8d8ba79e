import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, RateLimitedError, TransientError, type AppError } from '../errors';
import { idText, SAFE_INT_MAX, wholeNumberText } from './params';
import { createRouteWrapper } from './route-handler';

const actor: Actor = { id: 'u1', email: 'a@b.io', name: 'a', role: 'reviewer' };
const signedIn = createRouteWrapper({
  resolveSession: async () => actor,
  resolveApiKey: async (k) => (k === 'good-key' ? { keyId: 7, keyName: 'chatbot' } : null),
});
const anonymous = createRouteWrapper({ resolveSession: async () => null, resolveApiKey: async () => null });
const segment = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });

afterEach(() => vi.restoreAllMocks());

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return res.json();
}

describe('route wrapper', () => {
  const live = signedIn(
    {
      name: 'live',
      auth: 'session',
      params: z.object({ id: idText('the run id') }),
      query: z.object({ after: wholeNumberText('after', { min: 0, max: SAFE_INT_MAX }).optional() }),
    },
    async ({ params, query }) => {
      if (params.id === 404) throw new NotFoundError('Run 404 does not exist.');
      return { id: params.id, after: query.after ?? null };
    },
  );

  it('parses params and query, and answers JSON that is never cached', async () => {
    const res = await live(new Request('http://x/api/runs/7/live?after=12'), segment({ id: '7' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ id: 7, after: 12 });
  });

  it('bounds integers: an id beyond 2³¹−1 or a cursor beyond 2⁵³ is a 400 naming the parameter', async () => {
    let res = await live(new Request('http://x/api/runs/2147483648/live'), segment({ id: '2147483648' }));
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toEqual({
      type: 'urn:exit-advisor-studio:problem:input',
      title: 'Bad request',
      status: 400,
      detail: 'params.id: the run id must be at most 2147483647',
      errors: [{ path: 'params.id', message: 'the run id must be at most 2147483647' }],
    });
    res = await live(new Request('http://x/api/runs/3/live?after=999999999999999999'), segment({ id: '3' }));
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors).toEqual([{ path: 'query.after', message: `after must be at most ${SAFE_INT_MAX}` }]);
    res = await live(new Request('http://x/api/runs/abc/live'), segment({ id: 'abc' }));
    expect((await problemOf(res)).errors[0].message).toBe('the run id must be a whole number');
  });

  it('a missing thing is a real 404', async () => {
    const res = await live(new Request('http://x/api/runs/404/live'), segment({ id: '404' }));
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ status: 404, title: 'Not found', detail: 'Run 404 does not exist.' });
  });

  it('no session is a 401 with a sign-in message; the api-key mode wants a bearer key', async () => {
    const res = await anonymous({ name: 'x', auth: 'session' }, async () => 'never')(new Request('http://x/'), segment());
    expect(res.status).toBe(401);
    expect(await problemOf(res)).toMatchObject({ status: 401, detail: 'Please sign in.' });
    const keyed = signedIn({ name: 'v1', auth: 'api-key' }, async ({ apiKey }) => ({ who: apiKey?.keyName }));
    expect((await keyed(new Request('http://x/api/v1/x'), segment())).status).toBe(401);
    expect((await keyed(new Request('http://x/api/v1/x', { headers: { authorization: 'Bearer bad' } }), segment())).status).toBe(401);
    const ok = await keyed(new Request('http://x/api/v1/x', { headers: { authorization: 'Bearer good-key' } }), segment());
    expect(await ok.json()).toEqual({ who: 'chatbot' });
  });

  it('maps each kind of failure to its status, with retry-after where there is one', async () => {
    const cases: [AppError, number][] = [
      [new ForbiddenError('no'), 403],
      [new ConflictError('not ready'), 409],
      [new PayloadTooLargeError('too big'), 413],
      [new RateLimitedError('slow down', 30), 429],
      [new TransientError('trainer restarting', 5), 503],
    ];
    for (const [err, status] of cases) {
      const res = await signedIn({ name: 'x', auth: 'session' }, async () => Promise.reject(err))(new Request('http://x/'), segment());
      expect(res.status, err.name).toBe(status);
      expect(await problemOf(res)).toMatchObject({ status, detail: err.message });
      if (status === 429) expect(res.headers.get('retry-after')).toBe('30');
      if (status === 503) expect(res.headers.get('retry-after')).toBe('5');
    }
    const roles = await signedIn({ name: 'x', auth: 'session', roles: ['admin'] }, async () => 'never')(new Request('http://x/'), segment());
    expect(roles.status).toBe(403);
  });

  it('hides an unexpected failure behind a generic 500 and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await signedIn({ name: 'boom', auth: 'session' }, async () => {
      throw new Error('relation "secret_table" does not exist');
    })(new Request('http://x/'), segment());
    expect(res.status).toBe(500);
    const p = await problemOf(res);
    expect(p.detail).not.toContain('secret_table');
    expect(log).toHaveBeenCalledOnce();
  });

  it('reads a JSON body with a size limit: 413 when larger, 400 when empty or not JSON', async () => {
    const echo = signedIn({ name: 'echo', auth: 'session', body: z.object({ n: z.number().int() }), maxBodyBytes: 100 }, async ({ body }) => body);
    const post = (body: string) => echo(new Request('http://x/', { method: 'POST', body, headers: { 'content-type': 'application/json' } }), segment());
    expect(await (await post('{"n":3}')).json()).toEqual({ n: 3 });
    expect((await post(JSON.stringify({ n: 1, pad: 'x'.repeat(200) }))).status).toBe(413);
    const empty = await post('');
    expect(empty.status).toBe(400);
    expect((await problemOf(empty)).detail).toBe('body: The request needs a JSON body.');
    expect((await post('{nope')).status).toBe(400);
    expect((await problemOf(await post('{"n":"x"}'))).errors[0].path).toBe('body.n');
  });
});

describe('empty server-action requests', () => {
  it('are refused with a 400 before Next decodes them; anything else passes', async () => {
    const { refuseEmptyServerAction } = await import('./action-request-guard');
    const res = refuseEmptyServerAction(new Request('http://x/conversations/1', { method: 'POST', headers: { 'next-action': 'abc', 'content-length': '0' } }));
    expect(res?.status).toBe(400);
    expect(await res!.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/was empty/) });
    expect(refuseEmptyServerAction(new Request('http://x/c', { method: 'POST', headers: { 'next-action': 'abc' }, body: '[1]' }))).toBeNull();
    expect(refuseEmptyServerAction(new Request('http://x/c', { method: 'POST', body: '' }))).toBeNull();
    expect(refuseEmptyServerAction(new Request('http://x/c'))).toBeNull();
  });
});
