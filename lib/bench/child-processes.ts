// The Studio's processes as a benchmark starts them: the local trainer and the worker, each a
// child process running its CLI (as `npm start` does), ready once it prints its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function startCli(
  script: string,
  env: Record<string, string | undefined>,
  ready: RegExp,
  name: string,
  echo: (line: string) => void,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const cli = fileURLToPath(new URL(script, import.meta.url));
  // BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there when it stops (--cpu-prof).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', cli], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let found = false;
    child.stdout!.on('data', (c: Buffer) => {
      const text = c.toString();
      for (const line of text.split('\n')) if (line.trim()) echo(line);
      if (found) return;
      out += text;
      const m = ready.exec(out);
      if (m) {
        found = true;
        resolve({ child, match: m });
      }
    });
    child.once('exit', (code) => {
      if (!found) reject(new Error(`${name} exited (${code}) before it was ready:\n${out}`));
    });
  });
}

/** A fresh local trainer (`lib/local-trainer/cli.ts`) on a free port with its own data dir. */
export async function startTrainerProcess(
  dataDir: string,
  apiKey: string,
  echo: (line: string) => void = () => {},
): Promise<{ child: ChildProcess; url: string }> {
  const { child, match } = await startCli(
    '../local-trainer/cli.ts',
    { TRAINER_PORT: '0', TRAINER_DATA_DIR: dataDir, TRAINER_API_KEY: apiKey, TRAINER_FAULTS: '' },
    /ready on (http:\/\/\S+)/,
    'trainer',
    echo,
  );
  return { child, url: match[1] };
}

/** The worker (`lib/cli/worker.ts`) against DATABASE_URL, with `env` added. */
export async function startWorkerProcess(env: Record<string, string | undefined>, echo: (line: string) => void = () => {}): Promise<ChildProcess> {
  const { child } = await startCli('../cli/worker.ts', env, /\[worker\] ready/, 'worker', echo);
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
