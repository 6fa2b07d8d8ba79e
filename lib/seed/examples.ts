// The sample conversations as training examples, for the local trainer's tests and benchmarks:
// exactly the lines the Studio exports (DEFAULT_INSTRUCTIONS as system, the transcript rendered
// by lib/datasets/transcript.ts as user, the label as assistant), one per labeled recruiter turn
// except each conversation's opening message. Deterministic for a seed.
import { DEFAULT_INSTRUCTIONS } from '../datasets/default-instructions';
import { transcriptLine, turnLine, type TranscriptMessage } from '../datasets/transcript';
import { createRng } from '../prng';
import { conversationStream } from './generate';
import { LABELS } from './scenarios';

export interface ChatLine {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
}

export interface SampleExampleOptions {
  /** Share of examples whose label is replaced by a random one (default 0: labels as generated). */
  noise?: number;
}

/** The first `n` examples of conversationStream(seed); `noise` relabels a share at random. */
export function sampleExamples(n: number, seed: number, { noise = 0 }: SampleExampleOptions = {}): ChatLine[] {
  const noiseRng = createRng(seed ^ 0x9e3779b9);
  const out: ChatLine[] = [];
  for (const c of conversationStream(seed)) {
    const messages: TranscriptMessage[] = c.messages.map((m) => ({ sender: m.sender, text: m.text, sentAt: m.sent_at ? new Date(m.sent_at) : null }));
    // The same text as renderTranscript(messages, i, 'all'), each line rendered once.
    let before = transcriptLine(messages, 0);
    for (let i = 1; i < messages.length && out.length < n; before += transcriptLine(messages, i), i++) {
      const label = c.labels[i];
      if (!label) continue;
      const truth = noise > 0 && noiseRng.chance(noise) ? noiseRng.pick(LABELS) : label;
      out.push({
        messages: [
          { role: 'system', content: DEFAULT_INSTRUCTIONS },
          { role: 'user', content: before + turnLine(messages, i) },
          { role: 'assistant', content: truth },
        ],
      });
    }
    if (out.length >= n) return out;
  }
  return out;
}

export const toJsonl = (lines: readonly ChatLine[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
