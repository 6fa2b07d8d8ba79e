// Counts of the golden set: what README.md reports and golden.test.ts checks.
import type { GoldenConversation, GoldenLabel } from './parse-parts';

export function scoredTurns(c: GoldenConversation) {
  // The opening message has nothing before it, so it is labeled but never an example.
  return c.messages.filter((m, i) => m.sender === 'recruiter' && i > 0);
}

export function goldenStats(conversations: GoldenConversation[], tags: Record<string, string[]>) {
  const perLabel: Record<GoldenLabel, number> = { END: 0, CONTINUE: 0, SCHEDULE: 0 };
  let scored = 0;
  for (const c of conversations)
    for (const m of scoredTurns(c)) {
      perLabel[m.label!] += 1;
      scored += 1;
    }
  const perTag: Record<string, number> = {};
  for (const list of Object.values(tags)) for (const t of list) perTag[t] = (perTag[t] ?? 0) + 1;
  const share = Object.fromEntries(Object.entries(perLabel).map(([k, v]) => [k, +(v / Math.max(1, scored)).toFixed(3)]));
  return {
    conversations: conversations.length,
    messages: conversations.reduce((n, c) => n + c.messages.length, 0),
    scoredTurns: scored,
    perLabel,
    share,
    perTag: Object.fromEntries(Object.entries(perTag).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
  };
}
