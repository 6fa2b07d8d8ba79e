// API keys for /api/v1 machine clients. A key is "eas_<prefix>_<secret>": the prefix finds the
// row and is what the admin page shows; only a sha256 of the whole key is stored (the key has
// 190+ bits of randomness, so a fast hash is enough) and it is compared in constant time.
// Rate limits are a token bucket per key in PostgreSQL, so every web process shares them.
import crypto from 'node:crypto';
import { z } from 'zod';
import { assertRole } from '../auth/assert-role';
import type { Actor } from '../auth/session';
import { db } from '../db';
import { ConflictError, InputError, NotFoundError, RateLimitedError } from '../errors';
import { advisorPool } from './pool';
import { DEFAULT_RATE_PER_MINUTE } from './settings';

const KEY_RE = /^eas_([a-z0-9]{10})_([A-Za-z0-9_-]{32,64})$/;

export const apiKeyInputSchema = z.object({
  name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(80, 'name must be at most 80 characters'),
  ratePerMinute: z.coerce
    .number({ error: 'the rate must be a whole number of requests per minute' })
    .int('the rate must be a whole number of requests per minute')
    .min(1, 'the rate must be at least 1 request per minute')
    .max(1_000_000, 'the rate must be at most 1,000,000 requests per minute')
    .default(DEFAULT_RATE_PER_MINUTE),
});
export type ApiKeyInput = z.input<typeof apiKeyInputSchema>;

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export interface CreatedApiKey {
  id: number;
  name: string;
  prefix: string;
  /** The key itself: shown once, never stored. */
  key: string;
}

export async function createApiKey(actor: Actor, input: ApiKeyInput): Promise<CreatedApiKey> {
  assertRole(actor, 'admin');
  const parsed = apiKeyInputSchema.safeParse(input);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  const prefix = crypto.randomBytes(8).toString('hex').slice(0, 10);
  const key = `eas_${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
  const row = await db().apiKey.create({
    data: { name: parsed.data.name, prefix, keyHash: hashKey(key), ratePerMinute: parsed.data.ratePerMinute, createdById: actor.id },
  });
  return { id: row.id, name: row.name, prefix, key };
}

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  ratePerMinute: number;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function listApiKeys(actor: Actor): Promise<ApiKeyRow[]> {
  assertRole(actor, 'admin');
  const rows = await db().apiKey.findMany({ orderBy: { id: 'desc' }, include: { createdBy: { select: { email: true } } } });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    ratePerMinute: r.ratePerMinute,
    createdAt: r.createdAt,
    createdBy: r.createdBy.email,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
  }));
}

export async function revokeApiKey(actor: Actor, id: number): Promise<void> {
  assertRole(actor, 'admin');
  const r = await db().apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (r.count === 0) {
    const exists = await db().apiKey.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw new NotFoundError(`There is no API key #${id}.`);
    throw new ConflictError(`API key #${id} is already revoked.`);
  }
}

// A busy key sends the same string hundreds of times a second: its hash is kept (a few clients'
// keys, bounded), since creating a hash object per request showed in the decision path's profile.
// Only the hash is compared with the database, every request, so a revoked key still fails at once.
const hashes = new Map<string, string>();
function keyHashOf(key: string): string {
  let h = hashes.get(key);
  if (h === undefined) {
    if (hashes.size >= 1_000) hashes.clear();
    hashes.set(key, (h = hashKey(key)));
  }
  return h;
}

/** The caller of a /api/v1 request. */
export interface ApiCaller {
  keyId: number;
  keyName: string;
  /**
   * The advisor serving when the key was checked (read in the same round trip): its id and row
   * version (xmin), null when none was ever promoted. Absent for callers not authenticated here.
   */
  serving?: { id: number; version: string } | null;
}

// One round trip (prisma/migrations/20261203010000_decision_functions): find the live key by
// prefix and, only when the hash matches, take a token from its bucket; the UPDATE re-reads a
// row another request changed meanwhile, so concurrent requests from many processes each see
// the bucket as the previous one left it. A function, so the server plans it once per
// connection; its transaction commits asynchronously (a hot row per key must not wait for a
// WAL flush per request: the bucket is a rate limit, not data).
const AUTH_SQL = 'SELECT * FROM advisor_authenticate($1, $2)';

/**
 * The key's caller, or null for a missing, malformed, unknown or revoked key. Throws
 * RateLimitedError (429 with Retry-After) when the key is over its rate.
 */
export async function authenticateApiKey(key: string): Promise<ApiCaller | null> {
  const m = KEY_RE.exec(key);
  if (!m) return null;
  const hash = keyHashOf(key);
  const { rows } = await advisorPool().query<{
    id: number;
    name: string;
    key_hash: string;
    cap: number;
    tokens: number | null;
    allowed: boolean | null;
    promotion_id: number | null;
    promotion_version: string | null;
  }>(AUTH_SQL, [m[1], hash]);
  const row = rows[0];
  if (!row) return null;
  const stored = Buffer.from(row.key_hash, 'hex');
  const given = Buffer.from(hash, 'hex');
  if (stored.length !== given.length || !crypto.timingSafeEqual(stored, given)) return null;
  if (!row.allowed) {
    const seconds = Math.max(1, Math.ceil(((1 - (row.tokens ?? 0)) * 60) / row.cap));
    throw new RateLimitedError(`This key is over its rate of ${row.cap.toLocaleString('en-US')} requests per minute; try again in ${seconds} s.`, seconds);
  }
  return { keyId: row.id, keyName: row.name, serving: row.promotion_id === null ? null : { id: row.promotion_id, version: row.promotion_version! } };
}
