// Labeled conversations for bench:scale, written straight into PostgreSQL with COPY (a few
// seconds per million rows, where INSERT … SELECT with per-row string building takes minutes):
// N conversations × 10 messages, the four recruiter turns after the opening labeled by one
// reviewer, so N × 4 labeled turns and as many dataset examples. Each label follows from the
// candidate message before the turn (a decline or opt-out → END, a time → SCHEDULE, a question
// → CONTINUE, 5 % of labels flipped), so a trained model has something to learn and an eval
// scores it on text it has not seen. Deterministic: every text is a hash of (conversation, position).
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField } from '../imports/copy-text';
import { FIRST_NAMES, LAST_INITIALS, ROLES } from '../seed/vocabulary';

export const LABELED_TURNS_PER_CONVERSATION = 4;
export const SCALE_REVIEWER = { id: 'bench-rev', name: 'Bench Reviewer', email: 'rev@bench', role: 'reviewer' } as const;
export const SCALE_LEAD = { id: 'bench-lead', name: 'Bench Lead', email: 'lead@bench', role: 'ml_lead' } as const;

type Intent = 'CONTINUE' | 'SCHEDULE' | 'END';
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'tomorrow', 'today'];
const TIMES = ['9am', '10am', '11:30', '1pm', '2pm', '3:30pm', '4pm', 'noon', 'after 5'];
const TOPICS = ['pay', 'the hours', 'the shift', 'parking', 'benefits', 'overtime', 'the uniform', 'training', 'the bus route', 'weekends'];
const PLACES = ['downtown', 'the north side', 'Riverside', 'the airport', 'Eastgate', 'the mall', 'Oak Park'];
const CANDIDATE: Record<Intent, ((h: number) => string)[]> = {
  CONTINUE: [
    (h) => `what is ${pick(TOPICS, h)} like?`,
    (h) => `is it near ${pick(PLACES, h)}`,
    (h) => `maybe. how many hours a week and is ${pick(TOPICS, h >> 3)} included`,
    (h) => `do i need experience for ${pick(TOPICS, h)}?`,
    (h) => `ok tell me more about ${pick(TOPICS, h)} and ${pick(TOPICS, h >> 5)}`,
    (h) => `hmm not sure yet, what about ${pick(TOPICS, h)}`,
  ],
  SCHEDULE: [
    (h) => `${pick(DAYS, h)} at ${pick(TIMES, h >> 4)} works for me`,
    (h) => `can we talk ${pick(DAYS, h)} ${pick(TIMES, h >> 4)}?`,
    (h) => `yes! book me for ${pick(DAYS, h)}`,
    (h) => `i can come in ${pick(DAYS, h)} around ${pick(TIMES, h >> 4)}`,
    (h) => `sounds good, call me ${pick(DAYS, h)} after ${pick(TIMES, h >> 4)}`,
  ],
  END: [
    () => 'not interested thanks',
    () => 'STOP',
    () => 'wrong number',
    (h) => `i already got hired at ${pick(PLACES, h)}, thanks though`,
    () => 'please stop texting me',
    (h) => `no thanks, ${pick(TOPICS, h)} doesn't work for me`,
  ],
};
const RECRUITER: Record<Intent, ((h: number) => string)[]> = {
  CONTINUE: [
    (h) => `Good question! ${pick(TOPICS, h)} is covered, and pay starts at $${16 + (h % 9)}/hr. Anything else?`,
    (h) => `It's ${10 + (h % 30)} minutes from ${pick(PLACES, h >> 2)}. Would you like to hear about the shifts?`,
  ],
  SCHEDULE: [
    (h) => `Great, you're booked for ${pick(DAYS, h)} at ${pick(TIMES, h >> 4)}. Reply C to confirm.`,
    () => `Perfect, here is the booking link: https://book.example/x`,
  ],
  END: [() => 'Understood, thanks for your time and best of luck!', () => "No problem, we won't text again."],
};

function pick<T>(items: readonly T[], h: number): T {
  return items[(h >>> 0) % items.length];
}

/** A well-mixed 32-bit hash of (a, b, salt). */
function mix(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + salt, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function intentOf(c: number, p: number): Intent {
  const r = mix(c, p, 1) % 100;
  return r < 55 ? 'CONTINUE' : r < 80 ? 'SCHEDULE' : 'END';
}

/** The label of the recruiter turn at position p (2, 4, 6, 8): the intent before it, 5 % flipped. */
function labelOf(c: number, p: number): Intent {
  const intent = intentOf(c, p - 1);
  const r = mix(c, p, 2);
  if (r % 100 >= 5) return intent;
  const others = (['CONTINUE', 'SCHEDULE', 'END'] as const).filter((x) => x !== intent);
  return others[(r >>> 8) % 2];
}

const T0 = Date.parse('2026-01-01T00:00:00Z');
const messageId = (c: number, p: number) => (c - 1) * 10 + p + 1;
const sentAt = (c: number, p: number) => new Date(T0 + c * 60_000 + p * (7 * 60_000 + (mix(c, p, 3) % 600_000))).toISOString();

function messageText(c: number, p: number): string {
  const h = mix(c, p, 4);
  if (p === 0) {
    const name = `${pick(FIRST_NAMES, h)} ${pick(LAST_INITIALS, h >> 7)}`;
    return `Hi ${name}, this is Bench Staffing (#${c}). We have a ${pick(ROLES, h >> 3).title} opening near ${pick(PLACES, h >> 11)}. Interested?`;
  }
  if (p % 2 === 1) return pick(CANDIDATE[intentOf(c, p)], h >> 2)(h);
  return pick(RECRUITER[intentOf(c, p - 1)], h >> 2)(h);
}

async function copyInto(client: pg.Client, sql: string, rows: (emit: (line: string) => Promise<void>) => Promise<void>): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let buf = '';
  await rows(async (line) => {
    buf += line;
    if (buf.length > 1 << 20) {
      const chunk = buf;
      buf = '';
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
  });
  stream.write(buf);
  stream.end();
  await done;
}

/** Writes `conversations` conversations (ids 1..N) with their messages and labels; returns the labeled turns. */
export async function copyScaleData(client: pg.Client, conversations: number, log: (m: string) => void = () => {}): Promise<number> {
  await client.query(
    `INSERT INTO users (id, name, email, role, updated_at) VALUES ($1, $2, $3, 'ml_lead', now()), ($4, $5, $6, 'reviewer', now()) ON CONFLICT DO NOTHING`,
    [SCALE_LEAD.id, SCALE_LEAD.name, SCALE_LEAD.email, SCALE_REVIEWER.id, SCALE_REVIEWER.name, SCALE_REVIEWER.email],
  );
  log(`COPY ${conversations.toLocaleString('en-US')} conversations…`);
  await copyInto(
    client,
    `COPY conversations (id, external_id, candidate_name, job_title, last_activity_at, recruiter_turns, labeled_turns, reviewer_count, min_turn_labels) FROM STDIN`,
    async (emit) => {
      for (let c = 1; c <= conversations; c++) {
        const h = mix(c, 0, 4);
        const turns = LABELED_TURNS_PER_CONVERSATION;
        await emit(
          `${c}\tscale-${c}\t${copyField(`${pick(FIRST_NAMES, h)} ${pick(LAST_INITIALS, h >> 7)}`)}\t${copyField(pick(ROLES, h >> 3).title)}\t${sentAt(c, 9)}\t${turns}\t${turns}\t1\t1\n`,
        );
      }
    },
  );
  log(`COPY ${(conversations * 10).toLocaleString('en-US')} messages…`);
  await copyInto(client, `COPY messages (id, conversation_id, position, sender, text, sent_at) FROM STDIN`, async (emit) => {
    for (let c = 1; c <= conversations; c++) {
      for (let p = 0; p < 10; p++) {
        await emit(`${messageId(c, p)}\t${c}\t${p}\t${p % 2 === 0 ? 'recruiter' : 'candidate'}\t${copyField(messageText(c, p))}\t${sentAt(c, p)}\n`);
      }
    }
  });
  log(`COPY ${(conversations * LABELED_TURNS_PER_CONVERSATION).toLocaleString('en-US')} labels…`);
  await copyInto(client, `COPY labels (message_id, conversation_id, reviewer_id, value) FROM STDIN`, async (emit) => {
    for (let c = 1; c <= conversations; c++) {
      for (const p of [2, 4, 6, 8]) await emit(`${messageId(c, p)}\t${c}\t${SCALE_REVIEWER.id}\t${labelOf(c, p)}\n`);
    }
  });
  // Rows came with their ids: move the sequences past them, as an import would have.
  await client.query(`SELECT setval(pg_get_serial_sequence('conversations', 'id'), $1), setval(pg_get_serial_sequence('messages', 'id'), $2)`, [
    conversations,
    conversations * 10,
  ]);
  await client.query('ANALYZE');
  return conversations * LABELED_TURNS_PER_CONVERSATION;
}
