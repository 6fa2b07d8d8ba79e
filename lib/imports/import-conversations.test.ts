import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db';
import { expectImportRejected } from '../testing/expect-import-rejected';
import { resetDatabase, snapshotDatabase } from '../testing/db-snapshot';
import { importConversationsFile, ImportValidationError } from '.';
import { refreshConversationContent, refreshConversationStats } from '../conversations/stats';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-test-'));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
const jsonl = (...convs: unknown[]) => convs.map((c) => JSON.stringify(c)).join('\n') + '\n';

const good = (id: string, extra: Record<string, unknown> = {}) => ({
  external_id: id,
  candidate_name: 'Dana R.',
  job_title: 'Forklift Operator',
  messages: [
    { sender: 'recruiter', text: 'Hi Dana, forklift role at $21/hr. Interested?', sent_at: '2026-10-01T15:00:00Z', label: 'CONTINUE' },
    { sender: 'candidate', text: 'yes! can I interview friday?', sent_at: '2026-10-01T15:20:00-04:00' },
    { sender: 'recruiter', text: 'Booked you Friday 10am.', sent_at: '2026-10-01T19:30:00Z', label: 'SCHEDULE' },
  ],
  ...extra,
});

beforeEach(async () => {
  await resetDatabase();
  // Something already stored, so "unchanged" means more than "still empty".
  await importConversationsFile(file('existing.jsonl', jsonl(good('existing-1'))));
});

describe('import validation: bad input gets a clear message and changes nothing', () => {
  it('malformed JSONL names the line', async () => {
    await expectImportRejected(file('bad.jsonl', `${JSON.stringify(good('a'))}\n{"external_id": "b", "messages": [\n`), [/^bad\.jsonl:2: \$: malformed JSON/]);
  });

  it('malformed JSON document says so', async () => {
    await expectImportRejected(file('bad.json', '{"conversations": [{"external_id": "a", "messages": [}]}'), [/^bad\.json: \$: malformed JSON/]);
  });

  it('a wrong sender names the JSON path', async () => {
    const conv = good('a');
    (conv.messages[1] as { sender: string }).sender = 'bot';
    await expectImportRejected(file('s.json', JSON.stringify({ conversations: [good('ok'), conv] })), [
      /^s\.json: \$\.conversations\[1\]\.messages\[1\]\.sender: sender must be "recruiter" or "candidate"$/,
    ]);
  });

  it('a label on a candidate message is refused', async () => {
    const conv = good('a');
    (conv.messages[1] as { label?: string }).label = 'END';
    await expectImportRejected(file('l.jsonl', jsonl(conv)), [/^l\.jsonl:1: \$\.messages\[1\]\.label: a label is only allowed on recruiter messages$/]);
  });

  it('a duplicate external_id inside one file is refused', async () => {
    await expectImportRejected(file('d.jsonl', jsonl(good('same'), good('other'), good('same'))), [
      /^d\.jsonl:3: \$\.external_id: duplicate external_id "same" \(first seen at line 1\)$/,
    ]);
  });

  it('empty messages are refused: an empty list and empty text', async () => {
    const emptyText = good('b');
    emptyText.messages[0].text = '   ';
    await expectImportRejected(file('e.jsonl', jsonl(good('a', { messages: [] }), emptyText)), [
      /^e\.jsonl:1: \$\.messages: messages is empty/,
      /^e\.jsonl:2: \$\.messages\[0\]\.text: text is empty$/,
    ]);
  });

  it('a 6,000-character message is refused', async () => {
    const long = good('a');
    long.messages[1].text = 'x'.repeat(6000);
    await expectImportRejected(file('long.jsonl', jsonl(long)), [/^long\.jsonl:1: \$\.messages\[1\]\.text: text is longer than 5,000 characters$/]);
  });

  it('unknown properties, bad dates, labels and missing fields are all reported in one run', async () => {
    const conv = good('a', { extra: true });
    (conv.messages[0] as { sent_at: string }).sent_at = 'yesterday';
    (conv.messages[2] as { label: string }).label = 'MAYBE';
    await expectImportRejected(file('m.jsonl', jsonl(conv, { messages: [{ sender: 'recruiter', text: 'hi' }] })), [
      /^m\.jsonl:1: \$\.extra: unknown property$/,
      /^m\.jsonl:1: \$\.messages\[0\]\.sent_at: sent_at must be an ISO 8601 date-time/,
      /^m\.jsonl:1: \$\.messages\[2\]\.label: label must be END, CONTINUE or SCHEDULE$/,
      /^m\.jsonl:2: \$\.external_id: /,
    ]);
  });

  it('a JSON document with the wrong outer shape is refused', async () => {
    await expectImportRejected(file('shape.json', JSON.stringify({ conversations: [good('a')], meta: 1 })), [/^shape\.json: \$\.meta: unknown property/]);
    // With no `conversations` array the document is read as one conversation.
    await expectImportRejected(file('noconv.json', '{"items": []}'), [
      /\$\.external_id: external_id must be a string$/,
      /\$\.messages: messages must be an array$/,
      /\$\.items: unknown property$/,
    ]);
  });

  it('the CLI prints file:line problems and exits non-zero', async () => {
    const p = file('cli-bad.jsonl', jsonl({ external_id: 'x', messages: [{ sender: 'robot', text: 'hi' }] }));
    let out = '';
    let status = 0;
    try {
      execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'lib/cli/import.ts', p], {
        env: { ...process.env },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      status = err.status;
      out = err.stderr;
    }
    expect(status).toBe(1);
    expect(out).toMatch(/cli-bad\.jsonl:1: \$\.messages\[0\]\.sender: sender must be "recruiter" or "candidate"/);
    expect(out).toMatch(/nothing was imported/);
  });
});

describe('import', () => {
  it('stores conversations, messages and the file reviewer labels, and reports counts', async () => {
    const text = '<script>alert("x")</script> & "quotes" \\ back\tslash\nnew line';
    const xss = good('xss');
    xss.messages[1].text = text;
    const p = file('batch-1.jsonl', jsonl(good('c-1'), xss));
    const summary = await importConversationsFile(p);
    expect(summary).toEqual({ conversations: 2, messages: 6, labels: 4, created: 2, updated: 0 });
    const stored = await db().message.findFirstOrThrow({ where: { conversation: { externalId: 'xss' }, position: 1 } });
    expect(stored.text).toBe(text);
    expect(stored.sentAt?.toISOString()).toBe('2026-10-01T19:20:00.000Z');
    const reviewer = await db().user.findUniqueOrThrow({ where: { email: 'import@batch-1.jsonl' } });
    expect(reviewer.role).toBe('reviewer');
    expect(await db().label.count({ where: { reviewerId: reviewer.id } })).toBe(4);
    expect(await db().labelEvent.count({ where: { reviewerId: reviewer.id, source: 'import', fromValue: null } })).toBe(4);
    const conv = await db().conversation.findUniqueOrThrow({ where: { externalId: 'c-1' } });
    // One decision turn: the opening message is labeled but is not a decision.
    expect([conv.recruiterTurns, conv.labeledTurns, conv.scheduleTurns, conv.endTurns, conv.reviewerCount]).toEqual([1, 1, 1, 0, 1]);
    expect(conv.lastActivityAt.toISOString()).toBe('2026-10-01T19:30:00.000Z');
  });

  it('is idempotent: a second run of the same file changes nothing', async () => {
    const p = file('again.json', JSON.stringify({ conversations: [good('r-1'), good('r-2')] }));
    await importConversationsFile(p);
    const before = await snapshotDatabase();
    expect(await importConversationsFile(p)).toEqual({ conversations: 2, messages: 6, labels: 4, created: 0, updated: 0 });
    expect(await snapshotDatabase()).toEqual(before);
  });

  it('re-import replaces messages and keeps the labels of messages that did not change', async () => {
    const p = file('edit.jsonl', jsonl(good('e-1')));
    await importConversationsFile(p);
    const conv = await db().conversation.findUniqueOrThrow({ where: { externalId: 'e-1' }, include: { messages: { orderBy: { position: 'asc' } } } });
    // A reviewer labels turns 0 and 2 in the Studio.
    await db().user.create({ data: { id: 'rev', email: 'rev@test', name: 'Rev' } });
    for (const m of [conv.messages[0], conv.messages[2]]) {
      await db().label.create({ data: { messageId: m.id, conversationId: conv.id, reviewerId: 'rev', value: 'END' } });
    }
    const edited = good('e-1', { candidate_name: 'Dana Renamed' });
    edited.messages[2].text = 'Booked you Friday 11am instead.';
    edited.messages.push({ sender: 'candidate', text: 'great', sent_at: '2026-10-01T20:00:00Z' } as never);
    const summary = await importConversationsFile(file('edit.jsonl', jsonl(edited)));
    expect(summary).toMatchObject({ created: 0, updated: 1 });
    const after = await db().conversation.findUniqueOrThrow({
      where: { externalId: 'e-1' },
      include: { messages: { orderBy: { position: 'asc' }, include: { labels: true } } },
    });
    expect(after.candidateName).toBe('Dana Renamed');
    expect(after.messages).toHaveLength(4);
    expect(after.messages[0].id).toBe(conv.messages[0].id);
    expect(after.messages[0].labels.map((l) => l.reviewerId).sort()).toEqual([expect.any(String), 'rev'].sort());
    expect(after.messages[2].text).toBe('Booked you Friday 11am instead.');
    // The changed turn lost every label, the file's own included back from the new file.
    expect(after.messages[2].labels.map((l) => l.reviewerId)).not.toContain('rev');
    const cleared = await db().labelEvent.findFirst({ where: { messageId: conv.messages[2].id, reviewerId: 'rev' } });
    expect([cleared?.fromValue, cleared?.toValue, cleared?.source]).toEqual(['END', null, 'import']);
  });

  it('re-import that only renames the candidate updates the conversation', async () => {
    await importConversationsFile(file('rename.jsonl', jsonl(good('n-1'), good('n-2'))));
    expect(await importConversationsFile(file('rename.jsonl', jsonl(good('n-1', { candidate_name: 'Dana Q.' }), good('n-2'))))).toMatchObject({
      created: 0,
      updated: 1,
    });
    const conv = await db().conversation.findUniqueOrThrow({ where: { externalId: 'n-1' } });
    expect(conv.candidateName).toBe('Dana Q.');
  });

  it('re-import with fewer messages removes the missing positions', async () => {
    await importConversationsFile(file('shrink.jsonl', jsonl(good('s-1'))));
    const shorter = good('s-1');
    shorter.messages = shorter.messages.slice(0, 1);
    expect(await importConversationsFile(file('shrink.jsonl', jsonl(shorter)))).toMatchObject({ updated: 1 });
    const conv = await db().conversation.findUniqueOrThrow({ where: { externalId: 's-1' } });
    expect(await db().message.count({ where: { conversationId: conv.id } })).toBe(1);
    // Only the opening message is left: no decision turns.
    expect([conv.recruiterTurns, conv.labeledTurns]).toEqual([0, 0]);
  });

  it('the counters, last activity and search document it writes are what the label writers recompute', async () => {
    // The reader counts these per conversation while staging (import-conversations.ts); the
    // product's definitions live in lib/conversations/stats.ts. Both must agree on every shape.
    const noTimes = good('shape-no-times');
    for (const m of noTimes.messages) delete (m as { sent_at?: string }).sent_at;
    const candidateFirst = good('shape-candidate-first', { candidate_name: undefined });
    candidateFirst.messages.unshift({ sender: 'candidate', text: 'Who is this? Tab\there, back\\slash', sent_at: '2026-10-01T14:00:00+02:00' } as never);
    const ends = good('shape-ends', { job_title: undefined });
    ends.messages.push({ sender: 'recruiter', text: 'Sorry, the role is filled.', sent_at: '2026-09-30T10:00:00Z', label: 'END' } as never);
    // Sequence problems the reader counts (after_end, self_contradiction on one turn, and a
    // second turn after the END): the refresh below recounts them from the stored rows.
    const afterEnd = good('shape-after-end');
    afterEnd.messages[2].label = 'END';
    afterEnd.messages.push(
      { sender: 'recruiter', text: 'Still there?', sent_at: '2026-10-01T19:40:00Z', label: 'CONTINUE' } as never,
      { sender: 'recruiter', text: 'Closing this out.', sent_at: '2026-10-01T19:45:00Z', label: 'END' } as never,
    );
    const unlabeled = good('shape-unlabeled');
    for (const m of unlabeled.messages) delete (m as { label?: string }).label;
    const single = good('shape-single');
    single.messages = single.messages.slice(0, 1);
    await importConversationsFile(file('shapes.jsonl', jsonl(noTimes, candidateFirst, ends, afterEnd, unlabeled, single)));
    const read = () => db().$queryRaw<Record<string, unknown>[]>`
      SELECT external_id, recruiter_turns, labeled_turns, end_turns, schedule_turns, reviewer_count, min_turn_labels,
             sequence_problem_turns, search::text AS search, last_activity_at, (SELECT count(*) FROM conversation_reviewers r WHERE r.conversation_id = c.id) AS reviewers
      FROM conversations c WHERE external_id LIKE 'shape-%' ORDER BY external_id`;
    const imported = await read();
    expect(imported).toHaveLength(6);
    expect(imported.find((r) => r.external_id === 'shape-after-end')?.sequence_problem_turns).toBe(2);
    expect(imported.find((r) => r.external_id === 'shape-ends')?.sequence_problem_turns).toBe(1);
    const ids = (await db().conversation.findMany({ where: { externalId: { startsWith: 'shape-' } }, select: { id: true } })).map((c) => c.id);
    const withTimes = imported.filter((r) => r.external_id !== 'shape-no-times');
    await refreshConversationContent(db(), ids);
    await refreshConversationStats(db(), ids);
    const recomputed = await read();
    // Without any sent_at the import stamps the import time, which a refresh keeps.
    expect(recomputed).toEqual(imported);
    expect(withTimes.find((r) => r.external_id === 'shape-ends')?.last_activity_at).toEqual(new Date('2026-10-01T19:30:00Z'));
  });

  it('finds conversations by full-text search after import', async () => {
    const conv = good('f-1', { job_title: 'Zeppelin Mechanic' });
    conv.messages[1].text = 'can we talk about the airships tomorrow';
    await importConversationsFile(file('fts.jsonl', jsonl(conv)));
    const rows = await db().$queryRaw<
      { external_id: string }[]
    >`SELECT external_id FROM conversations WHERE search @@ to_tsquery('simple', 'zeppel:* & airship:*')`;
    expect(rows.map((r) => r.external_id)).toEqual(['f-1']);
  });

  it('a file of several batches: new ones written straight in, an existing one merged, a bad one at the end writes nothing', async () => {
    // 12,001 conversations are three batches of the importer (5,000 a batch): the existing
    // conversation sits in the second, and every one gets its id, messages, labels and search document.
    const many = Array.from({ length: 12_000 }, (_, i) => good(`b-${i}`, { job_title: `Role ${i}` }));
    const existing = good('existing-1', { candidate_name: 'Dana Renamed' });
    many.splice(7_000, 0, existing);
    const before = await snapshotDatabase();
    const bad = [...many, { external_id: 'b-bad', messages: [{ sender: 'nobody', text: 'x' }] }];
    const err = await importConversationsFile(file('many-bad.jsonl', jsonl(...bad))).catch((e) => e);
    expect(err).toBeInstanceOf(ImportValidationError);
    expect(await snapshotDatabase()).toEqual(before);

    expect(await importConversationsFile(file('many.jsonl', jsonl(...many)))).toEqual({
      conversations: 12_001,
      messages: 36_003,
      labels: 24_002,
      created: 12_000,
      updated: 1,
    });
    const [row] = await db().$queryRaw<{ convs: number; msgs: number; labels: number; events: number; wrong_docs: number; renamed: string }[]>`
      SELECT (SELECT count(*)::int FROM conversations) AS convs, (SELECT count(*)::int FROM messages) AS msgs,
             (SELECT count(*)::int FROM labels) AS labels, (SELECT count(*)::int FROM label_events) AS events,
             (SELECT count(*)::int FROM conversations c WHERE c.search IS DISTINCT FROM to_tsvector('simple',
                coalesce(c.candidate_name, '') || ' ' || coalesce(c.job_title, '') || ' ' ||
                (SELECT string_agg(m.text, ' ' ORDER BY m.position) FROM messages m WHERE m.conversation_id = c.id))) AS wrong_docs,
             (SELECT candidate_name FROM conversations WHERE external_id = 'existing-1') AS renamed`;
    // Plus the two labels of existing-1 from the file imported before each test (another reviewer).
    expect(row).toEqual({ convs: 12_001, msgs: 36_003, labels: 24_004, events: 24_004, wrong_docs: 0, renamed: 'Dana Renamed' });
    // Re-importing merges: nothing new, nothing duplicated.
    expect(await importConversationsFile(file('many.jsonl', jsonl(...many)))).toMatchObject({ created: 0, updated: 0 });
    expect(await db().conversation.count()).toBe(12_001);
  }, 120_000);
});
