import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { snapshotDatabase } from '../testing/db-snapshot';
import { listConversations } from '../conversations/list-conversations';
import { parseListParams } from '../conversations/list-params';
import { labelTurn } from './label-turn';
import { setTurnFlag, setTurnSkipped } from './turn-actions';
import { addTurnComment, COMMENT_MAX_CHARS, deleteTurnComment } from './comments';
import { undoLastChange } from './undo';
import { turnHistory } from './history';
import { labelHistoryBreaks } from './test-history';
import { ada, addConversation, alice, bob, FIVE_TURNS, freshConversation, lee } from './turn-actions-fixture';
import { needsReviewerSql } from './lease-sql';
import { updateLabelingSettings } from './settings';
import type { Actor } from '../auth/session';

let conversationId = 0;
let turns: number[] = [];
let candidateMessage = 0;

beforeEach(async () => {
  const f = await freshConversation(FIVE_TURNS);
  conversationId = f.conversationId;
  turns = f.turns;
  candidateMessage = f.ids[1];
});

const labelOf = async (messageId: number, reviewerId = alice.id) =>
  (await db().label.findUnique({ where: { messageId_reviewerId: { messageId, reviewerId } } }))?.value ?? null;

const history = async (messageId: number) =>
  (await turnHistory(alice, { messageId })).entries.map((e) => [e.who, e.kind, e.from, e.to, e.source, e.undone]).reverse();

describe('skip', () => {
  it('records a skip per reviewer, takes it back, and writes history only for real changes', async () => {
    expect(await setTurnSkipped(alice, { messageId: turns[1], skipped: true })).toMatchObject({ changed: true, skipped: true });
    expect(await setTurnSkipped(alice, { messageId: turns[1], skipped: true })).toMatchObject({ changed: false });
    expect(await db().turnSkip.findMany({ select: { reviewerId: true } })).toEqual([{ reviewerId: alice.id }]);
    // Bob is not affected by Alice's skip.
    expect(await setTurnSkipped(bob, { messageId: turns[1], skipped: false })).toMatchObject({ changed: false });
    await setTurnSkipped(alice, { messageId: turns[1], skipped: false });
    expect(await db().turnSkip.count()).toBe(0);
    expect(await history(turns[1])).toEqual([
      ['Alice', 'skip', null, 'skipped', 'ui', false],
      ['Alice', 'skip', 'skipped', null, 'ui', false],
    ]);
  });

  it('a conversation whose open turns I skipped no longer needs me (the work queue passes it); it still needs others', async () => {
    await addConversation(FIVE_TURNS, 'turn-actions-2');
    // The work queue's own predicate (lib/labeling/lease-sql.ts), at one reviewer per turn.
    const needs = async (actor: Actor) =>
      (await db().$queryRaw<{ needs: boolean }[]>`SELECT ${needsReviewerSql(actor.id, 1)} AS needs FROM conversations c WHERE c.id = ${conversationId}`)[0]
        .needs;
    // Decision turns are turns[1..3] (turns[0] opens the conversation).
    await labelTurn(alice, { messageId: turns[1], value: 'CONTINUE' });
    await setTurnSkipped(alice, { messageId: turns[2], skipped: true });
    expect(await needs(alice)).toBe(true);
    await setTurnSkipped(alice, { messageId: turns[3], skipped: true });
    expect(await needs(alice)).toBe(false);
    expect(await needs(bob)).toBe(true);
    // A skipped turn I label anyway is counted once.
    await labelTurn(alice, { messageId: turns[2], value: 'END' });
    expect(await needs(alice)).toBe(false);
  });

  it('refuses a candidate message, an unknown one and bad input, and changes nothing', async () => {
    const before = await snapshotDatabase();
    await expect(setTurnSkipped(alice, { messageId: candidateMessage, skipped: true })).rejects.toThrow(/Only recruiter turns can be skipped/);
    await expect(setTurnSkipped(alice, { messageId: 999_999, skipped: true })).rejects.toThrow(/does not exist/);
    await expect(setTurnSkipped(alice, { messageId: turns[1], skipped: 'yes' })).rejects.toThrow();
    expect(await snapshotDatabase()).toEqual(before);
  });
});

describe('flag', () => {
  it('sets, changes and removes a flag with a reason, one per reviewer, and the list filter finds it', async () => {
    await setTurnFlag(alice, { messageId: turns[2], reason: 'unclear' });
    await setTurnFlag(alice, { messageId: turns[2], reason: 'bad_data' });
    await setTurnFlag(bob, { messageId: turns[2], reason: 'needs_context' });
    expect((await db().turnFlag.findMany({ orderBy: { reviewerId: 'asc' } })).map((f) => [f.reviewerId, f.reason])).toEqual([
      [alice.id, 'bad_data'],
      [bob.id, 'needs_context'],
    ]);
    const flagged = await listConversations(lee, parseListParams({ filter: 'flagged' }));
    expect(flagged.rows.map((r) => r.id)).toEqual([conversationId]);
    await setTurnFlag(alice, { messageId: turns[2], reason: null });
    await setTurnFlag(bob, { messageId: turns[2], reason: null });
    expect((await listConversations(lee, parseListParams({ filter: 'flagged' }))).rows).toEqual([]);
    expect((await history(turns[2])).map((h) => h.slice(0, 4))).toEqual([
      ['Alice', 'flag', null, 'unclear'],
      ['Alice', 'flag', 'unclear', 'bad_data'],
      ['Bob', 'flag', null, 'needs_context'],
      ['Alice', 'flag', 'bad_data', null],
      ['Bob', 'flag', 'needs_context', null],
    ]);
  });

  it('refuses a reason that is not one of the three, and changes nothing', async () => {
    const before = await snapshotDatabase();
    await expect(setTurnFlag(alice, { messageId: turns[2], reason: 'boring' })).rejects.toThrow(/reason must be one of unclear, needs_context, bad_data/);
    expect(await snapshotDatabase()).toEqual(before);
  });
});

describe('comments', () => {
  it('stores a comment with its author and time, trimmed; the filter finds it; author or admin delete it, nobody else', async () => {
    const c = await addTurnComment(alice, { messageId: turns[1], body: '  Pay question, but <b>is</b> it a nudge?  ' });
    expect(c).toMatchObject({ body: 'Pay question, but <b>is</b> it a nudge?', authorName: 'Alice', deletable: true });
    expect(Date.now() - Date.parse(c.createdAt)).toBeLessThan(60_000);
    expect((await listConversations(lee, parseListParams({ filter: 'commented' }))).rows.map((r) => r.id)).toEqual([conversationId]);

    await expect(deleteTurnComment(bob, { commentId: c.id })).rejects.toThrow(/Only its author or an admin/);
    await expect(deleteTurnComment(lee, { commentId: c.id })).rejects.toThrow(/Only its author or an admin/);
    expect(await db().turnComment.count()).toBe(1);
    await deleteTurnComment(ada, { commentId: c.id });
    expect(await db().turnComment.count()).toBe(0);

    const mine = await addTurnComment(bob, { messageId: turns[1], body: 'mine' });
    await deleteTurnComment(bob, { commentId: mine.id });
    await expect(deleteTurnComment(bob, { commentId: mine.id })).rejects.toThrow(/does not exist/);
  });

  it('refuses an empty or too long comment with a message naming the problem, and writes nothing', async () => {
    const before = await snapshotDatabase();
    await expect(addTurnComment(alice, { messageId: turns[1], body: '   \n ' })).rejects.toThrow(/Write a comment first: it is empty/);
    await expect(addTurnComment(alice, { messageId: turns[1], body: 'x'.repeat(COMMENT_MAX_CHARS + 1) })).rejects.toThrow(
      /at most 1000 characters; this one has 1,001/,
    );
    await expect(addTurnComment(alice, { messageId: turns[1] })).rejects.toThrow(/Write a comment first/);
    await expect(addTurnComment(alice, { messageId: candidateMessage, body: 'hi' })).rejects.toThrow(/Only recruiter turns can be commented on/);
    expect(await snapshotDatabase()).toEqual(before);
    // Exactly the limit is fine; an emoji counts as one character.
    await addTurnComment(alice, { messageId: turns[1], body: '👍'.repeat(COMMENT_MAX_CHARS) });
  });
});

describe('undo', () => {
  it('restores the previous label, walks further back when pressed again, and records each undo in history', async () => {
    await labelTurn(alice, { messageId: turns[1], value: 'CONTINUE' });
    await labelTurn(alice, { messageId: turns[1], value: 'END' });
    await labelTurn(alice, { messageId: turns[2], value: 'SCHEDULE' });
    await labelTurn(bob, { messageId: turns[2], value: 'END' }); // Bob's, not Alice's to undo

    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ undone: true, kind: 'label', messageId: turns[2], from: 'SCHEDULE', to: null });
    expect(await labelOf(turns[2])).toBeNull();
    expect(await labelOf(turns[2], bob.id)).toBe('END');
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ messageId: turns[1], from: 'END', to: 'CONTINUE' });
    expect(await labelOf(turns[1])).toBe('CONTINUE');
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ messageId: turns[1], from: 'CONTINUE', to: null });
    // Nothing of Alice's left to undo: a no-op, nothing written.
    const before = await snapshotDatabase();
    expect(await undoLastChange(alice, { conversationId })).toEqual({ undone: false, conversationId });
    expect(await snapshotDatabase()).toEqual(before);

    expect(await history(turns[1])).toEqual([
      ['Alice', 'label', null, 'CONTINUE', 'ui', true],
      ['Alice', 'label', 'CONTINUE', 'END', 'ui', true],
      ['Alice', 'label', 'END', 'CONTINUE', 'undo', false],
      ['Alice', 'label', 'CONTINUE', null, 'undo', false],
    ]);
    expect(await labelHistoryBreaks()).toEqual([]);
    const c = await db().conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect([c.labeledTurns, c.endTurns]).toEqual([1, 1]);
  });

  it('undoes skips and flags too, in the order the changes were made', async () => {
    await labelTurn(alice, { messageId: turns[1], value: 'CONTINUE' });
    await setTurnSkipped(alice, { messageId: turns[2], skipped: true });
    await setTurnFlag(alice, { messageId: turns[3], reason: 'unclear' });
    await setTurnFlag(alice, { messageId: turns[3], reason: 'bad_data' });
    await addTurnComment(alice, { messageId: turns[3], body: 'comments are not undone' });

    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ kind: 'flag', messageId: turns[3], from: 'bad_data', to: 'unclear' });
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ kind: 'flag', from: 'unclear', to: null });
    expect(await db().turnFlag.count()).toBe(0);
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ kind: 'skip', messageId: turns[2], from: true, to: false });
    expect(await db().turnSkip.count()).toBe(0);
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ kind: 'label', messageId: turns[1], to: null });
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ undone: false });
    expect(await db().turnComment.count()).toBe(1);
  });

  it('a change made after an undo is the next one undone', async () => {
    await labelTurn(alice, { messageId: turns[1], value: 'CONTINUE' });
    await labelTurn(alice, { messageId: turns[1], value: 'END' });
    await undoLastChange(alice, { conversationId }); // → CONTINUE
    await labelTurn(alice, { messageId: turns[1], value: 'SCHEDULE' });
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ from: 'SCHEDULE', to: 'CONTINUE' });
    expect(await undoLastChange(alice, { conversationId })).toMatchObject({ from: 'CONTINUE', to: null });
    expect(await labelHistoryBreaks()).toEqual([]);
  });

  it('undoes the write another tab committed while the undo waited for the conversation', async () => {
    await labelTurn(alice, { messageId: turns[1], value: 'END' });
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      // The other tab's labelTurn, half-way: it holds the conversation and has written END → CONTINUE.
      await other.query('BEGIN');
      await other.query('SELECT id FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
      await other.query(
        `WITH put AS (UPDATE labels SET value = 'CONTINUE' WHERE message_id = $1 AND reviewer_id = $2 RETURNING 1)
         INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source, change_seq, created_at)
         SELECT $1, $3, $2, 'END', 'CONTINUE', 'ui', nextval('turn_change_seq'), clock_timestamp() FROM put`,
        [turns[1], alice.id, conversationId],
      );
      const pending = undoLastChange(alice, { conversationId });
      await new Promise((r) => setTimeout(r, 300));
      await other.query('COMMIT');
      expect(await pending).toMatchObject({ undone: true, from: 'CONTINUE', to: 'END' });
    } finally {
      await other.end();
    }
    expect(await labelOf(turns[1])).toBe('END');
    expect(await labelHistoryBreaks()).toEqual([]);
  });

  it('many undos racing label writes from two tabs keep one true history chain', async () => {
    const values = ['END', 'CONTINUE', 'SCHEDULE', null] as const;
    const tab = (k: number) =>
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 3 === 2 ? undoLastChange(alice, { conversationId }) : labelTurn(alice, { messageId: turns[1 + ((i + k) % 3)], value: values[(i * 7 + k) % 4] }),
        ),
      );
    await Promise.all([tab(0), tab(1)]);
    expect(await labelHistoryBreaks()).toEqual([]);
  });
});

describe('history sources and roles', () => {
  it('shows who, from → to and source for ui, suggestion, adjudication and import changes', async () => {
    await labelTurn(alice, { messageId: turns[1], value: 'CONTINUE' });
    await labelTurn(bob, { messageId: turns[1], value: 'END' }, { source: 'suggestion' });
    await labelTurn(lee, { messageId: turns[1], value: 'CONTINUE' }, { source: 'adjudication' });
    await db().$executeRaw`
      INSERT INTO label_events (message_id, conversation_id, reviewer_id, from_value, to_value, source) VALUES (${turns[1]}, ${conversationId}, ${ada.id}, NULL, 'END', 'import')`;
    const page = await turnHistory(alice, { messageId: turns[1] });
    expect(page.olderCursor).toBeNull();
    expect(page.entries.map((e) => [e.who, e.from, e.to, e.source]).reverse()).toEqual([
      ['Alice', null, 'CONTINUE', 'ui'],
      ['Bob', null, 'END', 'suggestion'],
      ['Lee', null, 'CONTINUE', 'adjudication'],
      ['Ada', null, 'END', 'import'],
    ]);
    // An accepted suggestion is the reviewer's own change: undo takes it back.
    expect(await undoLastChange(bob, { conversationId })).toMatchObject({ from: 'END', to: null });
  });

  it('only an ML lead or admin writes an adjudication; a reviewer is refused and nothing changes', async () => {
    const before = await snapshotDatabase();
    await expect(labelTurn(alice, { messageId: turns[1], value: 'END' }, { source: 'adjudication' })).rejects.toThrow(/needs the ml_lead or admin role/);
    expect(await snapshotDatabase()).toEqual(before);
  });

  it('pages through a long history, newest first, without gaps or repeats', async () => {
    const values = ['END', 'CONTINUE', 'SCHEDULE'] as const;
    for (let i = 0; i < 120; i++) await labelTurn(alice, { messageId: turns[1], value: values[i % 3] });
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page = await turnHistory(bob, { messageId: turns[1], before });
      seen.push(...page.entries.map((e) => `${e.from}>${e.to}`));
      before = page.olderCursor;
    } while (before);
    expect(seen).toHaveLength(120);
    expect(seen.at(-1)).toBe('null>END');
    expect(seen[0]).toBe(`${values[118 % 3]}>${values[119 % 3]}`);
    await expect(turnHistory(bob, { messageId: turns[1], before: 'garbage' })).rejects.toThrow(/cursor/);
  });

  it('refuses every turn action on a golden conversation', async () => {
    await db().conversation.update({ where: { id: conversationId }, data: { isGolden: true } });
    const before = await snapshotDatabase();
    await expect(setTurnSkipped(alice, { messageId: turns[1], skipped: true })).rejects.toThrow(/golden/);
    await expect(setTurnFlag(alice, { messageId: turns[1], reason: 'unclear' })).rejects.toThrow(/golden/);
    await expect(addTurnComment(alice, { messageId: turns[1], body: 'x' })).rejects.toThrow(/golden/);
    await expect(undoLastChange(alice, { conversationId })).rejects.toThrow(/golden/);
    expect(await snapshotDatabase()).toEqual(before);
  });
});

describe('history under blind labeling', () => {
  it("keeps others' label changes back until the reviewer labeled the turn; ML leads always see them", async () => {
    await updateLabelingSettings(ada, { reviewersPerTurn: 2, blind: 'on' });
    try {
      await labelTurn(bob, { messageId: turns[1], value: 'END' });
      const before = await turnHistory(alice, { messageId: turns[1] });
      expect(before.othersHidden).toBe(true);
      expect(before.entries).toEqual([]);
      expect((await turnHistory(lee, { messageId: turns[1] })).entries.map((e) => e.who)).toEqual(['Bob']);
      await labelTurn(alice, { messageId: turns[1], value: 'CONTINUE' });
      const after = await turnHistory(alice, { messageId: turns[1] });
      expect(after.othersHidden).toBe(false);
      expect(after.entries.map((e) => e.who)).toEqual(['Alice', 'Bob']);
    } finally {
      await updateLabelingSettings(ada, { reviewersPerTurn: 1, blind: 'auto' });
    }
  });
});
