// Reads a training example's user message back into the conversation it renders: one line per
// message, `[+2h 5m] Candidate: …`, closed by `[+1d] Recruiter's turn: …`. The trainer is a
// separate process that only sees the JSONL, so it carries its own reader of that layout
// instead of importing the Studio's renderer; anything that is not such a transcript (a hand-typed
// prompt) still parses, as one candidate message, so inference never fails on free text.

export type Speaker = 'recruiter' | 'candidate';

export interface ParsedMessage {
  speaker: Speaker;
  /** Minutes since the previous message; null for the first line or an unknown time. */
  gap: number | null;
  text: string;
}

export interface ParsedTranscript {
  messages: ParsedMessage[];
  /** Minutes between the last message and the recruiter's turn; null when unknown. */
  turnGap: number | null;
  /** False when the text did not look like a transcript (then it is one candidate message). */
  structured: boolean;
}

const LINE = /^\[([^\]]*)\]\s*(Recruiter|Candidate)('s turn)?:\s?(.*)$/i;
const UNIT_MINUTES: Record<string, number> = { d: 1440, h: 60, m: 1, s: 1 / 60 };

/** "+2d 4h" → 3120; "start", "?" or anything else → null. */
export function parseGap(label: string): number | null {
  const t = label.trim();
  if (t.charCodeAt(0) !== 43) return null;
  // By hand rather than by regex: this runs for every line of every example.
  let minutes = 0;
  let parts = 0;
  let n = -1;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) n = (n < 0 ? 0 : n * 10) + (c - 48);
    else if (n >= 0 && UNIT_MINUTES[t[i]] !== undefined) {
      minutes += n * UNIT_MINUTES[t[i]];
      parts++;
      n = -1;
    } else if (c !== 32) n = -1;
  }
  return parts ? minutes : null;
}

export function parseTranscript(raw: string): ParsedTranscript {
  const messages: ParsedMessage[] = [];
  let turnGap: number | null = null;
  let structured = false;
  for (const line of raw.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) {
      // A continuation of the previous message (the Studio never writes one, but a pasted
      // transcript may): keep the words with the message they belong to.
      const extra = line.trim();
      if (extra && messages.length) messages[messages.length - 1].text += ` ${extra}`;
      else if (extra) messages.push({ speaker: 'candidate', gap: null, text: extra });
      continue;
    }
    structured = true;
    const gap = parseGap(m[1]);
    if (m[3]) {
      turnGap = gap;
      continue;
    }
    messages.push({ speaker: m[2].toLowerCase() as Speaker, gap, text: m[4] });
  }
  if (!structured) return { messages: raw.trim() ? [{ speaker: 'candidate', gap: null, text: raw.trim() }] : [], turnGap: null, structured };
  return { messages, turnGap, structured };
}
