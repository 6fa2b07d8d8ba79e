// postmaster.pid is the server's own record of who serves a data directory and where. A PID in
// it proves nothing by itself: after a crash and a container restart the number often belongs
// to some other process, and trusting it would leave the Studio talking to nobody. So the file
// counts only when /proc says that process really is the postmaster of this directory.
import fs from 'node:fs';
import path from 'node:path';
import { processAlive, processStartTicks } from '../../process-identity';

export interface PostmasterPid {
  pid: number;
  dataDir: string;
  /** Unix time (s) the postmaster started, as it wrote it. */
  startedAt: number;
  port: number;
  /** "starting", "ready", "stopping" or "standby" once written; "" before. */
  status: string;
}

export function postmasterPidFile(dataDir: string): string {
  return path.join(dataDir, 'postmaster.pid');
}

/** The parsed file, or null when there is none or it is unreadable / half-written. */
export function readPostmasterPid(dataDir: string): PostmasterPid | null {
  let text: string;
  try {
    text = fs.readFileSync(postmasterPidFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  // Layout (src/include/utils/pidfile.h): pid, data dir, start time, port, socket dir,
  // listen address, shared memory key, status.
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !lines[1]) return null;
  return {
    pid,
    dataDir: lines[1] ?? '',
    startedAt: Number(lines[2]),
    port: Number(lines[3]),
    status: (lines[7] ?? '').trim(),
  };
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Unix time (s, fractional) the process started, from /proc; null where that is not readable. */
export function processStartTime(pid: number): number | null {
  try {
    const ticks = processStartTicks(pid) ?? NaN;
    const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
    // USER_HZ is 100 on every Linux architecture Node runs on.
    return Number.isFinite(ticks) && Number.isFinite(btime) ? btime + ticks / 100 : null;
  } catch {
    return null;
  }
}

/**
 * Whether `info.pid` is the postmaster serving `dataDir`. The postmaster runs with the data
 * directory as its working directory, which is the strongest test; where /proc/<pid>/cwd is
 * not ours to read, its command line (`postgres -D <dir>`) and start time have to agree.
 * Without /proc (not Linux) a live PID is all we can check.
 */
export function isPostmasterOf(info: PostmasterPid, dataDir: string): boolean {
  if (info.pid === process.pid || !processAlive(info.pid)) return false;
  if (!fs.existsSync('/proc/self/stat')) return true;
  const want = realpath(dataDir);
  if (realpath(info.dataDir) !== want) return false;
  try {
    return realpath(fs.readlinkSync(`/proc/${info.pid}/cwd`).replace(/ \(deleted\)$/, '')) === want;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // exited meanwhile
  }
  let args: string[];
  try {
    args = fs.readFileSync(`/proc/${info.pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const d = args.indexOf('-D');
  if (d < 0 || realpath(args[d + 1] ?? '') !== want || !/postgres$/.test(args[0] ?? '')) return false;
  const started = processStartTime(info.pid);
  return started === null || Math.abs(started - info.startedAt) < 3;
}

/** The verified running server of `dataDir`, or null (removing a pid file that lies). */
export function liveServer(dataDir: string): PostmasterPid | null {
  const info = readPostmasterPid(dataDir);
  if (!info) {
    removeBogusPidFile(dataDir);
    return null;
  }
  if (isPostmasterOf(info, dataDir)) return info;
  removeStalePidFile(dataDir, info);
  return null;
}

function removeStalePidFile(dataDir: string, seen: PostmasterPid) {
  // Re-read first: a server starting this very moment may just have written its own file.
  const now = readPostmasterPid(dataDir);
  if (now && (now.pid !== seen.pid || now.startedAt !== seen.startedAt)) return;
  fs.rmSync(postmasterPidFile(dataDir), { force: true });
}

// A file without even a PID and a directory is one being written right now, or the remains of a
// crash in the middle of writing it; PostgreSQL refuses to start over the latter.
function removeBogusPidFile(dataDir: string) {
  const file = postmasterPidFile(dataDir);
  try {
    if (Date.now() - fs.statSync(file).mtimeMs > 10_000) fs.rmSync(file, { force: true });
  } catch {
    // no file
  }
}
