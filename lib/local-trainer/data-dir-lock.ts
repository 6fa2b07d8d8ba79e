// One trainer per data directory: two would both resume the same in-flight jobs and write the
// same files. The lock is a file naming its owner by pid *and* that process's start time: a pid
// alone proves nothing once the owner is gone (after a container restart PIDs start low again
// and the number soon belongs to some unrelated process), so a lock whose process is not the
// one that wrote it is stale and taken over.
import fs from 'node:fs';
import path from 'node:path';
import { processAlive, processStartTicks } from '../process-identity';

const heldHere = new Set<string>();

interface LockOwner {
  pid: number;
  /** Clock ticks since boot when the owner started (/proc/<pid>/stat field 22); null off Linux. */
  start: number | null;
  bootId: string | null;
}

function readOr<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

const bootId = () => readOr(() => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), null);

function me(): LockOwner {
  return { pid: process.pid, start: processStartTicks(process.pid), bootId: bootId() };
}

function parse(text: string): LockOwner | null {
  const trimmed = text.trim();
  // Locks written before start times were recorded hold just the pid.
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), start: null, bootId: null };
  const v = readOr(() => JSON.parse(trimmed) as Partial<LockOwner>, null);
  return v && Number.isInteger(v.pid) ? { pid: v.pid!, start: v.start ?? null, bootId: v.bootId ?? null } : null;
}

/** Whether the lock's owner is still the very process that wrote it. */
export function lockOwnerAlive(owner: LockOwner): boolean {
  if (!processAlive(owner.pid)) return false;
  if (!fs.existsSync('/proc/self/stat')) return true; // no way to tell more off Linux
  if (owner.start === null) {
    // An old-style lock: only a Node process can be a trainer.
    const argv0 = readOr(() => fs.readFileSync(`/proc/${owner.pid}/cmdline`, 'utf8'), '').split('\0')[0];
    return path.basename(argv0).startsWith('node');
  }
  return owner.start === processStartTicks(owner.pid) && (owner.bootId === null || owner.bootId === bootId());
}

/** Returns the release function; throws when another live trainer owns `dataDir`. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'trainer.lock');
  fs.mkdirSync(dataDir, { recursive: true });
  if (heldHere.has(file)) throw new Error(`another trainer in this process already uses ${dataDir}`);
  if (fs.existsSync(file)) {
    const owner = parse(readOr(() => fs.readFileSync(file, 'utf8'), ''));
    if (owner && owner.pid !== process.pid && lockOwnerAlive(owner)) {
      throw new Error(`another trainer (pid ${owner.pid}) already uses ${dataDir}; stop it or set TRAINER_DATA_DIR to another directory`);
    }
  }
  fs.writeFileSync(file, JSON.stringify(me()));
  heldHere.add(file);
  return () => {
    heldHere.delete(file);
    fs.rmSync(file, { force: true });
  };
}
