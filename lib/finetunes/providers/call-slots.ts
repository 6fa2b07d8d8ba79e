// A global cap on concurrent fine-tune calls to each provider, across every worker (and CLI)
// process: a semaphore of rows in provider_call_slots. A call takes a free row whose slot
// number is below the cap (one UPDATE … FOR UPDATE SKIP LOCKED, so two takers never get the
// same row), renews its lease while it runs, and frees the row at the end. A holder that dies
// keeps its row only until the lease runs out. Every step is one autocommitted statement and
// leases use the database's clock, so it holds with many hosts and behind PgBouncer in
// transaction mode (no session advisory locks, no clock skew).
import crypto from 'node:crypto';
import { z } from 'zod';
import { db } from '../../db';
import { FineTuneProviderError } from '../errors';
import { PROVIDER_NAMES, type ProviderId } from '../provider-ids';

export const DEFAULT_PROVIDER_CONCURRENCY = 4;
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_WAIT_MS = 60_000;

function envInt(name: string, min: number, max: number): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const r = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!r.success) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return r.data;
}

/** FINETUNE_PROVIDER_CONCURRENCY_<PROVIDER> (e.g. _OPENAI), else FINETUNE_PROVIDER_CONCURRENCY, else 4. */
export function providerConcurrency(provider: ProviderId): number {
  return (
    envInt(`FINETUNE_PROVIDER_CONCURRENCY_${provider.toUpperCase()}`, 1, 1000) ??
    envInt('FINETUNE_PROVIDER_CONCURRENCY', 1, 1000) ??
    DEFAULT_PROVIDER_CONCURRENCY
  );
}

export interface SlotOptions {
  cap?: number;
  /** How long a holder keeps its row without renewing (renewed every third of it). */
  leaseMs?: number;
  /** How long to wait for a free row before giving up (a transient failure: the step retries). */
  waitMs?: number;
}

const ensured = new Set<string>();

async function ensureSlots(provider: string, cap: number): Promise<void> {
  const key = `${provider}:${cap}`;
  if (ensured.has(key)) return;
  await db().$executeRaw`
    INSERT INTO provider_call_slots (provider, slot)
    SELECT ${provider}, g FROM generate_series(0, ${cap}::int - 1) AS g
    ON CONFLICT DO NOTHING`;
  ensured.add(key);
}

async function tryAcquire(provider: string, cap: number, holder: string, leaseMs: number): Promise<number | null> {
  const rows = await db().$queryRaw<{ slot: number }[]>`
    UPDATE provider_call_slots AS s
       SET holder = ${holder}, lease_until = now() + make_interval(secs => ${leaseMs / 1000}::float8)
     WHERE (s.provider, s.slot) = (
       SELECT provider, slot FROM provider_call_slots
        WHERE provider = ${provider} AND slot < ${cap}::int AND (holder IS NULL OR lease_until < now())
        ORDER BY slot
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING s.slot`;
  return rows[0]?.slot ?? null;
}

async function renew(provider: string, slot: number, holder: string, leaseMs: number): Promise<void> {
  await db().$executeRaw`
    UPDATE provider_call_slots SET lease_until = now() + make_interval(secs => ${leaseMs / 1000}::float8)
     WHERE provider = ${provider} AND slot = ${slot}::int AND holder = ${holder}`;
}

async function release(provider: string, slot: number, holder: string): Promise<void> {
  await db().$executeRaw`
    UPDATE provider_call_slots SET holder = NULL, lease_until = NULL
     WHERE provider = ${provider} AND slot = ${slot}::int AND holder = ${holder}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` holding one of the provider's call slots, waiting (polling with jitter) for one to be free. */
export async function withCallSlot<T>(provider: ProviderId, fn: () => Promise<T>, opts: SlotOptions = {}): Promise<T> {
  const cap = opts.cap ?? providerConcurrency(provider);
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  await ensureSlots(provider, cap);
  const holder = `${process.pid}:${crypto.randomUUID()}`;
  const giveUpAt = Date.now() + waitMs;
  let slot: number | null = null;
  for (let wait = 25; ; wait = Math.min(500, wait * 2)) {
    slot = await tryAcquire(provider, cap, holder, leaseMs);
    if (slot !== null) break;
    if (Date.now() >= giveUpAt) {
      throw new FineTuneProviderError(
        `All ${cap} concurrent call slots for ${PROVIDER_NAMES[provider]} stayed busy for ${Math.round(waitMs / 1000)} s (FINETUNE_PROVIDER_CONCURRENCY caps them across all workers).`,
        true,
      );
    }
    await sleep(wait / 2 + Math.random() * wait);
  }
  const held = slot;
  const renewal = setInterval(() => void renew(provider, held, holder, leaseMs).catch(() => {}), Math.max(50, leaseMs / 3));
  try {
    return await fn();
  } finally {
    clearInterval(renewal);
    await release(provider, held, holder).catch(() => {});
  }
}

/**
 * `fetch` that holds a call slot from sending the request until the whole answer is read (the
 * body is buffered, so a slow reader cannot stretch the call beyond the cap's view of it).
 */
export function cappedFetch(provider: ProviderId, opts: SlotOptions = {}, inner: typeof fetch = fetch): typeof fetch {
  return (input, init) =>
    withCallSlot(
      provider,
      async () => {
        const res = await inner(input, init);
        const body = res.status === 204 || res.status === 304 ? null : await res.arrayBuffer();
        return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
      },
      opts,
    );
}

/** Calls holding a slot of `provider` right now (for tests and the admin view). */
export async function busyCallSlots(provider: ProviderId): Promise<number> {
  const [{ n }] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM provider_call_slots WHERE provider = ${provider} AND holder IS NOT NULL AND lease_until >= now()`;
  return n;
}
