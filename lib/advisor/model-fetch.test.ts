// modelFetch against a real HTTP server, alone and under the `openai` SDK: the SDK must see
// the same answers, errors and timeouts as with the global fetch.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFetch } from './model-fetch';

let server: http.Server;
let base: string;
const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
const requestsPerSocket = new WeakMap<object, number>();

const completion = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'END' }, logprobs: null }],
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const n = (requestsPerSocket.get(req.socket) ?? 0) + 1;
      requestsPerSocket.set(req.socket, n);
      if (req.url === '/v1/reset-reused' && n > 1) return req.socket.destroy(); // a kept-alive socket dropped on reuse
      if (req.url?.startsWith('/v1/hang')) return; // never answers
      if (req.url?.startsWith('/v1/fail')) {
        res.writeHead(500, { 'content-type': 'application/json', 'x-request-id': 'r1' });
        return res.end(JSON.stringify({ error: { message: 'the model is down', code: 'boom' } }));
      }
      if (req.url === '/v1/empty') {
        res.writeHead(204);
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': 'yes' });
      res.end(req.url === '/v1/chat/completions' ? JSON.stringify(completion) : JSON.stringify({ got: body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('modelFetch', () => {
  it('sends the method, headers and body, and answers a standard Response', async () => {
    const res = await modelFetch(`${base}/v1/echo`, { method: 'post', headers: { 'Content-Type': 'application/json', 'X-Key': 'k' }, body: '{"a":"é"}' });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(await res.json()).toEqual({ got: '{"a":"é"}' });
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.headers['x-key']).toBe('k');
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
  });

  it('gives a null body for 204', async () => {
    const res = await modelFetch(`${base}/v1/empty`, { method: 'POST', body: '' });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('sends a request again when a reused keep-alive socket turns out closed', async () => {
    const first = await modelFetch(`${base}/v1/reset-reused`, { method: 'POST', body: '1' });
    expect(first.status).toBe(200);
    await first.text();
    const second = await modelFetch(`${base}/v1/reset-reused`, { method: 'POST', body: '2' });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ got: '2' });
  });

  it('rejects at once on an aborted signal, with its reason', async () => {
    const c = new AbortController();
    const p = modelFetch(`${base}/v1/hang`, { method: 'POST', body: 'x', signal: c.signal });
    c.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await expect(modelFetch(`${base}/v1/hang`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('modelFetch under the openai SDK', () => {
  const sdk = (baseURL: string, timeout = 2_000) => new OpenAI({ apiKey: 'k', baseURL, maxRetries: 0, timeout, fetch: modelFetch });

  it('gets a chat completion, with the SDK headers sent', async () => {
    const c = await sdk(`${base}/v1`).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(c.choices[0].message.content).toBe('END');
    const last = seen.at(-1)!;
    expect(last.headers.authorization).toBe('Bearer k');
    expect(JSON.parse(last.body)).toMatchObject({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
  });

  it("turns an error status into the SDK's APIError with the provider's message", async () => {
    const client = sdk(`${base}/v1/fail`);
    const e = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.InternalServerError);
    expect((e as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect((e as Error).message).toContain('the model is down');
    expect((e as InstanceType<typeof OpenAI.APIError>).headers?.get('x-request-id')).toBe('r1');
  });

  it('times out as the SDK does with its own fetch', async () => {
    const e = await sdk(`${base}/v1/hang`, 150)
      .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('fails to connect as a connection error', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await sdk(`http://127.0.0.1:${port}/v1`)
      .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.APIConnectionError);
    expect((e as Error & { cause?: { cause?: { code?: string } } }).cause?.cause?.code ?? (e as Error & { cause?: { code?: string } }).cause?.code).toBe(
      'ECONNREFUSED',
    );
  });
});
