// Small pieces for running the PostgreSQL binaries as child processes.
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { OsUser } from './os-user';

// Routine chatter stays out of the console (the clients' own errors are theirs to report, and
// clients turned away while the server starts or stops are expected); trouble with the server
// itself, and crash recovery, are shown.
export function worthShowing(line: string): boolean {
  if (/not yet accepting connections|is starting up|is shutting down|terminating connection due to administrator command/.test(line)) return false;
  return / (FATAL|PANIC):|terminated by signal|database system was (interrupted|not properly shut down)|could not (bind|create)/.test(line);
}

// The server gets no secrets from our environment: only what it needs to run.
export function serverEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', ...(process.env.TZ ? { TZ: process.env.TZ } : {}) };
  return env as NodeJS.ProcessEnv;
}

export function run(file: string, args: string[], user: OsUser | null): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(user ?? {}), cwd: '/', env: serverEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += String(c)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
