// A re-import of changed conversations while 20 reviewers keep labeling them: the import
// must succeed, no reviewer may see an error, and the history must stay one true chain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { resetDatabase } from '../testing/db-snapshot';
import { createRng } from '../prng';
import { labelTurn, type LabelTurnResult } from '../labeling/label-turn';
import { labelHistoryBreaks } from '../labeling/test-history';
import { importConversationsFile } from '.';

const CONVERSATIONS = 400;
const MESSAGES = 8;
const WRITERS = 20;
const LABELS = ['END', 'CONTINUE', 'SCHEDULE'] as const;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-race-'));
const file = path.join(dir, 'crm-export.jsonl');

type Msg = { sender: 'recruiter' | 'candidate'; text: string; sent_at: string; label?: string };

// Version `v` of the export: every conversation keeps its first four messages' positions and
// senders, but texts, labels and the number of messages change from version to version.
function exportVersion(v: number): string {
  const rng = createRng(1000 + v);
  const lines: string[] = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    const count = MESSAGES - (v % 2 === 1 && c % 3 === 0 ? 2 : 0) + (v % 2 === 0 && c % 5 === 0 ? 1 : 0);
    const messages: Msg[] = [];
    for (let p = 0; p < count; p++) {
      const sender = p % 2 === 0 ? 'recruiter' : 'candidate';
      const edited = rng.chance(0.3) && v > 0;
      const m: Msg = {
        sender,
        text: `conversation ${c} message ${p}${edited ? ` (edit ${v})` : ''}`,
        sent_at: new Date(Date.UTC(2026, 9, 1, 12, p)).toISOString(),
      };
      if (sender === 'recruiter' && rng.chance(0.6)) m.label = rng.pick(LABELS);
      messages.push(m);
    }
    lines.push(
      JSON.stringify({
        external_id: `race-${c}`,
        candidate_name: `Candidate ${c}${v % 2 === 1 && c % 7 === 0 ? ' (renamed)' : ''}`,
        job_title: 'Picker',
        messages,
      }),
    );
  }
  return lines.join('\n') + '\n';
}

const reviewers: Actor[] = Array.from({ length: WRITERS }, (_, i) => ({ id: `race-r${i}`, email: `r${i}@race.test`, name: `Reviewer ${i}`, role: 'reviewer' }));

beforeAll(async () => {
  await resetDatabase();
  for (const r of reviewers) await db().user.create({ data: { id: r.id, email: r.email, name: r.name, role: r.role } });
  fs.writeFileSync(file, exportVersion(0));
  await importConversationsFile(file);
  // Every reviewer already has a label (with its history) on every turn the race writes, so
  // the import's edits clear labels that reviewers are changing at that moment.
  await db().$executeRaw`
    WITH l AS (
      INSERT INTO labels (message_id, conversation_id, reviewer_id, value, updated_at)
      SELECT m.id, m.conversation_id, u.id, 'CONTINUE', now() FROM messages m CROSS JOIN users u
      WHERE m.sender = 'recruiter' AND m.position < 4 AND u.id LIKE 'race-r%'
      RETURNING message_id, conversation_id, reviewer_id
    )
    INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source)
    SELECT message_id, conversation_id, reviewer_id, NULL, 'CONTINUE', 'seed' FROM l`;
});

describe('a re-import racing 20 reviewers', () => {
  it('succeeds without a deadlock or a reviewer error, and keeps every history chain intact', async () => {
    // Turns at positions every version has (0, 2), so every write must succeed.
    const turns = (await db().$queryRaw<{ id: number }[]>`SELECT id FROM messages WHERE sender = 'recruiter' AND position < 4 ORDER BY id`).map((r) => r.id);
    const written = new Map<string, { value: string | null; changed: boolean }[]>();
    const errors: string[] = [];
    let importing = true;
    let duringImports = 0;
    const writer = async (actor: Actor, seed: number) => {
      const rng = createRng(seed);
      for (let n = 0; importing || n < 10; n++) {
        const messageId = rng.pick(turns);
        const value = rng.chance(0.2) ? null : rng.pick(LABELS);
        try {
          const r: LabelTurnResult = await labelTurn(actor, { messageId, value });
          if (importing) duringImports += 1;
          const key = `${messageId}/${actor.id}`;
          written.set(key, [...(written.get(key) ?? []), { value: r.value, changed: r.changed }]);
        } catch (e) {
          errors.push(`${actor.id}: ${(e as Error).message.split('\n').slice(-1)[0]}`);
        }
      }
    };
    const imports = (async () => {
      const outcomes: string[] = [];
      try {
        for (let v = 1; v <= 4; v++) {
          fs.writeFileSync(file, exportVersion(v));
          const retries: string[] = [];
          const s = await importConversationsFile(file, {
            onProgress: (stage, detail) => stage.startsWith('retry') && retries.push(`${stage} ${detail}`),
          }).then(
            (r) => `ok updated=${r.updated}`,
            (e: Error) => `failed: ${e.message}`,
          );
          outcomes.push(retries.length ? `${s} after ${retries.join(', ')}` : s);
        }
      } finally {
        importing = false;
      }
      return outcomes;
    })();
    const [outcomes] = await Promise.all([imports, ...reviewers.map((r, i) => writer(r, i + 1))]);

    expect
      .soft(
        outcomes.every((o) => /^ok updated=\d+$/.test(o)),
        outcomes.join('\n'),
      )
      .toBe(true);
    expect.soft(errors.length, errors.slice(0, 5).join('\n')).toBe(0);
    const breaks = await labelHistoryBreaks();
    expect.soft(breaks.length, JSON.stringify(breaks.slice(0, 5))).toBe(0);

    // Exactly one history row per write that answered `changed: true`, and what the
    // reviewer wrote last is what is stored unless an import cleared it afterwards.
    const events = await db().$queryRaw<{ message_id: number; reviewer_id: string; source: string; to_value: string | null }[]>`
      SELECT message_id, reviewer_id, source, to_value::text FROM label_events WHERE reviewer_id LIKE 'race-r%' ORDER BY id`;
    const labels = new Map(
      (
        await db().$queryRaw<
          { message_id: number; reviewer_id: string; value: string }[]
        >`SELECT message_id, reviewer_id, value::text FROM labels WHERE reviewer_id LIKE 'race-r%'`
      ).map((l) => [`${l.message_id}/${l.reviewer_id}`, l.value]),
    );
    for (const [key, writes] of written) {
      const mine = events.filter((e) => `${e.message_id}/${e.reviewer_id}` === key);
      expect(mine.filter((e) => e.source === 'ui').length, key).toBe(writes.filter((w) => w.changed).length);
      if (mine.at(-1)?.source !== 'import') expect(labels.get(key) ?? null, key).toBe(writes.at(-1)!.value);
    }
    // The race really happened: many writes while imports that changed most conversations ran.
    expect(duringImports).toBeGreaterThan(200);
    for (const o of outcomes) expect(Number(o.split('=')[1])).toBeGreaterThan(CONVERSATIONS / 2);
    expect(written.size).toBeGreaterThan(100);
  }, 120_000);
});
