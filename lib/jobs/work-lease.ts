// One holder at a time for a named piece of work, across every process and host: a row in
// work_leases taken by one atomic upsert (free, or its lease ran out), renewed while the work
// runs and deleted at the end. A holder that dies keeps the name only until its lease runs out.
// Every step is one autocommitted statement on the database's clock: no session state (so it
// holds behind PgBouncer in transaction mode, where a session advisory lock does not) and no
// clock skew between hosts. Unlike a lock held by an open transaction, the work itself may
// take many transactions and as long as it needs.
import crypto from 'node:crypto';
import { db } from '../db';

const DEFAULT_LEASE_MS = 30_000;

export interface LeaseOptions {
  /** How long the lease lasts without renewal (renewed every third of it). */
  leaseMs?: number;
  /** Shown to whoever waits for the lease (e.g. which version a dataset build is building). */
  note?: string;
}

export interface HeldLease {
  readonly name: string;
  /** False once a renewal found the lease taken over (it ran out while this holder stalled). */
  readonly held: boolean;
  /** Renews now and throws LeaseLostError unless this holder still has the lease: call before an action that must not happen twice. */
  assertHeld(): Promise<void>;
}

export class LeaseLostError extends Error {
  constructor(name: string) {
    super(`lost the lease on ${name} (it ran out while this process stalled); another process may have taken the work over`);
    this.name = 'LeaseLostError';
  }
}

export interface LeaseHolder {
  note: string | null;
  leaseUntil: Date;
}

const secs = (ms: number) => ms / 1000;

async function tryTake(name: string, holder: string, leaseMs: number, note: string | null): Promise<boolean> {
  const rows = await db().$queryRaw<{ holder: string }[]>`
    INSERT INTO work_leases AS w (name, holder, note, lease_until)
    VALUES (${name}, ${holder}, ${note}, now() + make_interval(secs => ${secs(leaseMs)}::float8))
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, note = excluded.note, lease_until = excluded.lease_until
      WHERE w.lease_until < now()
    RETURNING w.holder`;
  return rows[0]?.holder === holder;
}

async function renew(name: string, holder: string, leaseMs: number): Promise<boolean> {
  const n = await db().$executeRaw`
    UPDATE work_leases SET lease_until = now() + make_interval(secs => ${secs(leaseMs)}::float8)
     WHERE name = ${name} AND holder = ${holder}`;
  return n === 1;
}

async function release(name: string, holder: string): Promise<void> {
  await db().$executeRaw`DELETE FROM work_leases WHERE name = ${name} AND holder = ${holder}`;
}

/** Who holds `name` right now, or null when it is free. */
export async function leaseHolder(name: string): Promise<LeaseHolder | null> {
  const rows = await db().$queryRaw<LeaseHolder[]>`
    SELECT note, lease_until AS "leaseUntil" FROM work_leases WHERE name = ${name} AND lease_until >= now()`;
  return rows[0] ?? null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runHolding<T>(name: string, holder: string, leaseMs: number, fn: (lease: HeldLease) => Promise<T>): Promise<T> {
  let held = true;
  const lease: HeldLease = {
    name,
    get held() {
      return held;
    },
    async assertHeld() {
      held = held && (await renew(name, holder, leaseMs));
      if (!held) throw new LeaseLostError(name);
    },
  };
  const renewal = setInterval(() => {
    void renew(name, holder, leaseMs)
      .then((ok) => {
        if (!ok) held = false;
      })
      // A failed renewal (database hiccup) is tried again at the next tick; the lease lasts three.
      .catch(() => {});
  }, leaseMs / 3);
  try {
    return await fn(lease);
  } finally {
    clearInterval(renewal);
    if (held) await release(name, holder).catch(() => {});
  }
}

/**
 * Runs `fn` holding the lease on `name`, waiting for it (polling with jitter) while another
 * process holds it; `onWait` is told once who holds it, when it is not free at first.
 */
export async function withWorkLease<T>(
  name: string,
  fn: (lease: HeldLease) => Promise<T>,
  opts: LeaseOptions & { onWait?: (holder: LeaseHolder | null) => unknown } = {},
): Promise<T> {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const holder = `${process.pid}:${crypto.randomUUID()}`;
  for (let wait = 25, told = false; ; wait = Math.min(1_000, wait * 2)) {
    if (await tryTake(name, holder, leaseMs, opts.note ?? null)) break;
    if (!told) {
      told = true;
      await opts.onWait?.(await leaseHolder(name));
    }
    await sleep(wait / 2 + Math.random() * wait);
  }
  return runHolding(name, holder, leaseMs, fn);
}

/** Runs `fn(lease)` holding the lease when it is free right now, else `fn(null)` without it. */
export async function tryWorkLease<T>(name: string, fn: (lease: HeldLease | null) => Promise<T>, opts: LeaseOptions = {}): Promise<T> {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const holder = `${process.pid}:${crypto.randomUUID()}`;
  if (!(await tryTake(name, holder, leaseMs, opts.note ?? null))) return fn(null);
  return runHolding(name, holder, leaseMs, fn);
}
