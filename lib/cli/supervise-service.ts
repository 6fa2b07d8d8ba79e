// Runs a TypeScript entry point as a child process (worker, local trainer) with the same
// environment, and restarts it after a crash so one bad job cannot stop background work.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export function superviseService(name: string, entry: string, env: NodeJS.ProcessEnv = process.env) {
  let child: ChildProcess | null = null;
  let stopping = false;
  const start = () => {
    // `node --import tsx` rather than the tsx CLI, which would add a process in between that
    // does not pass every signal on.
    child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`[${name}] exited (${signal ?? code}); restarting in 2 s`);
      setTimeout(() => !stopping && start(), 2_000);
    });
  };
  start();
  return {
    async stop() {
      stopping = true;
      if (!child || child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}
