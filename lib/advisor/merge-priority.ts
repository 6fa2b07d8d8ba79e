// The live merge runs beside the decision API on the same cores. It is background work that may
// wait (a batch merged 100 ms later loses nothing), while every millisecond of CPU it takes from
// the answers shows in their p95. So the worker's merge runs on a connection of its own whose
// PostgreSQL backend gets a lower OS priority (a higher nice value): when the cores are busy the
// scheduler runs the answers' processes first, and the merge takes what they leave.
//
// Only where that is clean: the backend must be a process on this host serving this very
// connection (a local server, as the embedded one is; not a remote one, and not a pooler's
// shared backend, whose other clients would be slowed too), and the OS must let us (Linux lets
// a process raise the nice value of its own user's processes; root may renice any). Otherwise
// the merge runs as before and the worker says why once. LIVE_MERGE_NICE (README "Settings").
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { z } from 'zod';

const DEFAULT_NICE = 10;

/** LIVE_MERGE_NICE: 0 (off) to 19; default 10. */
export function liveMergeNice(): number {
  const raw = process.env.LIVE_MERGE_NICE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_NICE;
  const r = z.coerce.number().int().min(0).max(19).safeParse(raw.trim());
  if (!r.success) throw new Error(`LIVE_MERGE_NICE must be a whole number from 0 (off) to 19 (got "${raw}")`);
  return r.data;
}

// The local TCP port of the client's socket (pg keeps the socket as connection.stream); null on
// a Unix socket or if pg ever stops exposing it.
function localPort(client: pg.Client): number | null {
  const stream = (client as unknown as { connection?: { stream?: { localPort?: unknown } } }).connection?.stream;
  return typeof stream?.localPort === 'number' ? stream.localPort : null;
}

function isLocalPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false; // not on this host (or no /proc)
  }
}

/**
 * Lowers the OS priority of the backend serving `client` to `nice` where that is clean (see the
 * top of this file). Never throws for a refusal: returns what it did, for the worker's log.
 */
export async function lowerBackendPriority(client: pg.Client, nice = liveMergeNice()): Promise<string> {
  if (nice === 0) return 'live merge at normal priority (LIVE_MERGE_NICE=0)';
  const { rows } = await client.query<{ pid: number; port: number | null; local: boolean }>(
    `SELECT pg_backend_pid() AS pid, inet_client_port() AS port,
            coalesce(host(inet_server_addr()) IN ('127.0.0.1', '::1'), true) AS local`,
  );
  const { pid, port, local } = rows[0];
  const ours = localPort(client);
  // A pooler in between answers with a backend whose client is the pooler, not this socket.
  const direct = port === null ? ours === null : port === ours;
  if (!local || !direct || !isLocalPostgres(pid)) {
    return 'live merge at normal priority: its PostgreSQL backend is not a local process serving this connection alone';
  }
  try {
    if (os.getPriority(pid) < nice) os.setPriority(pid, nice);
    const group = lowerAutogroup(pid, nice);
    return `live merge's PostgreSQL backend (pid ${pid}) at nice ${os.getPriority(pid)}${group} (LIVE_MERGE_NICE)`;
  } catch (e) {
    return `live merge at normal priority: renicing its PostgreSQL backend was refused (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

// With Linux's autogroup scheduling (/proc/sys/kernel/sched_autogroup_enabled, on by default on
// most desktops and on these machines), the CPU is shared between sessions first and a nice value
// only weighs within its session. Every PostgreSQL backend starts a session of its own (setsid),
// so a reniced backend alone would still get as much CPU as any other backend or the Studio's
// process: its session's autogroup must be reniced too (sched(7), /proc/<pid>/autogroup). Only
// when the backend leads its session, so the group holds nothing else.
function lowerAutogroup(pid: number, nice: number): string {
  let enabled: string;
  try {
    enabled = fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim();
  } catch {
    return ''; // no autogroups here: the nice value alone decides
  }
  if (enabled !== '1') return '';
  const session = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[3]);
  if (session !== pid) return ', its session shared (autogroup left alone)';
  const current = /nice (-?\d+)/.exec(fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8'))?.[1];
  if (current === undefined || Number(current) < nice) fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  return `, its autogroup at nice ${nice}`;
}
