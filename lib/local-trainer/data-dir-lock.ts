// One trainer per data directory: two would both resume the same in-flight jobs and write the
// same files. The lock is a file holding the owner's pid; a lock left by a dead process is taken over.
import fs from 'node:fs';
import path from 'node:path';

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Returns the release function; throws when another live trainer owns `dataDir`. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'trainer.lock');
  fs.mkdirSync(dataDir, { recursive: true });
  if (heldHere.has(file)) throw new Error(`another trainer in this process already uses ${dataDir}`);
  if (fs.existsSync(file)) {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
      throw new Error(`another trainer (pid ${pid}) already uses ${dataDir}; stop it or set TRAINER_DATA_DIR to another directory`);
    }
  }
  fs.writeFileSync(file, String(process.pid));
  heldHere.add(file);
  return () => {
    heldHere.delete(file);
    fs.rmSync(file, { force: true });
  };
}
