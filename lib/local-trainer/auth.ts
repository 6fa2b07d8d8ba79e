// Bearer-token auth with OpenAI's 401 bodies, and the trainer's key: TRAINER_API_KEY, or one
// generated on first start and kept in <dataDir>/api-key so the Studio's config survives restarts.
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors';
import { randomBase62 } from './ids';

export function loadOrCreateApiKey(dataDir: string): { key: string; created: boolean } {
  const file = path.join(dataDir, 'api-key');
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, 'utf8').trim();
    if (key) return { key, created: false };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = `sk-local-${randomBase62(40)}`;
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, created: true };
}

function mask(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}***${key.slice(-4)}`;
}

export function checkBearer(req: IncomingMessage, apiKey: string): void {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  if (!m) {
    throw new ApiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      { type: 'invalid_request_error', code: 'missing_api_key' },
    );
  }
  const given = Buffer.from(m[1].trim());
  const expected = Buffer.from(apiKey);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(401, `Incorrect API key provided: ${mask(m[1].trim())}.`, { type: 'invalid_request_error', code: 'invalid_api_key' });
  }
}
