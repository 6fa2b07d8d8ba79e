// Token counts with o200k_base (the gpt-4o / gpt-4.1 family encoding), counted the way the
// OpenAI cookbook does (reference §1.4): 3 per message + the role + the content, +3 per example.
//
// Speed: tiktoken first splits text with a regex into pieces and encodes each piece on its
// own, so a text's count is the sum of its pieces' counts. Pieces (words, punctuation runs)
// repeat endlessly in SMS threads, so their counts are cached: a million examples count in
// seconds instead of minutes, and the result is the same number js-tiktoken gives.
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

let encoder: Tiktoken | null = null;
const PIECE = new RegExp(o200kBase.pat_str, 'gu');
const pieceCounts = new Map<string, number>();
const MAX_CACHED_PIECES = 500_000;

function enc(): Tiktoken {
  encoder ??= new Tiktoken(o200kBase);
  return encoder;
}

/** Tokens of `text` as plain text (special-token strings such as <|endoftext|> count as text). */
export function countTokens(text: string): number {
  let n = 0;
  // An exec loop on the one global regex, not matchAll: matchAll clones the (large) regex and
  // goes through the iterator protocol per call, ~40 % of the cost of counting a new text. Not
  // reentrant, and needs none: nothing below calls back here.
  PIECE.lastIndex = 0;
  for (let m = PIECE.exec(text); m !== null; m = PIECE.exec(text)) {
    const piece = m[0];
    // Every alternative of o200k's pattern matches at least one character, but never loop on an empty match.
    if (piece.length === 0) {
      PIECE.lastIndex++;
      continue;
    }
    let c = pieceCounts.get(piece);
    if (c === undefined) {
      c = enc().encode(piece, [], []).length;
      if (pieceCounts.size >= MAX_CACHED_PIECES) pieceCounts.clear();
      pieceCounts.set(piece, c);
    }
    n += c;
  }
  return n;
}

/** js-tiktoken's own count, uncached (tests compare the two). */
export function countTokensUncached(text: string): number {
  return enc().encode(text, [], []).length;
}

const PER_MESSAGE = 3;
const PER_EXAMPLE = 3;

/** Tokens of one chat message (role + content + framing). */
export function messageTokens(role: string, content: string): number {
  return PER_MESSAGE + countTokens(role) + countTokens(content);
}

/** Tokens of a whole example given its messages, as the cookbook's num_tokens_from_messages. */
export function exampleTokens(messages: readonly { role: string; content: string }[]): number {
  let n = PER_EXAMPLE;
  for (const m of messages) n += messageTokens(m.role, m.content);
  return n;
}

/** Framing of a 3-message example (system, user, assistant) apart from the three contents. */
export function chatFramingTokens(): number {
  return PER_EXAMPLE + 3 * PER_MESSAGE + countTokens('system') + countTokens('user') + countTokens('assistant');
}
