// Tokens of one transcript line, `[<gap>] <Sender>: <text>\n`, counted as the sum of its head
// `[<gap>] <Sender>:` and its tail ` <text>\n`, each looked up in a cache. The tail is the
// message itself, so a text that recurs (and SMS replies do: "ok", "yes", "STOP", templates)
// is counted once per build instead of once per line, whatever gap precedes it.
//
// Exact, not an approximation: tiktoken's pre-tokenizer (o200k_base's pattern) splits a text
// into pieces left to right, and the piece that starts at the colon is the colon alone (the
// colon alternative ` ?[^\s\p{L}\p{N}]+[\r\n/]*` stops at the space after it, and no other
// alternative matches there), so a piece always begins at the space after it. Matching from
// a position reads only what follows it (the pattern has lookaheads, no lookbehinds), so the
// pieces from that space on are the tail's own pieces. The gap label never holds a colon
// ("start", "?", "+45s", "+3h 5m"), so the first colon is the one after the sender.
// line-tokens.test.ts checks the sum against js-tiktoken's own count.
import { countTokens } from './tokens';

const cache = new Map<string, number>();
const MAX_CACHED = 200_000;

function cached(text: string): number {
  let n = cache.get(text);
  if (n === undefined) {
    n = countTokens(text);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(text, n);
  }
  return n;
}

/** countTokens(line) for a line from transcriptLine (any other text: counted whole). */
export function transcriptLineTokens(line: string): number {
  const colon = line.indexOf(': ');
  if (line.charCodeAt(0) !== 0x5b || colon < 0) return countTokens(line);
  return cached(line.slice(0, colon + 1)) + cached(line.slice(colon + 1));
}
