// Serving one wrapped route (lib/boundary/route-wrapper.ts) straight from node:http, outside
// Next's router: for the decision API, which the chatbot calls at every turn, Next's own route
// machinery costs about a millisecond of the web process's one core per request. The wrapper
// does everything else exactly as it does under Next (auth, body limit counted while reading,
// zod, problem JSON); this file only translates the request and the response, and sends the
// headers next.config.mjs puts on every answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import staticSecurityHeaders from '../auth/static-security-headers.json' with { type: 'json' };
import type { AfterResponse } from '../after-response';
import type { RouteHandler } from './route-wrapper';

const SECURITY_HEADERS: Record<string, string> = Object.fromEntries(staticSecurityHeaders.map((h) => [h.key.toLowerCase(), h.value]));
// A Host header is only used to build the request's URL; anything odd in it is not ours to parse.
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The body as a web stream that reads the socket only when and as fast as the wrapper asks (it
 * counts the limit). Nothing is read before the first read: a body refused unread (declared too
 * large, no key) is left to node:http, which drops it once the answer is sent, so the
 * connection stays usable.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  let listening = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (!listening) {
          listening = true;
          req.on('data', (chunk: Buffer) => {
            if (done) return;
            c.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((c.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once('end', () => {
            if (!done) c.close();
            done = true;
          });
          req.once('error', (e) => {
            if (!done) c.error(e);
            done = true;
          });
          // A client gone mid-body may only close: the read must fail rather than wait forever.
          req.once('close', () => {
            if (!done) c.error(new Error('The client closed the connection before the body was complete.'));
            done = true;
          });
        }
        req.resume();
      },
      cancel() {
        // The wrapper stopped reading (too large): the rest is drained and dropped so the 413
        // can still be sent on this connection.
        done = true;
        req.resume();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The node request as a web Request: its headers (req.headers, after lib/cli/web.ts dropped untrusted forwarding ones), the body streamed. */
export function webRequestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const one of v) headers.append(k, one);
    else headers.set(k, v);
  }
  const host = req.headers.host && PLAIN_HOST.test(req.headers.host) ? req.headers.host : 'localhost';
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://${host}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: bodyStream(req), duplex: 'half' } : {}),
  } as RequestInit);
}

/** Runs a wrapped route for a node request and writes its answer; tasks queued with afterResponse run once it is sent. */
export async function serveRouteOnNode(handler: RouteHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let later: (() => void)[] | null = null;
  const afterResponse: AfterResponse = (task) => {
    if (!later) {
      later = [];
      const run = () => {
        for (const t of later!.splice(0)) t();
      };
      // 'close' as well: a client that hung up never sees 'finish', and the work must still run.
      res.once('finish', run);
      res.once('close', run);
    }
    later.push(task);
  };
  const response = await handler(webRequestOf(req), { params: Promise.resolve({}) }, afterResponse);
  const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS };
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  if (body) headers['content-length'] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}
