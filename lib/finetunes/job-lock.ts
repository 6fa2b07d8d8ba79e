// One launcher per run at a time, across processes and hosts (workers, the CLI's --wait): a
// work lease named for the run (lib/jobs/work-lease.ts). It used to be a session advisory lock
// on a connection of its own, which PgBouncer in transaction mode does not keep (the lock lands
// on whichever server connection ran the statement). A launcher that dies holds the run only
// until its lease runs out; the launch step's look for an already created provider job (by
// idempotency key) is what keeps even a stalled launcher, whose lease ran out, from creating twice.
import { tryWorkLease, withWorkLease, type HeldLease } from '../jobs/work-lease';

const leaseName = (jobId: number) => `finetune-launch:${jobId}`;

/** Runs `fn` holding the run's launch lease, waiting for it if another process has it. */
export function withLaunchLock<T>(jobId: number, fn: (lease: HeldLease) => Promise<T>): Promise<T> {
  return withWorkLease(leaseName(jobId), fn);
}

/** Runs `fn(true)` holding the lease when it is free right now, else `fn(false)` without it. */
export function tryLaunchLock<T>(jobId: number, fn: (locked: boolean) => Promise<T>): Promise<T> {
  return tryWorkLease(leaseName(jobId), (lease) => fn(lease !== null));
}
