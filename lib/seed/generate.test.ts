import { describe, expect, it } from 'vitest';
import { importConversationSchema } from '../imports/schema';
import { generateSampleConversations, sampleConversationsJsonl } from './generate';

describe('sample data generator', () => {
  const sample = generateSampleConversations();

  it('is deterministic: two runs give byte-identical files', () => {
    expect(sampleConversationsJsonl()).toBe(sampleConversationsJsonl());
    expect(sampleConversationsJsonl(50, 1)).not.toBe(sampleConversationsJsonl(50, 2));
  });

  it('makes at least 400 valid conversations, about a third pre-labeled', () => {
    expect(sample.length).toBeGreaterThanOrEqual(400);
    for (const { scenario: _s, ...c } of sample) expect(importConversationSchema.safeParse(c).success).toBe(true);
    const labeled = sample.filter((c) => c.messages.some((m) => m.label)).length;
    expect(labeled / sample.length).toBeGreaterThan(0.3);
    expect(labeled / sample.length).toBeLessThan(0.37);
  });

  it('labels every recruiter turn of a labeled conversation and never a candidate message', () => {
    for (const c of sample.filter((c) => c.messages.some((m) => m.label))) {
      for (const m of c.messages) expect(!!m.label).toBe(m.sender === 'recruiter');
    }
  });

  it('covers the situations recruiters meet', () => {
    const scenarios = new Set(sample.map((c) => c.scenario));
    for (const s of ['opt_out', 'wrong_number', 'pay_question', 'location_too_far', 'reschedule', 'silent_nudged_twice', 'decline_then_change_mind', 'hostile', 'hired_elsewhere']) {
      expect(scenarios).toContain(s);
    }
    const texts = sample.flatMap((c) => c.messages.map((m) => m.text));
    expect(texts.some((t) => /^stop$/i.test(t))).toBe(true);
    expect(new Set(sample.map((c) => c.job_title)).size).toBeGreaterThanOrEqual(12);
    const labels = new Set(sample.flatMap((c) => c.messages.map((m) => m.label)).filter(Boolean));
    expect([...labels].sort()).toEqual(['CONTINUE', 'END', 'SCHEDULE']);
  });
});
