// The worker's merge runs on a connection of its own whose backend, on a local server, runs at
// LIVE_MERGE_NICE; anything else (a pooler in between, a refusal, 0) leaves the priority alone.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { db } from '../db';
import { admin, resetWithUsers } from '../datasets/test-fixtures';
import { logLiveDecision } from '../testing/log-live-decision';
import { startLiveIngestSweep } from './live-ingest';
import { liveMergeNice, lowerBackendPriority } from './merge-priority';
import { closeAdvisorPool } from './pool';
import { promoteModel } from './promotions';

let promotionId: number;
const saved = process.env.LIVE_MERGE_NICE;
beforeEach(async () => {
  await resetWithUsers();
  promotionId = (await promoteModel(admin, { model: 'local-base', provider: 'local', threshold: 0.7, timeoutMs: 1000, note: 'test' })).id;
});
afterEach(() => {
  if (saved === undefined) delete process.env.LIVE_MERGE_NICE;
  else process.env.LIVE_MERGE_NICE = saved;
});
afterAll(closeAdvisorPool);

const connect = async (connectionString = process.env.DATABASE_URL) => {
  const c = new pg.Client({ connectionString });
  await c.connect();
  return c;
};
const backendPid = async (c: pg.Client) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

describe('live merge priority', () => {
  it('reads LIVE_MERGE_NICE: 10 by default, 0 to 19, anything else refused', () => {
    delete process.env.LIVE_MERGE_NICE;
    expect(liveMergeNice()).toBe(10);
    process.env.LIVE_MERGE_NICE = '0';
    expect(liveMergeNice()).toBe(0);
    process.env.LIVE_MERGE_NICE = '20';
    expect(() => liveMergeNice()).toThrow(/LIVE_MERGE_NICE/);
  });

  it("the sweep merges on its own connection, whose backend on this local server runs at the merge's nice value", async () => {
    await logLiveDecision({ external_id: 'p1', messages: [{ sender: 'recruiter', text: 'Hi, still interested?' }] }, promotionId);
    const lines: string[] = [];
    const stop = startLiveIngestSweep((l) => lines.push(l), 50);
    try {
      for (let i = 0; i < 100 && !(await db().conversation.findUnique({ where: { externalId: 'p1' } })); i++) await new Promise((r) => setTimeout(r, 50));
      expect((await db().conversation.findUniqueOrThrow({ where: { externalId: 'p1' } })).isLive).toBe(true);
      const [merge] = await db().$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE application_name = 'studio live merge'`;
      expect(merge).toBeDefined();
      // Permitted here (the embedded server runs as this user, or as "postgres" under root): reniced.
      // Where the OS refuses, the worker says so and merges at normal priority.
      if (lines.some((l) => l.includes('refused'))) expect(os.getPriority(merge.pid)).toBe(0);
      else {
        expect(os.getPriority(merge.pid)).toBe(10);
        // Under autogroup scheduling the backend's own session group is lowered too (else the nice value weighs nothing).
        if (fs.existsSync('/proc/sys/kernel/sched_autogroup_enabled') && fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1') {
          expect(fs.readFileSync(`/proc/${merge.pid}/autogroup`, 'utf8')).toMatch(/nice 10/);
        }
      }
    } finally {
      stop();
    }
  });

  it("leaves a backend alone that serves a pooler's socket rather than this connection", async () => {
    // A TCP relay stands where PgBouncer would: the backend's client is the relay, not us.
    const target = new URL(process.env.DATABASE_URL!);
    const relay = net.createServer((inbound) => {
      const out = net.connect(Number(target.port), target.hostname);
      inbound.pipe(out).pipe(inbound);
      const close = () => (inbound.destroy(), out.destroy());
      inbound.on('error', close);
      out.on('error', close);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const via = new URL(target);
    via.hostname = '127.0.0.1';
    via.port = String((relay.address() as net.AddressInfo).port);
    const c = await connect(via.toString());
    try {
      expect(await lowerBackendPriority(c, 10)).toMatch(/normal priority/);
      expect(os.getPriority(await backendPid(c))).toBe(0);
    } finally {
      await c.end();
      relay.close();
    }
  });

  it('does nothing at LIVE_MERGE_NICE=0', async () => {
    const c = await connect();
    try {
      expect(await lowerBackendPriority(c, 0)).toMatch(/LIVE_MERGE_NICE=0/);
      expect(os.getPriority(await backendPid(c))).toBe(0);
    } finally {
      await c.end();
    }
  });
});
