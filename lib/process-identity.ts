// Is a PID still the process that wrote it down? Shared by the embedded PostgreSQL's
// postmaster.pid check and the local trainer's lock (no domain imports: the trainer uses it).
import fs from 'node:fs';

/** The process exists (EPERM: it exists, but is another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Clock ticks since boot when the process started (/proc/<pid>/stat field 22); null off Linux. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}
