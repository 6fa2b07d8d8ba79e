// CPU seconds a local PostgreSQL server has used (the postmaster, its live backends and the
// children it has reaped), read from /proc: on a machine shared with other work, wall time says
// more about the neighbours than about us, and CPU time does not. Linux only; null elsewhere.
import fs from 'node:fs';
import path from 'node:path';

export const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function statTimes(pid: number): { ppid: number; self: number; children: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the "(comm)" which may itself hold spaces or parentheses.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** Total CPU seconds of the server whose data directory is `dataDir`, or null when it cannot be read. */
export function serverCpuSeconds(dataDir: string): number | null {
  let postmaster: number;
  try {
    postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  const main = statTimes(postmaster);
  if (!main) return null;
  let ticks = main.self + main.children;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = statTimes(Number(entry));
    if (t && t.ppid === postmaster) ticks += t.self;
  }
  return ticks / TICKS_PER_SECOND;
}
