// Runs a TypeScript entry point as a child process (worker, local trainer) with the same
// environment, and restarts it after a crash so one bad job cannot stop background work. A
// service that keeps dying at once (its database is being restarted, say) is retried less and
// less often, up to every 30 s, instead of spinning.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const HEALTHY_AFTER_MS = 30_000;

export function superviseService(name: string, entry: string, env: NodeJS.ProcessEnv = process.env) {
  let child: ChildProcess | null = null;
  let stopping = false;
  let quickDeaths = 0;
  const start = () => {
    const startedAt = Date.now();
    // `node --import tsx` rather than the tsx CLI, which would add a process in between that
    // does not pass every signal on.
    child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      quickDeaths = Date.now() - startedAt < HEALTHY_AFTER_MS ? quickDeaths + 1 : 0;
      const delay = Math.min(2_000 * 2 ** Math.max(0, quickDeaths - 1), 30_000);
      console.error(`[${name}] exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(() => !stopping && start(), delay);
    });
  };
  start();
  return {
    async stop() {
      stopping = true;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}
