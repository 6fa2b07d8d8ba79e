import { describe, expect, it } from 'vitest';
import { renderTranscript } from '../datasets/transcript';
import { importConversationSchema } from '../imports/schema';
import { sampleExamples } from './examples';
import {
  conversationStream,
  DEFAULT_SAMPLE_COUNT,
  DEFAULT_SAMPLE_SEED,
  generateSampleConversations,
  sampleConversationsJsonl,
  type GeneratedConversation,
} from './generate';

function fullyLabeled(count: number, seed = DEFAULT_SAMPLE_SEED): GeneratedConversation[] {
  const out: GeneratedConversation[] = [];
  for (const c of conversationStream(seed)) {
    out.push(c);
    if (out.length >= count) break;
  }
  return out;
}

/** For each recruiter message: how many recruiter messages came since the candidate last wrote. */
function unansweredBefore(c: GeneratedConversation): number[] {
  let n = 0;
  return c.messages.map((m) => {
    if (m.sender === 'candidate') {
      n = 0;
      return -1;
    }
    return n++;
  });
}

describe('sample data generator', () => {
  const sample = generateSampleConversations();
  const full = fullyLabeled(DEFAULT_SAMPLE_COUNT);

  it('is deterministic: two runs give byte-identical files', () => {
    expect(sampleConversationsJsonl()).toBe(sampleConversationsJsonl());
    expect(sampleConversationsJsonl(50, 1)).not.toBe(sampleConversationsJsonl(50, 2));
    expect(JSON.stringify(sampleExamples(300, 5))).toBe(JSON.stringify(sampleExamples(300, 5)));
  });

  it('makes at least 400 valid conversations, about a third pre-labeled', () => {
    expect(sample.length).toBeGreaterThanOrEqual(400);
    for (const seed of [DEFAULT_SAMPLE_SEED, 1, 3, 5, 11]) {
      for (const { scenario: _s, ...c } of generateSampleConversations(seed === DEFAULT_SAMPLE_SEED ? DEFAULT_SAMPLE_COUNT : 1000, seed)) {
        const parsed = importConversationSchema.safeParse(c);
        expect(parsed.success, `${seed} ${c.external_id}: ${parsed.error?.message}`).toBe(true);
      }
    }
    const labeled = sample.filter((c) => c.messages.some((m) => m.label)).length;
    expect(labeled / sample.length).toBeGreaterThan(0.3);
    expect(labeled / sample.length).toBeLessThan(0.37);
  });

  it('labels every recruiter turn of a labeled conversation and never a candidate message', () => {
    for (const c of sample.filter((c) => c.messages.some((m) => m.label))) {
      for (const m of c.messages) expect(!!m.label).toBe(m.sender === 'recruiter');
    }
  });

  it('is not a lookup table: at least 2,000 distinct candidate replies in the seed', () => {
    const replies = sample.flatMap((c) => c.messages.filter((m) => m.sender === 'candidate').map((m) => m.text));
    expect(new Set(replies).size).toBeGreaterThanOrEqual(2000);
  });

  it('has a sane label mix: each label at least 15% of the recruiter turns that are examples', () => {
    const counts = { END: 0, CONTINUE: 0, SCHEDULE: 0 };
    let total = 0;
    for (const c of full) {
      c.labels.forEach((l, i) => {
        if (l && i > 0) {
          counts[l]++;
          total++;
        }
      });
    }
    for (const n of Object.values(counts)) expect(n / total).toBeGreaterThanOrEqual(0.15);
  });

  it('covers the situations recruiters meet, in many jobs, with a few Spanish threads', () => {
    const scenarios = new Set(sample.map((c) => c.scenario));
    for (const s of [
      'opt_out',
      'wrong_number',
      'pay_question',
      'location_too_far',
      'reschedule',
      'silent_nudged_twice',
      'decline_then_change_mind',
      'hostile',
      'hired_elsewhere',
      'spanish',
      'inbound',
    ]) {
      expect(scenarios).toContain(s);
    }
    const texts = sample.flatMap((c) => c.messages.map((m) => m.text));
    expect(texts.some((t) => /^stop$/i.test(t))).toBe(true);
    expect(new Set(sample.map((c) => c.job_title)).size).toBeGreaterThanOrEqual(25);
    const spanish = sample.filter((c) =>
      c.messages.some((m) => m.sender === 'candidate' && /\b(gracias|me interesa|cuánto|no hablo|equivocado)\b/i.test(m.text)),
    );
    expect(spanish.length / sample.length).toBeGreaterThan(0.02);
    expect(spanish.length / sample.length).toBeLessThan(0.1);
  });

  it('follows the silence rule: nudges are CONTINUE, the close after two unanswered nudges is END', () => {
    let closes = 0;
    let comebacks = 0;
    for (const c of full) {
      const before = unansweredBefore(c);
      c.messages.forEach((m, i) => {
        if (m.sender !== 'recruiter' || i === 0 || before[i] === 0) return;
        // Only a reminder of a booked interview breaks the silence without a nudge.
        if (before[i] >= 3) {
          expect(c.labels[i], `${c.external_id} #${i}`).toBe('END');
          closes++;
          if (c.messages.slice(i + 1).some((n) => n.sender === 'candidate')) comebacks++;
        } else expect(['CONTINUE', 'SCHEDULE'], `${c.external_id} #${i}`).toContain(c.labels[i]);
      });
    }
    expect(closes).toBeGreaterThanOrEqual(20);
    expect(comebacks).toBeGreaterThan(0);
  });

  it('labels by DESIGN §1: a bare yes to "interested?" screens, the last screening answer books, a referral continues', () => {
    let bareYes = 0;
    let lastScreen = 0;
    let referrals = 0;
    for (const c of fullyLabeled(3000, 7)) {
      c.messages.forEach((m, i) => {
        const next = c.messages.findIndex((n, j) => j > i && n.sender === 'recruiter');
        const prev = c.messages.slice(0, i).findLastIndex((n) => n.sender === 'recruiter');
        if (m.sender !== 'candidate' || next < 0 || prev < 0 || c.messages.slice(i + 1, next).some((n) => n.sender === 'candidate')) return;
        if (c.messages[i - 1] !== c.messages[prev]) return;
        const asked = c.messages[prev].text;
        if (prev === 0 && /^(yes|yes!|yes please|interested|im interested|yep|yea|sure)$/i.test(m.text) && !/interview|schedule|book/i.test(asked)) {
          expect(c.labels[next], `${c.external_id} #${next}`).toBe('CONTINUE');
          bareYes++;
        }
        if (
          /^(Last thing before I set up your interview|One quick question and then we can book)/.test(asked.replace(/^\S+!? /, '')) &&
          /^(yes|yep|yup|yea|of course)\W*$/i.test(m.text)
        ) {
          expect(c.labels[next], `${c.external_id} #${next}`).toBe('SCHEDULE');
          lastScreen++;
        }
        if (/\bbut my (cousin|brother|friend|sister|neighbor|son|roommate) (might|is looking|needs|would)\b/i.test(m.text)) {
          expect(c.labels[next], `${c.external_id} #${next}`).toBe('CONTINUE');
          referrals++;
        }
      });
    }
    expect(bareYes).toBeGreaterThan(5);
    expect(lastScreen).toBeGreaterThan(5);
    expect(referrals).toBeGreaterThan(3);
  });

  it('reads STOP as an opt-out but not "bus stop" or "stop by"', () => {
    let optOuts = 0;
    let notOptOuts = 0;
    for (const c of fullyLabeled(3000, 11)) {
      c.messages.forEach((m, i) => {
        const next = c.messages.findIndex((n, j) => j > i && n.sender === 'recruiter');
        if (m.sender !== 'candidate' || next < 0 || c.messages.slice(i + 1, next).some((n) => n.sender === 'candidate')) return;
        if (/^stop\W*$/i.test(m.text)) {
          expect(c.labels[next]).toBe('END');
          optOuts++;
        }
        if (/\b(bus stop|stop by)\b/i.test(m.text)) {
          expect(c.labels[next]).not.toBe('END');
          notOptOuts++;
        }
      });
    }
    expect(optOuts).toBeGreaterThan(10);
    expect(notOptOuts).toBeGreaterThan(3);
  });

  it('gives the trainer examples in the export format: every recruiter turn but the opening', () => {
    const lines = sampleExamples(500, 3);
    expect(lines).toHaveLength(500);
    for (const l of lines) {
      expect(l.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(l.messages[1].content).toMatch(/\[[^\]\n]+\] Recruiter's turn: END, CONTINUE or SCHEDULE\?$/);
      expect(l.messages[1].content).not.toMatch(/^\[start\] Recruiter's turn/);
      expect(['END', 'CONTINUE', 'SCHEDULE']).toContain(l.messages[2].content);
    }
    // Exactly what the Studio exports for these turns.
    const expected: string[] = [];
    for (const c of conversationStream(3)) {
      const ms = c.messages.map((m) => ({ sender: m.sender, text: m.text, sentAt: new Date(m.sent_at!) }));
      for (let i = 1; i < ms.length && expected.length < 500; i++) if (c.labels[i]) expected.push(renderTranscript(ms, i, 'all'));
      if (expected.length >= 500) break;
    }
    expect(lines.map((l) => l.messages[1].content)).toEqual(expected);
    const noisy = sampleExamples(500, 3, { noise: 0.5 });
    expect(noisy.filter((l, i) => l.messages[2].content !== lines[i].messages[2].content).length).toBeGreaterThan(100);
  });
});
