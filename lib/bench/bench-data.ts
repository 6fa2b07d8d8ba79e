// A large, varied data set for benchmarks: N conversations × 10 messages in the import
// format, written as JSONL, plus the same message rows in COPY text format for the baseline.
import fs from 'node:fs';
import { createRng } from '../prng';
import { FIRST_NAMES, LAST_INITIALS, ROLES } from '../seed/vocabulary';
import { copyRow } from '../imports/copy-text';

const WORDS = (
  'hi hello yes no maybe pay hourly rate shift schedule interview tomorrow monday tuesday friday weekend night ' +
  'location commute bus car license forklift warehouse driver nurse cook barista benefits dental pto overtime ' +
  'start date training uniform boots background check drug test remote hybrid manager call text link book ' +
  'reschedule cancel stop unsubscribe wrong number busy later thanks great sounds good not interested already hired'
).split(' ');

export interface BenchFiles {
  jsonl: string;
  conversationsCopy: string;
  messagesCopy: string;
  messages: number;
}

export function writeBenchFiles(dir: string, conversations: number, seed = 7): BenchFiles {
  const rng = createRng(seed);
  const jsonl = fs.openSync(`${dir}/bench.jsonl`, 'w');
  const convCopy = fs.openSync(`${dir}/conversations.copy`, 'w');
  const msgCopy = fs.openSync(`${dir}/messages.copy`, 'w');
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const labels = ['CONTINUE', 'CONTINUE', 'SCHEDULE', 'END'] as const;
  let messages = 0;
  let buf = '';
  let cbuf = '';
  let mbuf = '';
  for (let i = 0; i < conversations; i++) {
    const role = rng.pick(ROLES);
    const labeled = i % 3 === 0;
    let t = t0 + rng.int(0, 300 * 24 * 60) * 60_000;
    const msgs = [];
    for (let p = 0; p < 10; p++) {
      t += rng.int(1, 600) * 60_000;
      const words = Array.from({ length: rng.int(4, 18) }, () => rng.pick(WORDS));
      const sender = p % 2 === 0 ? 'recruiter' : 'candidate';
      const text = `${words.join(' ')} ${role.title.toLowerCase()}`;
      const label = labeled && sender === 'recruiter' ? rng.pick(labels) : undefined;
      msgs.push({ sender, text, sent_at: new Date(t).toISOString(), ...(label ? { label } : {}) });
      mbuf += copyRow([i + 1, p, sender, text, new Date(t).toISOString()]);
    }
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_INITIALS)}.`;
    buf += JSON.stringify({ external_id: `bench-${i + 1}`, candidate_name: name, job_title: role.title, messages: msgs }) + '\n';
    cbuf += copyRow([i + 1, `bench-${i + 1}`, name, role.title, new Date(t).toISOString()]);
    messages += 10;
    if (buf.length > 1 << 20) {
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
