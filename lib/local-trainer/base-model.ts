// `local-base`: the untrained starting point, a keyword rule over the end of the transcript
// (the last candidate line if there is one, else the last line). It exists so "base versus
// fine-tuned" means something on the local trainer, as it does on OpenAI: it knows obvious
// opt-outs and times, and nothing about silence, requirements or context.
export const BASE_LABELS = ['END', 'CONTINUE', 'SCHEDULE'] as const;

const END_WORDS =
  /\b(stop|unsubscribe|not interested|wrong (number|person)|remove me|leave me alone|no thanks|no thank you|all set|already (accepted|hired|found|took)|too far|harass\w*|don'?t text)\b/i;
const SCHEDULE_WORDS =
  /\b(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?\b|\b(tomorrow|tmrw|tonight|morning|afternoon|evening)\b|\b\d{1,2}(:\d{2})?\s?(am|pm)\b|\b(works for me|that works|see you|interview|schedule|book|available)\b/i;

function lastCandidateLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) if (/\bcandidate\b\s*:/i.test(lines[i])) return lines[i].replace(/^.*?\bcandidate\b\s*:/i, '');
  return lines.at(-1) ?? '';
}

/** Probabilities over BASE_LABELS: 0.8 on the rule's pick, 0.1 on each other class. */
export function baseProba(text: string): Float64Array {
  const line = lastCandidateLine(text);
  const pick = END_WORDS.test(line) ? 0 : SCHEDULE_WORDS.test(line) ? 2 : 1;
  const p = new Float64Array(BASE_LABELS.length).fill(0.1);
  p[pick] = 0.8;
  return p;
}
