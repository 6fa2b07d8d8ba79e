import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { Actor } from '../auth/session';
import { upsertUserWithPassword } from '../auth/users';
import { ConflictError, InputError, NotFoundError, TransientError } from '../errors';
import { labelTurn } from '../labeling/label-turn';
import { resetDatabase } from '../testing/db-snapshot';
import { idNumber } from './params';
import { createActionClient } from './server-action';

let reviewer: Actor;
let admin: Actor;

beforeAll(async () => {
  await resetDatabase();
  const r = await upsertUserWithPassword({ email: 'rev@boundary.test', password: 'correct horse battery', role: 'reviewer' });
  reviewer = { id: r.id, email: 'rev@boundary.test', name: 'rev', role: 'reviewer' };
  admin = { ...reviewer, role: 'admin' };
});

afterEach(() => vi.restoreAllMocks());

const as = (actor: Actor | null) => createActionClient(async () => actor);
const labelInput = z.object({ messageId: idNumber('messageId'), value: z.enum(['END', 'CONTINUE', 'SCHEDULE']).nullable() });

describe('authedAction', () => {
  it('answers a call without a session with "Please sign in", not an error', async () => {
    const act = as(null).authedAction({ name: 't', input: z.number() }, async () => 1);
    expect(await act(1)).toEqual({ ok: false, code: 'unauthenticated', message: 'Please sign in.', fieldErrors: {}, retryable: false });
  });

  it('checks the role before the handler runs', async () => {
    const handler = vi.fn(async () => 1);
    const act = as(reviewer).authedAction({ name: 't', roles: ['admin'], input: z.number() }, handler);
    expect(await act(1)).toMatchObject({ ok: false, code: 'forbidden', message: 'This needs the admin role; you are reviewer.', retryable: false });
    expect(handler).not.toHaveBeenCalled();
    expect(await as(admin).authedAction({ name: 't', roles: ['admin'], input: z.number() }, handler)(1)).toEqual({ ok: true, data: 1 });
  });

  it('maps bad input to an input error naming the field, final (not retried): ids beyond 2³¹−1, an empty body', async () => {
    const act = as(reviewer).authedAction({ name: 'labelTurn', input: labelInput }, (input, { actor }) => labelTurn(actor, input));
    const huge = await act({ messageId: 2 ** 31, value: 'END' });
    expect(huge).toEqual({
      ok: false,
      code: 'input',
      message: 'messageId: messageId must be at most 2147483647',
      fieldErrors: { messageId: 'messageId must be at most 2147483647' },
      retryable: false,
    });
    expect(await act(undefined as never)).toMatchObject({ ok: false, code: 'input', retryable: false });
    // The domain's own rule (no such message) comes through the same way, from the real database.
    expect(await act({ messageId: 424242, value: 'END' })).toMatchObject({
      ok: false,
      code: 'input',
      message: 'Message 424242 does not exist.',
      retryable: false,
    });
  });

  it('keeps the message of every AppError and says which are worth retrying', async () => {
    const failing = (e: Error) => as(reviewer).authedAction({ name: 't', input: z.null() }, async () => Promise.reject(e))(null);
    expect(await failing(new NotFoundError('Run 9 does not exist.'))).toMatchObject({ code: 'not_found', message: 'Run 9 does not exist.', retryable: false });
    expect(await failing(new ConflictError('Already built.'))).toMatchObject({ code: 'conflict', message: 'Already built.', retryable: false });
    expect(await failing(new TransientError('The trainer is restarting.'))).toMatchObject({
      code: 'transient',
      message: 'The trainer is restarting.',
      retryable: true,
    });
  });

  it('shows an unexpected failure generically and logs it server side', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const act = as(reviewer).authedAction({ name: 'leaky', input: z.null(), failureMessage: 'Could not save; retrying.' }, async () => {
      throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db:5432');
    });
    const r = await act(null);
    expect(r).toEqual({ ok: false, code: 'internal', message: 'Could not save; retrying.', fieldErrors: {}, retryable: true });
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(log).toHaveBeenCalledWith('[action leaky] unexpected error', expect.any(Error));
  });

  it("lets Next's redirect() through", async () => {
    const act = as(reviewer).authedAction({ name: 't', input: z.null() }, async () => redirect('/somewhere'));
    await expect(act(null)).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
  });
});

describe('authedFormAction', () => {
  const form = (entries: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(entries)) f.set(k, v);
    return f;
  };
  const initial = { ok: null, message: null, fieldErrors: {}, values: null, attempt: 0 };

  it('puts each issue beside its field and the rest in the message; echoes values but never passwords', async () => {
    const act = as(admin).authedFormAction({ name: 'f', input: z.object({ email: z.string(), password: z.string() }) }, async () => {
      throw new InputError([
        { field: 'email', message: 'taken' },
        { field: 'selection', message: 'the selection is empty' },
      ]);
    });
    const state = await act(initial, form({ email: 'a@b.io', password: 'secret-value-123' }));
    expect(state).toEqual({ ok: false, message: 'the selection is empty', fieldErrors: { email: 'taken' }, values: { email: 'a@b.io' }, attempt: 1 });
    expect((await act(state, form({ email: 'x', password: 'y' }))).attempt).toBe(2);
  });

  it('a form may name the fields it shows (nested paths go to their group)', async () => {
    const act = as(admin).authedFormAction({ name: 'f', input: z.object({ k: z.string() }), fields: ['policy'] }, async () => {
      throw new InputError([{ field: 'policy.k', message: 'k must be at least 1' }]);
    });
    expect(await act(initial, form({ k: '0' }))).toMatchObject({
      message: null,
      fieldErrors: { 'policy.k': 'k must be at least 1', policy: 'k must be at least 1' },
    });
  });

  it('returns the success message; refuses a call without a form or without a session', async () => {
    const act = as(admin).authedFormAction({ name: 'f', input: z.object({ name: z.string() }) }, async ({ name }) => `Saved ${name}.`);
    expect(await act(initial, form({ name: 'x' }))).toEqual({ ok: true, message: 'Saved x.', fieldErrors: {}, values: null, attempt: 1 });
    expect(await act(initial, undefined as never)).toMatchObject({ ok: false, message: 'This needs a form submission.' });
    expect(await as(null).authedFormAction({ name: 'f', input: z.object({}) }, async () => 'no')(initial, form({}))).toMatchObject({
      ok: false,
      message: 'Please sign in.',
    });
  });
});
