// Where a local PostgreSQL server's CPU goes, per backend, read from /proc (Linux): each backend's
// process title names its kind ("walwriter", "autovacuum worker") or, for a client connection,
// the client's address and port; the port is matched to the process holding that socket, so a
// connection's CPU is charged to the Studio, the worker or the benchmark. Backends that exit
// during a run are counted together (the postmaster reaps their CPU time).
import fs from 'node:fs';
import path from 'node:path';
import { statTimes as stat, TICKS_PER_SECOND } from './server-cpu';

function title(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Local TCP port → socket inode, for the sockets connected to `serverPort` (a client's local port may also serve other connections). */
function socketInodes(serverPort: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || parseInt(f[2].split(':')[1], 16) !== serverPort) continue;
      out.set(parseInt(f[1].split(':')[1], 16), f[9]);
    }
  }
  return out;
}

/** Socket inode → pid of the process holding it, over the given processes. */
function inodeOwners(pids: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) out.set(m[1], pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return out;
}

/** CPU ticks per group ("studio connections", "walwriter", …) now. `owners`: client process name → its pids. */
export function backendCpuByGroup(dataDir: string, owners: Record<string, number[]>): Record<string, number> {
  let postmaster: number;
  let serverPort: number;
  try {
    // postmaster.pid: pid, data directory, start time, port, …
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    postmaster = Number(lines[0]);
    serverPort = Number(lines[3]);
  } catch {
    return {};
  }
  const main = stat(postmaster);
  if (!main) return {};
  const out: Record<string, number> = { 'postmaster + exited backends': main.self + main.children };
  const ports = socketInodes(serverPort);
  const ownerOf = new Map<number, string>();
  for (const [name, pids] of Object.entries(owners)) for (const pid of pids) ownerOf.set(pid, name);
  const inodes = inodeOwners(Object.values(owners).flat());
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const t = stat(pid);
    if (!t || t.ppid !== postmaster) continue;
    const name = title(pid);
    // A client backend's title: "postgres: <user> <db> 127.0.0.1(<client port>) <state>".
    const client = /\((\d+)\)/.exec(name);
    let group = name.replace(/^postgres:\s*/, '').split(' ')[0] || 'backend';
    if (client) {
      const inode = ports.get(Number(client[1]));
      const holder = inode ? inodes.get(inode) : undefined;
      group = `connections of ${(holder && ownerOf.get(holder)) ?? 'another process'}`;
    } else if (/autovacuum worker/.test(name)) group = 'autovacuum worker';
    out[group] = (out[group] ?? 0) + t.self;
  }
  return out;
}

/** The change between two snapshots, in CPU seconds, largest first. */
export function cpuDelta(before: Record<string, number>, after: Record<string, number>): [string, number][] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .map((k) => [k, ((after[k] ?? 0) - (before[k] ?? 0)) / TICKS_PER_SECOND] as [string, number])
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1]);
}
