// The one door for route handlers (formbricks' api-wrapper and Langfuse's withMiddlewares are
// the models): who is calling, what they sent (zod for params, query and body, ids bounded to
// what the columns hold), and every failure as problem JSON (RFC 9457) with its status.
// Handlers return a value (sent as JSON, never cached) or a Response (downloads, streams), and
// throw lib/errors for everything else — a missing thing is a NotFoundError, a real 404.
// This core imports nothing of Next (no server-only, no next/headers): the production web
// process also serves the decision API with it outside Next's router (lib/boundary/node-route.ts).
// The Next-bound `route` (session from next/headers, after() from next/server) is
// lib/boundary/route-handler.ts.
import { z } from 'zod';
import { InputError, PayloadTooLargeError, UnauthenticatedError } from '../errors';
import { assertRole } from '../auth/assert-role';
import type { Actor } from '../auth/session';
import type { Role } from '../auth/roles';
import { describeFailure } from './outcome';
import { problemResponse } from './route-handler-problem';

export { problemResponse, type Problem } from './route-handler-problem';
import { flatSearch } from './params';
import { afterCurrentStack, type AfterResponse } from '../after-response';

/**
 * How a route knows its caller. `session`: the browser's cookie (a bearer key is ignored).
 * `api-key`: a bearer key for machine clients under /api/v1 (lib/advisor/api-keys; a cookie
 * is ignored), so a key never reaches a session route and a session never reaches /api/v1.
 */
export type AuthMode = 'session' | 'api-key';

/** The key a machine client called with. */
export interface ApiKeyCaller {
  keyId: number;
  keyName: string;
}

export { afterCurrentStack, type AfterResponse } from '../after-response';

export interface Caller {
  resolveSession: () => Promise<Actor | null>;
  /** The key's caller or null (unknown, revoked); may throw RateLimitedError. */
  resolveApiKey: (key: string) => Promise<ApiKeyCaller | null>;
  /** How this transport runs work after the answer; afterCurrentStack unless said. */
  afterResponse?: AfterResponse;
}

/**
 * A wrapped route: Next calls it with (request, segment); a transport that knows when its
 * response is sent passes its own afterResponse as the third argument.
 */
export type RouteHandler = (
  req: Request,
  segment: { params: Promise<Record<string, string | string[] | undefined>> } | undefined,
  afterResponse?: AfterResponse,
) => Promise<Response>;

interface RouteOptions<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** Names the route in server logs. */
  name: string;
  auth: AuthMode;
  roles?: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  /** Largest body accepted (bytes); 1 MiB unless said. */
  maxBodyBytes?: number;
}

export interface RouteContext<P, Q, B> {
  req: Request;
  actor: Actor;
  /** Set on api-key routes. */
  apiKey: ApiKeyCaller | null;
  params: P;
  query: Q;
  body: B;
  /** Work that must never delay the answer (a shadow model call) goes here. */
  afterResponse: AfterResponse;
}

function parseWith<S extends z.ZodType>(schema: S | undefined, raw: unknown, where: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(raw);
  if (!r.success) throw InputError.ofZod(r.error, { prefix: `${where}.` });
  return r.data;
}

async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limit) throw new PayloadTooLargeError(`The body is ${declared} bytes; at most ${limit} are accepted.`);
  // Count while reading: content-length may be missing or wrong.
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    // A client that hangs up mid-body is not our failure: an input error (nothing is logged as
    // unexpected, nothing was written), though nobody is left to read the answer.
    const { done, value } = await reader.read().catch(() => {
      throw InputError.of('body', 'The body ended before it was complete: the connection closed while it was being sent.');
    });
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(`The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw InputError.of('body', 'The request needs a JSON body.');
  try {
    return JSON.parse(text);
  } catch {
    throw InputError.of('body', 'The body is not valid JSON.');
  }
}

function bearerKey(req: Request): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '');
  return m ? m[1] : null;
}

export function createRouteWrapper(caller: Caller) {
  async function authenticate(mode: AuthMode, req: Request): Promise<{ actor: Actor; apiKey: ApiKeyCaller | null }> {
    if (mode === 'session') {
      const actor = await caller.resolveSession();
      if (!actor) throw new UnauthenticatedError();
      return { actor, apiKey: null };
    }
    const key = bearerKey(req);
    const apiKey = key ? await caller.resolveApiKey(key) : null;
    if (!apiKey) throw new UnauthenticatedError('This endpoint needs a valid API key (Authorization: Bearer <key>).');
    // A key is a machine, not a person: it holds no role beyond what its endpoints allow.
    return { actor: { id: `api-key:${apiKey.keyId}`, email: '', name: apiKey.keyName, role: 'reviewer' }, apiKey };
  }

  return function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
    opts: RouteOptions<P, Q, B>,
    handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
  ): RouteHandler {
    return async (req, segment, afterResponse = caller.afterResponse ?? afterCurrentStack) => {
      try {
        const { actor, apiKey } = await authenticate(opts.auth, req);
        if (opts.roles?.length) assertRole(actor, ...opts.roles);
        const params = parseWith(opts.params, segment ? await segment.params : {}, 'params');
        const query = parseWith(opts.query, flatSearch(new URL(req.url).searchParams), 'query');
        const body = opts.body ? parseWith(opts.body, await readJsonBody(req, opts.maxBodyBytes ?? 1 << 20), 'body') : undefined;
        const out = await handler({ req, actor, apiKey, params, query, body, afterResponse } as RouteContext<z.output<P>, z.output<Q>, z.output<B>>);
        if (out instanceof Response) return out;
        // Machine clients get small answers many times a second: gzipping ~200 bytes costs the
        // server more than it saves (no-transform keeps Next's compression off them).
        return Response.json(out ?? null, { headers: { 'cache-control': opts.auth === 'api-key' ? 'no-store, no-transform' : 'no-store' } });
      } catch (e) {
        return problemResponse(describeFailure(e, `route ${opts.name}`));
      }
    };
  };
}
