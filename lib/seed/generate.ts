// The deterministic sample-data generator: same count and seed ⇒ byte-identical output.
import type { ImportConversation } from '../imports/schema';
import { createRng } from './prng';
import { makeContext, SCENARIOS, SCENARIO_WEIGHTS } from './scenarios';
import { FIRST_NAMES, LAST_INITIALS, ROLES } from './vocabulary';

export const DEFAULT_SAMPLE_COUNT = 480;
export const DEFAULT_SAMPLE_SEED = 20261125;
// Times are relative to a fixed date, not "now", so the file never changes between runs.
const BASE_TIME = Date.parse('2026-09-20T00:00:00Z');

export interface SampleConversation extends ImportConversation {
  scenario: string;
}

export function generateSampleConversations(count = DEFAULT_SAMPLE_COUNT, seed = DEFAULT_SAMPLE_SEED): SampleConversation[] {
  const rng = createRng(seed);
  const totalWeight = SCENARIO_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const out: SampleConversation[] = [];
  for (let i = 0; i < count; i++) {
    let roll = rng.next() * totalWeight;
    const [scenario] = SCENARIO_WEIGHTS.find(([, w]) => (roll -= w) < 0) ?? SCENARIO_WEIGHTS[0];
    const id = `sms-${String(i + 1).padStart(5, '0')}`;
    const first = rng.pick(FIRST_NAMES);
    const ctx = makeContext(rng, first, rng.pick(ROLES), id);
    const turns = SCENARIOS[scenario](ctx);
    // About a third arrive pre-labeled, as if a reviewer had already been through them.
    const labeled = i % 3 === 0;
    let t = BASE_TIME + rng.int(0, 55) * 86_400_000 + rng.int(13 * 60, 23 * 60) * 60_000;
    out.push({
      scenario,
      external_id: id,
      candidate_name: `${first} ${rng.pick(LAST_INITIALS)}.`,
      job_title: ctx.role.title,
      messages: turns.map((turn) => {
        t += turn.gap * 60_000;
        return {
          sender: turn.sender,
          text: turn.text,
          sent_at: new Date(t).toISOString(),
          ...(labeled && turn.label ? { label: turn.label } : {}),
        };
      }),
    });
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
