// A large, varied data set for benchmarks: N conversations × 10 messages in the import
// format, written as JSONL, plus the same rows in COPY text format for the baseline.
//
// Written for speed (1M conversations / 10M messages in well under a minute on a quiet core):
// message bodies come from a pool of 65,536 drawn once, each kept with its JSON and COPY
// spellings, so a message costs one pick, one time stamp and string concatenation — no
// per-word draws, no JSON.stringify, no escaping and no Date#toISOString in the hot loop. Ten messages drawn from
// 65k bodies still give every conversation its own search document.
import fs from 'node:fs';
import { createRng } from '../prng';
import { FIRST_NAMES, LAST_INITIALS, ROLES } from '../seed/vocabulary';
import { copyField } from '../imports/copy-text';

const WORDS = (
  'hi hello yes no maybe pay hourly rate shift schedule interview tomorrow monday tuesday friday weekend night ' +
  'location commute bus car license forklift warehouse driver nurse cook barista benefits dental pto overtime ' +
  'start date training uniform boots background check drug test remote hybrid manager call text link book ' +
  'reschedule cancel stop unsubscribe wrong number busy later thanks great sounds good not interested already hired'
).split(' ');

const POOL = 1 << 16;
const FLUSH_AT = 1 << 22;

export interface BenchFiles {
  jsonl: string;
  conversationsCopy: string;
  messagesCopy: string;
  messages: number;
}

const DAY = 86_400_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const days = new Map<number, string>();
/** toISOString of a whole minute from a per-day cache: Date#toISOString took ~4 µs a call here, 40 s for 10M messages. */
function isoMinute(t: number): string {
  const day = Math.floor(t / DAY);
  let d = days.get(day);
  if (d === undefined) days.set(day, (d = new Date(day * DAY).toISOString().slice(0, 11)));
  const minute = Math.floor((t - day * DAY) / 60_000);
  return `${d}${TWO[Math.floor(minute / 60)]}:${TWO[minute % 60]}:00.000Z`;
}

/** A string as the inside of a JSON string literal. */
const jsonInner = (s: string) => JSON.stringify(s).slice(1, -1);

export function writeBenchFiles(dir: string, conversations: number, seed = 7): BenchFiles {
  const rng = createRng(seed);
  const bodies = Array.from({ length: POOL }, () => Array.from({ length: rng.int(4, 18) }, () => rng.pick(WORDS)).join(' '));
  const bodiesJson = bodies.map(jsonInner);
  const bodiesCopy = bodies.map((b) => copyField(b));
  const roles = ROLES.map((r) => ({
    title: r.title,
    json: JSON.stringify(r.title),
    suffixJson: jsonInner(` ${r.title.toLowerCase()}`),
    suffixCopy: copyField(` ${r.title.toLowerCase()}`),
  }));
  const names = FIRST_NAMES.flatMap((f) => LAST_INITIALS.map((l) => `${f} ${l}.`));
  const namesJson = names.map((n) => JSON.stringify(n));
  const namesCopy = names.map((n) => copyField(n));
  const labels = ['CONTINUE', 'CONTINUE', 'SCHEDULE', 'END'] as const;

  const jsonl = fs.openSync(`${dir}/bench.jsonl`, 'w');
  const convCopy = fs.openSync(`${dir}/conversations.copy`, 'w');
  const msgCopy = fs.openSync(`${dir}/messages.copy`, 'w');
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  let messages = 0;
  let buf = '';
  let cbuf = '';
  let mbuf = '';
  for (let i = 0; i < conversations; i++) {
    const role = roles[rng.int(0, roles.length - 1)];
    const labeled = i % 3 === 0;
    let t = t0 + rng.int(0, 300 * 24 * 60) * 60_000;
    const id = i + 1;
    let msgs = '';
    for (let p = 0; p < 10; p++) {
      t += rng.int(1, 600) * 60_000;
      const b = rng.int(0, POOL - 1);
      const recruiter = p % 2 === 0;
      const at = isoMinute(t);
      const label = labeled && recruiter ? `,"label":"${labels[rng.int(0, 3)]}"` : '';
      msgs += `${p ? ',' : ''}{"sender":"${recruiter ? 'recruiter' : 'candidate'}","text":"${bodiesJson[b]}${role.suffixJson}","sent_at":"${at}"${label}}`;
      mbuf += `${id}\t${p}\t${recruiter ? 'recruiter' : 'candidate'}\t${bodiesCopy[b]}${role.suffixCopy}\t${at}\n`;
    }
    const n = rng.int(0, names.length - 1);
    buf += `{"external_id":"bench-${id}","candidate_name":${namesJson[n]},"job_title":${role.json},"messages":[${msgs}]}\n`;
    cbuf += `${id}\tbench-${id}\t${namesCopy[n]}\t${copyField(role.title)}\t${isoMinute(t)}\n`;
    messages += 10;
    if (buf.length > FLUSH_AT) {
      fs.writeSync(jsonl, buf);
      fs.writeSync(convCopy, cbuf);
      fs.writeSync(msgCopy, mbuf);
      buf = cbuf = mbuf = '';
    }
  }
  fs.writeSync(jsonl, buf);
  fs.writeSync(convCopy, cbuf);
  fs.writeSync(msgCopy, mbuf);
  for (const fd of [jsonl, convCopy, msgCopy]) fs.closeSync(fd);
  return { jsonl: `${dir}/bench.jsonl`, conversationsCopy: `${dir}/conversations.copy`, messagesCopy: `${dir}/messages.copy`, messages };
}
