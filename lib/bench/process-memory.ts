// Memory and CPU time of the processes a benchmark drives, read from /proc (Linux): a process's
// RSS, the summed RSS of its process tree, PostgreSQL's proportional set size (its backends share
// the buffer pool, so summing their RSS would count it once per backend), and the CPU seconds
// each spent — on a machine shared with other work, CPU time says where a step's work goes
// better than wall time does.
import fs from 'node:fs';

export function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Pss (kB) of one process: its private pages plus its share of those it shares. */
function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Parent → children of every process now running (one pass over /proc). */
export function processChildren(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the ppid is the second field after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** `root` and every process descended from it. */
export function processTree(root: number, children: Map<number, number[]> = processChildren()): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

export interface TrackedProcess {
  name: string;
  pid: number;
  /**
   * 'self': the process's own RSS (a process whose children are tracked apart); 'rss': summed RSS
   * of the tree (Node processes); 'pss': summed Pss of the tree (PostgreSQL).
   */
  measure: 'self' | 'rss' | 'pss';
}

/** Current memory in MB of a tracked process (tree). */
export function memoryMb(p: TrackedProcess, children?: Map<number, number[]>): number {
  if (p.measure === 'self') return (procKb(p.pid, 'VmRSS') || 0) / 1024;
  const pids = processTree(p.pid, children);
  const kb = pids.reduce((s, pid) => s + (p.measure === 'pss' ? pssKb(pid) : procKb(pid, 'VmRSS') || 0), 0);
  return kb / 1024;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds used so far (user + system): by the process alone ('self'), or by its tree and the children it reaped. */
export function cpuSeconds(p: TrackedProcess, children?: Map<number, number[]>): number {
  const pids = p.measure === 'self' ? [p.pid] : processTree(p.pid, children);
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14-17 of stat(5): utime, stime, cutime, cstime (f[0] is field 3).
      ticks += Number(f[11]) + Number(f[12]);
      if (pid === p.pid && p.measure !== 'self') ticks += Number(f[13]) + Number(f[14]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * Samples every tracked process each `everyMs` while `fn` runs and returns the peak of each (MB).
 * The process list is read at each sample, so a process started during `fn` is picked up.
 */
export async function withPeakMemory<T>(
  processes: () => TrackedProcess[],
  fn: () => Promise<T>,
  everyMs = 500,
): Promise<{ result: T; seconds: number; peakMb: Record<string, number>; cpuSeconds: Record<string, number> }> {
  const peakMb: Record<string, number> = {};
  const cpuStart = new Map<string, number>();
  const cpu: Record<string, number> = {};
  const sample = () => {
    // One pass over /proc per sample, shared by every tracked process: the sampler's own CPU is
    // part of this process's figure, and should stay small beside the work measured.
    const children = processChildren();
    for (const p of processes()) {
      peakMb[p.name] = Math.max(peakMb[p.name] ?? 0, memoryMb(p, children));
      const c = cpuSeconds(p, children);
      if (!cpuStart.has(p.name)) cpuStart.set(p.name, c);
      cpu[p.name] = c - cpuStart.get(p.name)!;
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  const t = performance.now();
  try {
    const result = await fn();
    sample();
    return { result, seconds: (performance.now() - t) / 1000, peakMb, cpuSeconds: cpu };
  } finally {
    clearInterval(timer);
  }
}
