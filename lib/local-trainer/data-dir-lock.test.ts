// trainer.lock counts only while the process that wrote it lives: a lock naming a PID that now
// belongs to some unrelated process (common after a container restart) is stale and taken over.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock';
import { startLocalTrainer } from './server';
import { tempDataDir } from './testing/trainer';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function dir(): string {
  const d = tempDataDir();
  dirs.push(d);
  return d;
}

async function live(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => child.once('spawn', r));
  return child;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('trainer.lock', () => {
  it('starts the trainer over an old-style lock naming a live unrelated PID', async () => {
    const d = dir();
    const sleeper = await live('sleep', ['60']);
    fs.writeFileSync(path.join(d, 'trainer.lock'), String(sleeper.pid));
    const trainer = await startLocalTrainer({ port: 0, dataDir: d });
    try {
      const res = await fetch(`${trainer.url}/v1/models`, { headers: { authorization: `Bearer ${trainer.apiKey}` } });
      expect(res.status).toBe(200);
      expect(JSON.parse(fs.readFileSync(path.join(d, 'trainer.lock'), 'utf8')).pid).toBe(process.pid);
    } finally {
      await trainer.close();
    }
    expect(sleeper.exitCode).toBeNull(); // the unrelated process was left alone
  });

  it('takes over a lock whose PID was reused by another process since it was written', async () => {
    const d = dir();
    const sleeper = await live('sleep', ['60']);
    // What a trainer that died wrote, its PID now someone else's: the start time gives it away.
    fs.writeFileSync(path.join(d, 'trainer.lock'), JSON.stringify({ pid: sleeper.pid, start: 1, bootId: null }));
    const release = lockDataDir(d);
    release();
    expect(fs.existsSync(path.join(d, 'trainer.lock'))).toBe(false);
  });

  it('refuses while the trainer that wrote the lock is alive', async () => {
    const d = dir();
    // A separate Node process takes the lock and holds it (as a second trainer would).
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { lockDataDir } = await import(${JSON.stringify(path.resolve('lib/local-trainer/data-dir-lock.ts'))}); lockDataDir(${JSON.stringify(d)}); console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    await new Promise<void>((resolve) => holder.stdout!.on('data', (c) => String(c).includes('locked') && resolve()));
    expect(() => lockDataDir(d)).toThrow(/another trainer \(pid \d+\) already uses/);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    lockDataDir(d)(); // its owner is dead: taken over
  });
});
