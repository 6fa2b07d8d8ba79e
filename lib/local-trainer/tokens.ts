// Approximate token counts. The trainer has no tokenizer of its own (its "model" reads hashed
// n-grams), and running a real BPE over 100k-example files would cost more than training does,
// so it uses the common ~4 characters per token estimate with the cookbook's framing rule
// (3 per message + role + content, +3 per example; reference §1.4).
export const MAX_TOKENS_PER_EXAMPLE = 16_385;

export function approxTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export function approxMessageTokens(messages: readonly { role?: unknown; content?: unknown; name?: unknown }[]): number {
  let n = 3;
  for (const m of messages) {
    n += 3;
    if (typeof m.role === 'string') n += approxTokens(m.role);
    if (typeof m.content === 'string') n += approxTokens(m.content);
    else if (Array.isArray(m.content)) n += approxTokens(JSON.stringify(m.content));
    if (typeof m.name === 'string') n += approxTokens(m.name) + 1;
  }
  return n;
}

/**
 * The pieces a label is emitted in: 4-character chunks ("CONTINUE" → "CONT", "INUE"), so
 * `max_completion_tokens: 1` cuts a label the way a real BPE model would and reports `length`.
 */
export function labelPieces(label: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < label.length; i += 4) out.push(label.slice(i, i + 4));
  return out.length ? out : [''];
}
