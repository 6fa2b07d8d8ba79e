// The user message of an example: the SMS thread before a recruiter turn, one line per
// message, each prefixed with the time since the previous message. Silence matters to the
// advisor (a candidate nudged twice and still quiet should be let go), so the last line says
// how long it has been since the last message when the recruiter's turn comes.
//
// Every line ends with "\n" and starts with "[": that makes a line boundary a boundary of
// o200k_base's pre-tokenizer too, so a transcript's token count is the sum of its lines'
// counts (see tokens.ts) and each line is encoded once per conversation, not once per turn.

export interface TranscriptMessage {
  sender: 'recruiter' | 'candidate';
  text: string;
  sentAt: Date | null;
}

const SENDER = { recruiter: 'Recruiter', candidate: 'Candidate' } as const;

/** "45s", "12m", "3h 5m", "2d 4h". */
export function formatGap(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

function gapLabel(prev: Date | null | undefined, at: Date | null): string {
  if (prev === undefined) return 'start';
  if (!prev || !at) return '?';
  return `+${formatGap(at.getTime() - prev.getTime())}`;
}

/** The line for messages[i] (with its trailing newline); depends only on i and i-1. */
export function transcriptLine(messages: readonly TranscriptMessage[], i: number): string {
  const m = messages[i];
  const text = m.text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return `[${gapLabel(i === 0 ? undefined : messages[i - 1].sentAt, m.sentAt)}] ${SENDER[m.sender]}: ${text}\n`;
}

/** The closing line for a recruiter turn at index `turn` (no trailing newline). */
export function turnLine(messages: readonly TranscriptMessage[], turn: number): string {
  const prev = turn > 0 ? messages[turn - 1].sentAt : undefined;
  return `[${gapLabel(prev, messages[turn].sentAt)}] Recruiter's turn: END, CONTINUE or SCHEDULE?`;
}

/** First message index included for a turn under a context of 'all' or the last N messages. */
export function contextStart(turn: number, context: 'all' | number): number {
  return context === 'all' ? 0 : Math.max(0, turn - context);
}

export function renderTranscript(messages: readonly TranscriptMessage[], turn: number, context: 'all' | number): string {
  let out = '';
  for (let i = contextStart(turn, context); i < turn; i++) out += transcriptLine(messages, i);
  return out + turnLine(messages, turn);
}
