import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { refreshConversationContent, refreshConversationStats } from '../conversations/stats';
import { listConversations } from '../conversations/list-conversations';
import { getConversationThread } from '../conversations/get-conversation';
import { listParamsSchema } from '../conversations/list-params';
import { labelTurn } from './label-turn';
import { claimNextConversation } from './queue';
import { holdConversation, releaseConversation } from './lease';
import { updateLabelingSettings } from './settings';
import { otherLabelsOnTurn } from './blind';

const reviewers: Actor[] = Array.from({ length: 20 }, (_, i) => ({ id: `u-r${i}`, email: `r${i}@test`, name: `Reviewer ${i}`, role: 'reviewer' }));
const [r0, r1, r2] = reviewers;
const lead: Actor = { id: 'u-lead', email: 'lead@test', name: 'Lee', role: 'ml_lead' };
const admin: Actor = { id: 'u-admin', email: 'admin@test', name: 'Ada', role: 'admin' };
const allView = { q: '', filter: 'all' as const, sort: 'recent' as const };

interface Conv {
  id: number;
  /** Decision turns (recruiter messages after the opening one). */
  turns: number[];
  opening: number;
}

async function makeConversation(externalId: string, minute: number, opts: { golden?: boolean; job?: string } = {}): Promise<Conv> {
  const p = db();
  const conv = await p.conversation.create({
    data: {
      externalId,
      jobTitle: opts.job ?? 'forklift driver',
      isGolden: opts.golden ?? false,
      lastActivityAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
      messages: {
        create: [
          { position: 0, sender: 'recruiter', text: 'Hi! Interested in a role?' },
          { position: 1, sender: 'candidate', text: 'how much does it pay' },
          { position: 2, sender: 'recruiter', text: '$21/hr. Want to set up a call?' },
          { position: 3, sender: 'candidate', text: 'maybe' },
          { position: 4, sender: 'recruiter', text: 'Tuesday at 3?' },
        ],
      },
    },
    include: { messages: { orderBy: { position: 'asc' } } },
  });
  await refreshConversationContent(p, [conv.id]);
  await refreshConversationStats(p, [conv.id]);
  const rec = conv.messages.filter((m) => m.sender === 'recruiter');
  return { id: conv.id, opening: rec[0].id, turns: rec.slice(1).map((m) => m.id) };
}

async function liveLeases() {
  return db().$queryRaw<{ conversation_id: number; reviewer_id: string }[]>`
    SELECT conversation_id, reviewer_id FROM labeling_leases WHERE expires_at > now() ORDER BY conversation_id, reviewer_id`;
}

async function setOverlap(n: number, blind: 'auto' | 'on' | 'off' = 'auto') {
  await updateLabelingSettings(admin, { reviewersPerTurn: n, blind });
}

beforeEach(async () => {
  const p = db();
  await p.$executeRawUnsafe(
    'TRUNCATE conversations, messages, labels, label_events, conversation_reviewers, labeling_leases, labeling_settings, advisor_decisions, advisor_promotions, users CASCADE',
  );
  for (const a of [...reviewers, lead, admin]) await p.user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
});

describe('claimNextConversation', () => {
  it('never hands one conversation to two reviewers at overlap 1, however many claim at once', async () => {
    const convs: Conv[] = [];
    for (let i = 0; i < 10; i++) convs.push(await makeConversation(`c-${i}`, i));
    const claims = await Promise.all(reviewers.map((r) => claimNextConversation(r, allView, { currentId: null })));
    const got = claims.filter((c) => c !== null).map((c) => c.conversationId);
    expect(got).toHaveLength(10);
    expect(new Set(got).size).toBe(10);
    const leases = await liveLeases();
    expect(leases).toHaveLength(10);
    expect(new Set(leases.map((l) => l.conversation_id)).size).toBe(10);
  });

  it('hands a conversation to at most two reviewers at overlap 2, and each turn gets exactly two labels', async () => {
    await setOverlap(2);
    const convs: Conv[] = [];
    for (let i = 0; i < 5; i++) convs.push(await makeConversation(`c-${i}`, i));
    const claims = await Promise.all(reviewers.map((r) => claimNextConversation(r, allView, { currentId: null })));
    const got = claims.filter((c) => c !== null).map((c) => c.conversationId);
    expect(got).toHaveLength(10);
    const per = new Map<number, number>();
    for (const id of got) per.set(id, (per.get(id) ?? 0) + 1);
    expect([...per.values()].every((n) => n === 2)).toBe(true);

    // Every holder labels every decision turn; then nothing is left in the queue.
    await Promise.all(
      claims.map(async (c, i) => {
        if (!c) return;
        const conv = convs.find((x) => x.id === c.conversationId)!;
        for (const t of conv.turns) await labelTurn(reviewers[i], { messageId: t, value: 'CONTINUE' });
      }),
    );
    const counts = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM labels GROUP BY message_id`;
    expect(counts.map((c) => Number(c.n))).toEqual(Array(10).fill(2));
    for (const r of reviewers) expect(await claimNextConversation(r, allView, { currentId: null })).toBeNull();
  });

  it('a lease that runs out hands the conversation to the next reviewer; the late writer’s labels are still stored', async () => {
    const conv = await makeConversation('c-1', 1);
    const first = await claimNextConversation(r0, allView, { currentId: null });
    expect(first?.conversationId).toBe(conv.id);
    expect(await claimNextConversation(r1, allView, { currentId: null })).toBeNull();
    expect((await holdConversation(r1, conv.id)).reason).toBe('taken');

    await db().$executeRaw`UPDATE labeling_leases SET expires_at = now() - interval '1 second'`;
    const second = await claimNextConversation(r1, allView, { currentId: null });
    expect(second?.conversationId).toBe(conv.id);

    // r0 comes back late: the label is stored, the lease is not theirs any more.
    const late = await labelTurn(r0, { messageId: conv.turns[0], value: 'END' });
    expect(late.changed).toBe(true);
    expect(await db().label.count({ where: { reviewerId: r0.id } })).toBe(1);
    const held = await holdConversation(r0, conv.id);
    expect(held).toMatchObject({ held: false, reason: 'taken', others: [{ name: 'Reviewer 1' }] });
  });

  it('a lease commits asynchronously (coordination, not data), inside its own transaction only', async () => {
    const conv = await makeConversation('c-async', 1);
    const { takeLockedConversation } = await import('./lease');
    const inside = await db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM conversations WHERE id = ${conv.id} FOR NO KEY UPDATE`;
      await takeLockedConversation(tx, r0.id, conv.id, { perTurn: 1, ttlSeconds: 60, releaseOthers: false });
      return (await tx.$queryRaw<{ v: string }[]>`SELECT current_setting('synchronous_commit') AS v`)[0].v;
    });
    expect(inside).toBe('off');
    expect((await db().$queryRaw<{ v: string }[]>`SELECT current_setting('synchronous_commit') AS v`)[0].v).toBe('on');
    expect((await liveLeases()).map((l) => l.conversation_id)).toEqual([conv.id]);
  });

  it('the check after the lock sees a lease committed after the claiming statement began (one statement, fresh snapshot inside)', async () => {
    const conv = await makeConversation('c-race', 1);
    // r1 holds the row lock and writes its lease, uncommitted; r0's hold starts meanwhile, so
    // its statement's snapshot predates r1's lease, and waits for the lock.
    let r0Result: Promise<Awaited<ReturnType<typeof holdConversation>>> | null = null;
    await db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM conversations WHERE id = ${conv.id} FOR NO KEY UPDATE`;
      await tx.$executeRaw`INSERT INTO labeling_leases (conversation_id, reviewer_id, expires_at) VALUES (${conv.id}, ${r1.id}, now() + interval '5 minutes')`;
      r0Result = holdConversation(r0, conv.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(await r0Result!).toMatchObject({ held: false, reason: 'taken' });
    expect((await liveLeases()).map((l) => l.reviewer_id)).toEqual([r1.id]);
    // And a claim passes over it.
    expect(await claimNextConversation(r0, allView, { currentId: null })).toBeNull();
  });

  it('next releases the conversation being left, skips it, and comes back to it only when nothing else is left', async () => {
    const a = await makeConversation('c-a', 2);
    const b = await makeConversation('c-b', 1);
    const first = await claimNextConversation(r0, allView, { currentId: null });
    expect(first?.conversationId).toBe(a.id);
    const next = await claimNextConversation(r0, allView, { currentId: a.id });
    expect(next?.conversationId).toBe(b.id);
    expect((await liveLeases()).map((l) => l.conversation_id)).toEqual([b.id]);
    // Skipped earlier in the session: still offered once it is all that is left.
    expect((await claimNextConversation(r0, allView, { currentId: b.id, exclude: [a.id] }))?.conversationId).toBe(a.id);
    await releaseConversation(r0, a.id);
    expect(await liveLeases()).toEqual([]);
  });

  it('passes over golden conversations, opening turns and conversations someone finished', async () => {
    await makeConversation('golden-1', 9, { golden: true });
    const done = await makeConversation('c-done', 8);
    const open = await makeConversation('c-open', 1);
    for (const t of done.turns) await labelTurn(r1, { messageId: t, value: 'CONTINUE' });
    // Only the opening message lacks a label here: nothing left to decide.
    const onlyOpening = await makeConversation('c-opening', 7);
    for (const t of onlyOpening.turns) await labelTurn(r2, { messageId: t, value: 'END' });
    const claim = await claimNextConversation(r0, allView, { currentId: null });
    expect(claim?.conversationId).toBe(open.id);
    expect(await claimNextConversation(r0, allView, { currentId: open.id })).toBeNull();
  });

  it('stays inside the view: search and filter', async () => {
    await makeConversation('c-forklift', 5, { job: 'forklift driver' });
    const nurse = await makeConversation('c-nurse', 1, { job: 'night nurse' });
    const claim = await claimNextConversation(r0, { ...allView, q: 'nurse' }, { currentId: null });
    expect(claim?.conversationId).toBe(nurse.id);
    expect(await claimNextConversation(r0, { ...allView, q: 'nurse' }, { currentId: nurse.id })).toBeNull();
    expect(await claimNextConversation(r1, { ...allView, filter: 'mine' }, { currentId: null })).toBeNull();
  });
});

describe('advisor review priority', () => {
  async function decide(conv: Conv, turnIndex: number, decision: 'END' | 'CONTINUE' | 'SCHEDULE', acted: boolean) {
    const p = db();
    const promotion =
      (await p.advisorPromotion.findFirst()) ??
      (await p.advisorPromotion.create({
        data: { model: 'm', provider: 'local', threshold: 0.7, timeoutMs: 2000, instructions: 'x', context: 'all', promotedById: admin.id },
      }));
    const position = turnIndex === -1 ? 99 : (turnIndex + 1) * 2;
    await p.advisorDecision.create({
      data: {
        externalId: `x-${conv.id}`,
        conversationId: conv.id,
        position,
        decision,
        confidence: acted ? 0.9 : 0.4,
        acted,
        threshold: 0.7,
        model: 'm',
        promotionId: promotion.id,
        latencyMs: 5,
      },
    });
  }

  it('offers deferred and disputed live turns first, and the list filter shows exactly those', async () => {
    const recent = await makeConversation('c-recent', 50);
    const deferred = await makeConversation('c-deferred', 10);
    const disputed = await makeConversation('c-disputed', 9);
    const agreed = await makeConversation('c-agreed', 8);
    const notYetSent = await makeConversation('c-pending', 7);
    await decide(deferred, 0, 'END', false);
    await decide(disputed, 1, 'END', true);
    await labelTurn(r2, { messageId: disputed.turns[1], value: 'CONTINUE' });
    await decide(agreed, 0, 'CONTINUE', true);
    await labelTurn(r2, { messageId: agreed.turns[0], value: 'CONTINUE' });
    // A deferral about a message not in the conversation yet: nothing to label.
    await decide(notYetSent, -1, 'END', false);

    const order = [];
    let current: number | null = null;
    for (let i = 0; i < 3; i++) {
      const c = await claimNextConversation(r0, allView, { currentId: current, exclude: order });
      order.push(c!.conversationId);
      current = c!.conversationId;
    }
    expect(order).toEqual([deferred.id, disputed.id, recent.id]);

    const page = await listConversations(r0, listParamsSchema.parse({ filter: 'advisor_review' }));
    expect(page.rows.map((r) => r.id).sort()).toEqual([deferred.id, disputed.id].sort());
  });
});

describe('blind labeling', () => {
  it('hides others’ labels from a reviewer until they label the turn; ML leads and admins always see them', async () => {
    const conv = await makeConversation('c-blind', 1);
    await labelTurn(r1, { messageId: conv.turns[0], value: 'END' });
    await labelTurn(r1, { messageId: conv.turns[1], value: 'SCHEDULE' });

    // Overlap 1, blind "auto": off, everyone sees.
    let t = await getConversationThread(r0, conv.id);
    expect(t!.messages.find((m) => m.id === conv.turns[0])!.otherLabels.map((l) => l.value)).toEqual(['END']);

    await setOverlap(2); // blind turns on by itself
    t = await getConversationThread(r0, conv.id);
    const turn0 = t!.messages.find((m) => m.id === conv.turns[0])!;
    expect(turn0).toMatchObject({ othersHidden: true, otherLabels: [] });
    expect(JSON.stringify(t)).not.toContain('SCHEDULE');
    expect(await otherLabelsOnTurn(r0, conv.turns[0])).toEqual({ messageId: conv.turns[0], hidden: true, labels: [] });
    const list = await listConversations(r0, listParamsSchema.parse({ filter: 'has_end' }));
    expect(list).toMatchObject({ outcomesHidden: true, filter: 'all' });
    expect(list.rows[0]).toMatchObject({ endTurns: null, scheduleTurns: null });

    await labelTurn(r0, { messageId: conv.turns[0], value: 'CONTINUE' });
    expect((await otherLabelsOnTurn(r0, conv.turns[0])).labels.map((l) => l.value)).toEqual(['END']);
    t = await getConversationThread(r0, conv.id);
    expect(t!.messages.find((m) => m.id === conv.turns[0])!.otherLabels.map((l) => l.value)).toEqual(['END']);
    expect(t!.messages.find((m) => m.id === conv.turns[1])!.othersHidden).toBe(true);

    for (const who of [lead, admin]) {
      const seen = await getConversationThread(who, conv.id);
      expect(seen!.messages.find((m) => m.id === conv.turns[1])!).toMatchObject({ othersHidden: false, otherLabels: [{ value: 'SCHEDULE' }] });
      expect((await listConversations(who, listParamsSchema.parse({ filter: 'has_end' }))).rows).toHaveLength(1);
    }

    await setOverlap(2, 'off');
    t = await getConversationThread(r0, conv.id);
    expect(t!.messages.find((m) => m.id === conv.turns[1])!.otherLabels.map((l) => l.value)).toEqual(['SCHEDULE']);
  });

  it('only admins change the settings, and bad values are refused naming the field', async () => {
    await expect(updateLabelingSettings(lead, { reviewersPerTurn: 2, blind: 'auto' })).rejects.toThrow(/admin/);
    await expect(updateLabelingSettings(admin, { reviewersPerTurn: 0, blind: 'auto' })).rejects.toThrow(/reviewersPerTurn/);
    await expect(updateLabelingSettings(admin, { reviewersPerTurn: 2, blind: 'maybe' })).rejects.toThrow(/blind/);
    expect(await db().labelingSettings.count()).toBe(0);
  });
});
