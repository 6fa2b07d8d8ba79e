// How a version stores its user messages: once per conversation, not once per turn.
//
// With context 'all', turn t's user message is lines 0..t-1 of the conversation plus a closing
// line, so turn t+1's is an extension of turn t's and storing each in full grows with the square
// of the conversation's length. Instead a conversation's rendered lines are stored once, as one
// text addressed by its sha256 (dataset_transcripts), and an example keeps the slice that is its
// context window (any context, 'all' or the last N, is a contiguous run of lines) and its
// closing line. Versions that render a conversation the same way share the row.
//
// Slices count code points, as PostgreSQL's substr() does, not UTF-16 units as JS strings do.
import { hash } from 'node:crypto';
import { contextStart, transcriptLine, turnLine, type TranscriptMessage } from './transcript';

export interface StoredTranscript {
  /** Every message's line, concatenated. */
  text: string;
  /** sha256 of `text` (UTF-8), the row's key. */
  sha256: Buffer;
  lines: string[];
  /** UTF-16 offset of line i in `text` (lines.length + 1 entries). */
  jsOffset: Int32Array;
  /** Code point offset of line i in `text` (lines.length + 1 entries). */
  cpOffset: Int32Array;
}

/** Code points in `s` (a surrogate pair is one). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export function storeTranscript(messages: readonly TranscriptMessage[]): StoredTranscript {
  const lines = messages.map((_, i) => transcriptLine(messages, i));
  const jsOffset = new Int32Array(lines.length + 1);
  const cpOffset = new Int32Array(lines.length + 1);
  for (let i = 0; i < lines.length; i++) {
    jsOffset[i + 1] = jsOffset[i] + lines[i].length;
    cpOffset[i + 1] = cpOffset[i] + codePointLength(lines[i]);
  }
  const text = lines.join('');
  return { text, sha256: hash('sha256', text, 'buffer'), lines, jsOffset, cpOffset };
}

export interface ExampleWindow {
  /** 1-based code point where the context starts (PostgreSQL substr's `from`). */
  contextFrom: number;
  contextChars: number;
  closing: string;
  /** First line index of the context (for token counting). */
  firstLine: number;
}

/** Where the example at message index `turn` sits in the stored transcript, and its closing line. */
export function exampleWindow(t: StoredTranscript, messages: readonly TranscriptMessage[], turn: number, context: 'all' | number): ExampleWindow {
  const first = contextStart(turn, context);
  return { contextFrom: t.cpOffset[first] + 1, contextChars: t.cpOffset[turn] - t.cpOffset[first], closing: turnLine(messages, turn), firstLine: first };
}

/** The example's user message: its window of the transcript and its closing line. */
export function windowContent(t: StoredTranscript, w: ExampleWindow, turn: number): string {
  return t.text.slice(t.jsOffset[w.firstLine], t.jsOffset[turn]) + w.closing;
}

/** SQL for an example's user message over `dataset_examples e JOIN dataset_transcripts t`. */
export const USER_CONTENT_SQL = `substr(t.text, e.context_from, e.context_chars) || e.closing`;
