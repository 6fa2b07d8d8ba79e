// Conversations with known content that the browser tests label and search for. They are
// written in the import format and loaded through the real import code by e2e/run.ts.
const t0 = Date.parse('2026-11-20T15:00:00Z');
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

// `candidateFirst`: the candidate wrote first, so every recruiter message is a decision (a
// recruiter-first thread opens with a message that is not one, and labeling skips it).
function alternating(externalId: string, name: string, job: string, turns: number, lastMinute: number, candidateFirst = false) {
  const messages = [];
  if (candidateFirst) messages.push({ sender: 'candidate', text: `Hi, I saw the ${job} posting`, sent_at: at(lastMinute - turns * 10 - 5) });
  for (let i = 0; i < turns; i++) {
    messages.push({ sender: 'recruiter', text: `Recruiter question ${i + 1} about the ${job} role`, sent_at: at(lastMinute - (turns - i) * 10) });
    messages.push({ sender: 'candidate', text: `Candidate answer ${i + 1}`, sent_at: at(lastMinute - (turns - i) * 10 + 5) });
  }
  return { external_id: externalId, candidate_name: name, job_title: job, messages };
}

export const E2E_CONVERSATIONS = [
  // Very recent activity so these sort to the top of the list.
  alternating('e2e-keyboard', 'Kim Keyboard', 'zamboni driver', 5, 100_000, true),
  alternating('e2e-burst', 'Bea Burst', 'lighthouse keeper', 20, 99_000, true),
  alternating('e2e-next-a', 'Nia Next', 'ferry pilot', 2, 98_000),
  {
    external_id: 'e2e-xss',
    candidate_name: 'Xavier <b>Bold</b>',
    job_title: 'pen tester',
    messages: [
      { sender: 'recruiter', text: 'Hi Xavier, still interested in the pen tester role?', sent_at: at(97_000) },
      { sender: 'candidate', text: 'sure <script>window.__xss = 1; alert("xss")</script><img src=x onerror="window.__xss=2">', sent_at: at(97_005) },
      { sender: 'recruiter', text: 'Great, what times work for a call?', sent_at: at(97_010) },
    ],
  },
];

export function fixturesJsonl(): string {
  return E2E_CONVERSATIONS.map((c) => JSON.stringify(c)).join('\n') + '\n';
}
