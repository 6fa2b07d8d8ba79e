// The one sample-conversation generator. Same count and seed ⇒ byte-identical output.
//
//   generateSampleConversations(count?, seed?)  the seed's conversations in the import format (plus
//                                               an internal `scenario` name); about a third carry
//                                               labels on every recruiter turn, as if reviewed
//   sampleConversationsJsonl(count?, seed?)     the same, as the JSONL file the importer reads
//   conversationStream(seed)                    an endless stream of conversations, every recruiter
//                                               turn labeled (`labels[i]` for messages[i])
//   sampleExamples(n, seed) (./examples)        training examples in the Studio's export format
//
// Labels follow DESIGN.md §1: a recruiter turn's label is what that turn should do given
// everything the candidate said before it. They come from one rule (thread.ts), not from the
// scenarios. How it is built, so it is not a lookup table: scenarios.ts says what happens
// (questions, silences, decisions, comebacks), candidate.ts composes what candidates say from
// independent parts (many paraphrases per intent, asides, multi-intent bursts), style.ts types
// it in the candidate's style (shorthand, typos, caps, emoji, voice to text), recruiter.ts and
// spanish.ts write the recruiter's side to fit the label, times.ts the times, vocabulary.ts
// the people and 32 kinds of jobs. The seeded PRNG is lib/prng.ts.
//
// Used by `npm run seed` / `npm start` (./index.ts), e2e/run.ts, the dataset / eval / fine-tune
// tests, and the local trainer's tests and benchmarks (./examples.ts).
import type { ImportConversation } from '../imports/schema';
import { createRng } from '../prng';
import type { Label } from './labels';
import { makeScene, makeThread, runScenario, SCENARIO_WEIGHTS } from './scenarios';
import { FIRST_NAMES, LAST_INITIALS, ROLES, SPANISH_NAMES } from './vocabulary';

export const DEFAULT_SAMPLE_COUNT = 480;
export const DEFAULT_SAMPLE_SEED = 20261125;
// Times are relative to a fixed date, not "now", so the file never changes between runs.
const BASE_TIME = Date.parse('2026-09-20T00:00:00Z');

export interface SampleConversation extends ImportConversation {
  scenario: string;
}

export interface GeneratedConversation extends SampleConversation {
  /** The right label of every recruiter message (undefined for candidate messages). */
  labels: (Label | undefined)[];
}

export function* conversationStream(seed: number): Generator<GeneratedConversation> {
  const rng = createRng(seed);
  const totalWeight = SCENARIO_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  for (let i = 0; ; i++) {
    let roll = rng() * totalWeight;
    const [scenario] = SCENARIO_WEIGHTS.find(([, w]) => (roll -= w) < 0) ?? SCENARIO_WEIGHTS[0];
    const id = `sms-${String(i + 1).padStart(5, '0')}`;
    const first = rng.pick(scenario === 'spanish' ? SPANISH_NAMES : FIRST_NAMES);
    const scene = makeScene(rng, first, rng.pick(ROLES));
    const thread = makeThread(scene);
    runScenario(scenario, thread);
    const turns = thread.turns;
    let t = BASE_TIME + rng.int(0, 55) * 86_400_000 + rng.int(13 * 60, 23 * 60) * 60_000;
    yield {
      scenario,
      external_id: id,
      candidate_name: `${first} ${rng.pick(LAST_INITIALS)}.`,
      job_title: scene.role.title,
      messages: turns.map((turn) => {
        t += turn.gap * 60_000;
        return { sender: turn.sender, text: turn.text, sent_at: new Date(t).toISOString() };
      }),
      labels: turns.map((turn) => turn.label),
    };
  }
}

export function generateSampleConversations(count = DEFAULT_SAMPLE_COUNT, seed = DEFAULT_SAMPLE_SEED): SampleConversation[] {
  const out: SampleConversation[] = [];
  if (count <= 0) return out;
  for (const { labels, ...c } of conversationStream(seed)) {
    // About a third arrive pre-labeled, as if a reviewer had already been through them.
    const labeled = out.length % 3 === 0;
    out.push({ ...c, messages: c.messages.map((m, i) => (labeled && labels[i] ? { ...m, label: labels[i] } : m)) });
    if (out.length >= count) break;
  }
  return out;
}

/** The sample conversations in the import format, one per line (the scenario name is internal). */
export function sampleConversationsJsonl(count?: number, seed?: number): string {
  return (
    generateSampleConversations(count, seed)
      .map(({ scenario: _scenario, ...c }) => JSON.stringify(c))
      .join('\n') + '\n'
  );
}
