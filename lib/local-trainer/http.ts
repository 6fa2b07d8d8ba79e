// Small node:http helpers: bounded body reading, JSON replies, OpenAI-style errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, invalidRequest } from './errors';

export const MAX_JSON_BYTES = 32 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop reading; the 413 goes out with `connection: close`, which ends the upload.
        req.pause();
        req.removeAllListeners('data');
        reject(new ApiError(413, `Request body exceeds ${limit} bytes`, { code: 'request_too_large', headers: { connection: 'close' } }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const buf = await readBody(req, MAX_JSON_BYTES);
  if (buf.length === 0) return {};
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

export function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : new ApiError(500, 'The server had an error while processing your request.', { type: 'server_error' });
  if (!(e instanceof ApiError)) console.error('[trainer] unexpected error:', e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // The SDK retries 5xx by default; say so explicitly only where a retry cannot help.
  sendJson(res, err.status, err.body(), err.headers);
}
