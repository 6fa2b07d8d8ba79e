// The embedded PostgreSQL as an operator meets it: a private superuser password, loopback only,
// a CLI finding the running server's real port, a postmaster.pid that lies, and a server killed
// with SIGKILL under supervision while the Studio's own clients (Prisma, pg-boss) keep going.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../testing/free-port';
import { readPostmasterPid } from './embedded/postmaster-pid';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

const tmpDirs: string[] = [];
const servers: EmbeddedDatabase[] = [];
const children: ChildProcess[] = [];

function scratch(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-embedded-'));
  // As root the server runs as the postgres user, which must reach its data dir.
  fs.chmodSync(d, 0o755);
  tmpDirs.push(d);
  return d;
}

async function start(dataDir: string, port?: number, extra: { supervise?: boolean } = {}): Promise<EmbeddedDatabase> {
  const s = await startEmbeddedPostgres({ dataDir, port: port ?? (await freePort()), quiet: true, ...extra });
  servers.push(s);
  return s;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

const withPassword = (url: string, password: string) => url.replace(/:\/\/([^:]+):[^@]*@/, `://$1:${password}@`);

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(async () => {
  for (const s of servers.reverse()) await s.stop();
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('a private embedded database', () => {
  it('generates the superuser password into an owner-only file and listens on 127.0.0.1 only', async () => {
    const dir = scratch();
    const s = await start(path.join(dir, 'pg'));
    const file = path.join(dir, 'pg-password');
    const password = fs.readFileSync(file, 'utf8').trim();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(s.url).toContain(`:${password}@127.0.0.1:`);
    const [row] = await query<{ listen: string; sockets: string }>(
      s.url,
      "SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets",
    );
    expect(row).toEqual({ listen: '127.0.0.1', sockets: '' });
    await expect(query(withPassword(s.url, 'studio'), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) await expect(query(s.url.replace('127.0.0.1', external.address), 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('moves a cluster made with the old fixed password to a generated one, keeping its data', async () => {
    const dir = scratch();
    const dataDir = path.join(dir, 'pg');
    const first = await start(dataDir);
    // What the earlier code left behind: the studio/studio superuser and no password file.
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before'); ALTER ROLE studio PASSWORD 'studio'");
    await first.stop();
    fs.rmSync(path.join(dir, 'pg-password'));

    const again = await start(dataDir);
    const password = fs.readFileSync(path.join(dir, 'pg-password'), 'utf8').trim();
    expect(password).not.toBe('studio');
    expect(fs.existsSync(path.join(dir, 'pg-password.pending'))).toBe(false);
    expect(await query(again.url, 'SELECT v FROM kept')).toEqual([{ v: 'before' }]);
    await expect(query(withPassword(again.url, 'studio'), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('gives a second process the running server at its real port, whatever port that process asked for', async () => {
    const dataDir = path.join(scratch(), 'pg');
    const owner = await start(dataDir);
    const otherPort = await freePort();
    const cli = await start(dataDir, otherPort);
    expect(cli.port).toBe(owner.port);
    expect(cli.url).toBe(owner.url);
    await cli.stop(); // a sharer's stop leaves the server running
    expect(await query(owner.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('postmaster.pid that cannot lie', () => {
  it('starts over a postmaster.pid naming a live unrelated process', async () => {
    const dataDir = path.join(scratch(), 'pg');
    const first = await start(dataDir);
    const real = readPostmasterPid(dataDir)!;
    await first.stop();
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(sleeper);
    await new Promise((r) => sleeper.once('spawn', r));
    // The file a server killed with SIGKILL leaves, its PID since reused by `sleep`.
    const lines = [sleeper.pid, dataDir, real.startedAt, real.port, '', '127.0.0.1', '  1234567  7', 'ready   '];
    fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${lines.join('\n')}\n`);

    const s = await start(dataDir);
    expect(readPostmasterPid(dataDir)!.pid).not.toBe(sleeper.pid);
    expect(await query(s.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(sleeper.exitCode).toBeNull(); // the unrelated process was left alone
  });
});

describe('postmaster.pid naming another server', () => {
  it("does not take another cluster's live postmaster for this one", async () => {
    const other = path.join(scratch(), 'pg');
    await start(other);
    const theirs = readPostmasterPid(other)!;
    const mine = path.join(scratch(), 'pg');
    const first = await start(mine);
    await first.stop();
    // As if our server had died and its PID now belonged to the other checkout's postmaster.
    const lines = [theirs.pid, mine, theirs.startedAt, theirs.port, '', '127.0.0.1', '  7654321  8', 'ready   '];
    fs.writeFileSync(path.join(mine, 'postmaster.pid'), `${lines.join('\n')}\n`);
    const s = await start(mine);
    expect(s.port).not.toBe(theirs.port);
    expect(readPostmasterPid(mine)!.pid).not.toBe(theirs.pid);
    expect(await query(s.url, "SELECT current_setting('data_directory') AS dir")).toEqual([{ dir: mine }]);
  });
});

describe('a supervised database', () => {
  it(
    'comes back after kill -9 of the postmaster; Prisma, pg-boss and /api/health recover without a restart and no acknowledged write is lost',
    { timeout: 90_000 },
    async () => {
      const dataDir = path.join(scratch(), 'pg');
      const s = await start(dataDir, undefined, { supervise: true });
      const previousUrl = process.env.DATABASE_URL;
      const previousTrainer = process.env.STUDIO_TRAINER;
      // The Studio's own clients, as a web process and a worker hold them.
      const { disconnectDb, db } = await import('../db');
      const { stopQueue, jobQueue } = await import('../jobs/queue');
      const { startWorker } = await import('../jobs/worker');
      const { studioHealth } = await import('../health/studio-health');
      const { applyPendingMigrations } = await import('./migrate');
      await disconnectDb();
      process.env.DATABASE_URL = s.url;
      process.env.STUDIO_TRAINER = 'off';
      try {
        await applyPendingMigrations(s.url);
        await startWorker({ log: () => {} });
        await expect.poll(async () => (await studioHealth()).status, { timeout: 20_000, interval: 250 }).toBe('ok');

        await db().$executeRawUnsafe('CREATE TABLE acknowledged (n int PRIMARY KEY)');
        for (let n = 1; n <= 200; n++) await db().$executeRaw`INSERT INTO acknowledged VALUES (${n})`;

        const before = readPostmasterPid(dataDir)!;
        const killedAt = Date.now();
        process.kill(before.pid, 'SIGKILL');
        // While it is down the report says so, naming the database. An orphaned backend of the killed
        // postmaster can still answer the pool's open connection for a moment while a check that needs a
        // new connection (the worker's) already fails, so look until the database round trip itself
        // fails — or the supervisor has already brought a new postmaster up, and there is no "down" to see.
        let downSeen = false;
        while (!downSeen && Date.now() - killedAt < 20_000) {
          const now = readPostmasterPid(dataDir);
          if (now && now.pid !== before.pid) break;
          const down = await studioHealth({ timeoutMs: 1_000 });
          if (down.checks.database.status === 'failing') {
            expect(down.status).toBe('failing');
            expect(down.failing).toContain('database');
            downSeen = true;
          } else await new Promise((r) => setTimeout(r, 50));
        }

        // An orphaned backend of the killed postmaster can still answer for a moment, so "back" means a
        // new postmaster has written its pid file and the report is ok through it.
        await expect
          .poll(
            async () => {
              const now = readPostmasterPid(dataDir);
              if (!now || now.pid === before.pid) return 'old postmaster';
              return (await studioHealth()).checks.database.status;
            },
            { timeout: 30_000, interval: 250 },
          )
          .toBe('ok');
        const backAfterMs = Date.now() - killedAt;
        expect(backAfterMs).toBeLessThan(30_000);
        expect(readPostmasterPid(dataDir)!.port).toBe(before.port);

        // Every write that was acknowledged before the kill is there after crash recovery.
        const [{ count }] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM acknowledged`;
        expect(Number(count)).toBe(200);
        // pg-boss reconnects too: the worker's heartbeat moves again and a job is still delivered.
        await expect
          .poll(
            async () => {
              const instances = await (await jobQueue()).getInstances();
              return instances.some((i) => i.name === 'worker' && i.live && +i.heartbeatOn > killedAt);
            },
            { timeout: 30_000, interval: 500 },
          )
          .toBe(true);
        expect((await studioHealth()).status).toBe('ok');
        const boss = await jobQueue();
        await boss.createQueue('health-probe');
        const delivered = new Promise<unknown>(
          (resolve) => void boss.work('health-probe', { pollingIntervalSeconds: 0.5 }, async ([job]) => resolve(job.data)),
        );
        await boss.send('health-probe', { after: 'restart' });
        expect(await delivered).toEqual({ after: 'restart' });
      } finally {
        await stopQueue().catch(() => {});
        await disconnectDb();
        process.env.DATABASE_URL = previousUrl;
        if (previousTrainer === undefined) delete process.env.STUDIO_TRAINER;
        else process.env.STUDIO_TRAINER = previousTrainer;
      }
    },
  );
});
