// The golden set is the yardstick: these checks keep it well-formed, large enough, balanced
// as README.md states, and importable by the real importer. They do not judge the labels
// themselves (that was the second read by hand); they catch the mechanical slips a person
// makes while writing 200 conversations.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { db } from '../db';
import { resetDatabase } from '../testing/db-snapshot';
import { importConversationsFile } from '../imports';
import { importConversationSchema } from '../imports/schema';
import { buildGolden, type GoldenConversation } from './parse-parts';
import { GOLDEN_CATEGORIES_FILE, GOLDEN_FILE } from './golden-file';
import { goldenStats, scoredTurns } from './stats';

const FILE = GOLDEN_FILE;
const raw = JSON.parse(fs.readFileSync(FILE, 'utf8')) as unknown;
const file = z
  .object({ conversations: z.array(importConversationSchema) })
  .strict()
  .parse(raw);
const conversations = file.conversations as GoldenConversation[];
const tags = JSON.parse(fs.readFileSync(GOLDEN_CATEGORIES_FILE, 'utf8')) as Record<string, string[]>;

// Words that only turn up in the Spanish and Spanglish threads.
const SPANISH =
  /(?<!\p{L})(hola|gracias|sí|trabajo|tengo|puedo|cuánto|cuanto|quién|qué|perdón|perdon|mañana|horario|turno|también|interesada|interesado|pagan|años|esposo|esposa|hijo|llámame|llamame)(?!\p{L})/iu;

describe('golden set: shape', () => {
  it('conversations.json is exactly what parts/*.txt build to (edit the parts, then run build.ts)', () => {
    const built = buildGolden();
    expect(conversations).toEqual(built.conversations);
    expect(tags).toEqual(built.tags);
  });

  it('parses against the import schema, with unique golden- ids', () => {
    const ids = conversations.map((c) => c.external_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^golden-\d{3}$/);
  });

  it('labels every recruiter message and no candidate message', () => {
    for (const c of conversations) {
      for (const m of c.messages) {
        if (m.sender === 'recruiter') expect(m.label, `${c.external_id}: ${m.text}`).toMatch(/^(END|CONTINUE|SCHEDULE)$/);
        else expect(m.label, `${c.external_id}: ${m.text}`).toBeUndefined();
      }
      expect(c.messages[0].sender, `${c.external_id} opens with the recruiter`).toBe('recruiter');
    }
  });

  it('has strictly increasing UTC timestamps inside every conversation', () => {
    for (const c of conversations) {
      for (const m of c.messages) expect(m.sent_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      for (let i = 1; i < c.messages.length; i++) {
        expect(Date.parse(c.messages[i].sent_at), `${c.external_id} message ${i}`).toBeGreaterThan(Date.parse(c.messages[i - 1].sent_at));
      }
    }
  });
});

describe('golden set: size and balance', () => {
  const stats = goldenStats(conversations, tags);

  it('holds at least 150 conversations and 400 scored turns (recruiter turns after the opening)', () => {
    expect(stats.conversations).toBeGreaterThanOrEqual(150);
    expect(stats.scoredTurns).toBeGreaterThanOrEqual(400);
  });

  it('keeps a realistic label mix of scored turns', () => {
    expect(stats.share.CONTINUE).toBeGreaterThanOrEqual(0.45);
    expect(stats.share.CONTINUE).toBeLessThanOrEqual(0.55);
    expect(stats.share.END).toBeGreaterThanOrEqual(0.2);
    expect(stats.share.END).toBeLessThanOrEqual(0.3);
    expect(stats.share.SCHEDULE).toBeGreaterThanOrEqual(0.2);
    expect(stats.share.SCHEDULE).toBeLessThanOrEqual(0.3);
  });

  it('has at least 8 Spanish or Spanglish threads, and every thread tagged so contains Spanish', () => {
    const tagged = conversations.filter((c) => tags[c.external_id].some((t) => t === 'spanish' || t === 'spanglish'));
    expect(tagged.length).toBeGreaterThanOrEqual(8);
    for (const c of tagged)
      expect(
        c.messages.some((m) => SPANISH.test(m.text)),
        c.external_id,
      ).toBe(true);
  });

  it('covers the categories the issue names, several times each', () => {
    const need = [
      'spanish',
      'typos',
      'caps',
      'slang',
      'emoji',
      'voice-to-text',
      'one-word',
      'long-message',
      'implicit-decline',
      'polite-decline',
      'sarcasm',
      'interest-after-no',
      'question-after-time',
      'reschedule',
      'just-call-me',
      'wrong-number-friendly',
      'wrong-number-hostile',
      'referral',
      'stop-mid-sentence',
      'stop-word-not-optout',
      'silent-one-nudge',
      'silent-two-nudges',
      'salary-low-negotiable',
      'salary-low-firm',
      'requirement-missing',
      'requirement-path',
      'hired-elsewhere',
      'already-applied',
      'text-later',
      'who-is-this',
      'proposes-time',
      'accepts-time',
      'still-interested',
      'hostile',
      'remote-only',
    ];
    for (const t of need) expect(stats.perTag[t] ?? 0, t).toBeGreaterThanOrEqual(2);
  });
});

describe('golden set: label rules that can be checked mechanically', () => {
  it('the opening message is labeled but never END (CONTINUE, or SCHEDULE when it already offers a time)', () => {
    for (const c of conversations) expect(['CONTINUE', 'SCHEDULE'], c.external_id).toContain(c.messages[0].label);
  });

  it('a recruiter turn after two unanswered nudges is the close (END), and an earlier nudge never is', () => {
    for (const c of conversations) {
      let unanswered = 0;
      for (const m of c.messages) {
        if (m.sender === 'candidate') {
          unanswered = 0;
          continue;
        }
        // Opening + two nudges (or a reply's answer + two nudges) unanswered: the next turn lets go.
        if (unanswered >= 3) expect(m.label, `${c.external_id}: ${m.text}`).toBe('END');
        // A nudge (one or two recruiter texts already unanswered) keeps the door open.
        else if (unanswered > 0) expect(m.label, `${c.external_id}: ${m.text}`).not.toBe('END');
        unanswered += 1;
      }
    }
  });

  it('a bare STOP is followed by END', () => {
    for (const c of conversations) {
      c.messages.forEach((m, i) => {
        if (m.sender === 'candidate' && /^\s*stop\s*$/i.test(m.text)) expect(c.messages[i + 1]?.label, c.external_id).toBe('END');
      });
    }
  });

  it('every conversation has at least one scored turn', () => {
    for (const c of conversations) expect(scoredTurns(c).length, c.external_id).toBeGreaterThan(0);
  });
});

describe('golden set: the real importer takes it', () => {
  it('imports every conversation and every label', async () => {
    await resetDatabase();
    const recruiterTurns = conversations.reduce((n, c) => n + c.messages.filter((m) => m.sender === 'recruiter').length, 0);
    const summary = await importConversationsFile(FILE);
    expect(summary).toMatchObject({ conversations: conversations.length, created: conversations.length, labels: recruiterTurns });
    const rows = await db().$queryRaw<{ value: string; n: bigint }[]>`
      SELECT l.value::text AS value, count(*) AS n FROM labels l
      JOIN conversations c ON c.id = l.conversation_id WHERE c.external_id LIKE 'golden-%' GROUP BY 1`;
    const stored = Object.fromEntries(rows.map((r) => [r.value, Number(r.n)]));
    const expected: Record<string, number> = {};
    for (const c of conversations) for (const m of c.messages) if (m.label) expected[m.label] = (expected[m.label] ?? 0) + 1;
    expect(stored).toEqual(expected);
    await resetDatabase();
  });
});
