// The fetch the decision path gives the `openai` SDK. Inside a Next route the global fetch is
// Next's patched one (a tracing span and the data-cache checks around undici's fetch, whose
// Request, web streams and body mixins cost more again): in a V8 profile of bench:advisor that
// was about 0.45 ms of the Studio's CPU per decision, for one small JSON POST. This sends the
// SDK's request with node:http(s) on a keep-alive agent and hands back a standard Response, so
// the SDK (request building, its errors, parsing) and everything after it behave as before.
// Anything but a plain string/bytes body, and any redirect, goes to the global fetch.
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function headerRecord(h: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(h)) for (const [k, v] of h) out[k.toLowerCase()] = v;
  else for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  // The request asks for identity; a server that compresses anyway is still understood.
  if (!encoding || encoding === 'identity') return body;
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.gunzipSync(body);
  if (encoding === 'deflate') return zlib.inflateSync(body);
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  return body;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function once(url: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined, signal: AbortSignal | null | undefined) {
  return new Promise<{ res: http.IncomingMessage; body: Buffer } | { retry: true }>((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] });
    const onAbort = () => {
      req.destroy();
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        done();
        resolve({ res, body: Buffer.concat(chunks) });
      });
      res.on('error', (e) => {
        done();
        reject(new TypeError('fetch failed', { cause: e }));
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      done();
      if (signal?.aborted) return; // rejected by onAbort
      // A kept-alive socket the server closed just as it was reused: the request never reached
      // it, so it is sent once more on a fresh connection (what undici does for these too).
      if (req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) resolve({ retry: true });
      else reject(new TypeError('fetch failed', { cause: e }));
    });
    req.end(body);
  });
}

/** A fetch for small JSON calls to a model provider (see the file comment). */
export const modelFetch: typeof fetch = async (input, init = {}) => {
  const body = init.body;
  if (typeof input !== 'string' && !(input instanceof URL)) return fetch(input, init);
  if (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) return fetch(input, init);
  const signal = init.signal;
  if (signal?.aborted) throw abortReason(signal);
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
  const headers = headerRecord(init.headers);
  headers['accept-encoding'] = 'identity';
  if (body != null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  const method = (init.method ?? 'GET').toUpperCase();
  let r = await once(url, method, headers, body ?? undefined, signal);
  if ('retry' in r) r = await once(url, method, headers, body ?? undefined, signal);
  if ('retry' in r) throw new TypeError('fetch failed', { cause: new Error('the connection was reset twice') });
  const { res } = r;
  const status = res.statusCode ?? 0;
  if (REDIRECTS.has(status) && res.headers.location) return fetch(input, init);
  const responseHeaders = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const k = res.rawHeaders[i].toLowerCase();
    if (k !== 'content-encoding' && k !== 'content-length') responseHeaders.append(k, res.rawHeaders[i + 1]);
  }
  const decoded = decode(r.body, res.headers['content-encoding']);
  const nullBody = status === 204 || status === 205 || status === 304 || method === 'HEAD';
  return new Response(nullBody ? null : new Uint8Array(decoded), { status, statusText: res.statusMessage ?? '', headers: responseHeaders });
};
