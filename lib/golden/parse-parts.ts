// The golden set is authored in a compact text form (lib/golden/parts/*.txt) so that a
// person can write and re-read hundreds of conversations; build.ts turns the parts into
// conversations.json, the Studio's import format. This file only parses: it adds nothing
// to the text or the labels, and it refuses anything it cannot read exactly.
//
//   === golden-001 | Candidate Name | Job title | 2026-10-05 14:02 | tag, tag
//   R C | opening text                  (recruiter; label C=CONTINUE, E=END, S=SCHEDULE)
//   C +12m | candidate reply            (delay since the previous message: 45s, 12m, 3h, 2d, 1d4h30m)
//   R +5m S | recruiter reply
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type GoldenLabel = 'END' | 'CONTINUE' | 'SCHEDULE';

export interface GoldenMessage {
  sender: 'recruiter' | 'candidate';
  text: string;
  sent_at: string;
  label?: GoldenLabel;
}

export interface GoldenConversation {
  external_id: string;
  candidate_name: string;
  job_title: string;
  messages: GoldenMessage[];
}

export interface ParsedPart {
  conversations: GoldenConversation[];
  tags: Record<string, string[]>;
}

const LABELS: Record<string, GoldenLabel> = { C: 'CONTINUE', E: 'END', S: 'SCHEDULE' };

function parseDelay(token: string, where: string): number {
  const m = /^\+((?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?)$/.exec(token);
  if (!m || !m[1]) throw new Error(`${where}: bad delay "${token}" (expected e.g. +12m, +3h, +2d4h)`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
  let ms = 0;
  for (const [, n, u] of m[1].matchAll(/(\d+)([dhms])/g)) ms += Number(n) * unit[u as keyof typeof unit];
  if (ms <= 0) throw new Error(`${where}: delay must be positive`);
  return ms;
}

export function parsePart(text: string, file: string): ParsedPart {
  const conversations: GoldenConversation[] = [];
  const tags: Record<string, string[]> = {};
  let current: GoldenConversation | null = null;
  let clock = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    const where = `${path.basename(file)}:${i + 1}`;
    if (!line.trim() || line.startsWith('#')) return;
    if (line.startsWith('=== ')) {
      const [id, name, job, start, tagList = ''] = line
        .slice(4)
        .split(' | ')
        .map((s) => s.trim());
      if (!/^golden-\d{3}$/.test(id ?? '')) throw new Error(`${where}: bad id "${id}"`);
      if (!name || !job || !start) throw new Error(`${where}: header needs id | name | job | start`);
      const t = Date.parse(start.replace(' ', 'T') + ':00Z');
      if (Number.isNaN(t)) throw new Error(`${where}: bad start "${start}"`);
      current = { external_id: id, candidate_name: name, job_title: job, messages: [] };
      conversations.push(current);
      tags[id] = tagList
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      clock = t;
      return;
    }
    if (!current) throw new Error(`${where}: message before the first === header`);
    const conv: GoldenConversation = current;
    const bar = line.indexOf(' | ');
    if (bar < 0) throw new Error(`${where}: missing " | " between prefix and text`);
    const prefix = line.slice(0, bar).trim().split(/\s+/);
    const body = line.slice(bar + 3).trim();
    if (!body) throw new Error(`${where}: empty text`);
    const who = prefix.shift();
    if (who !== 'R' && who !== 'C') throw new Error(`${where}: sender must be R or C`);
    if (conv.messages.length > 0) {
      const d = prefix.shift();
      if (!d?.startsWith('+')) throw new Error(`${where}: every message after the first needs a +delay`);
      clock += parseDelay(d, where);
    } else if (prefix[0]?.startsWith('+')) {
      throw new Error(`${where}: the first message takes the header's start time, no delay`);
    }
    const msg: GoldenMessage = { sender: who === 'R' ? 'recruiter' : 'candidate', text: body, sent_at: new Date(clock).toISOString() };
    if (who === 'R') {
      const l = LABELS[prefix.shift() ?? ''];
      if (!l) throw new Error(`${where}: recruiter message needs a label C, E or S`);
      msg.label = l;
    }
    if (prefix.length) throw new Error(`${where}: unexpected "${prefix.join(' ')}" before " | "`);
    conv.messages.push(msg);
  });
  return { conversations, tags };
}

export const GOLDEN_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PARTS_DIR = path.join(GOLDEN_DIR, 'parts');

export function buildGolden(dir = PARTS_DIR): ParsedPart {
  const out: ParsedPart = { conversations: [], tags: {} };
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()) {
    const p = path.join(dir, f);
    const part = parsePart(fs.readFileSync(p, 'utf8'), p);
    out.conversations.push(...part.conversations);
    Object.assign(out.tags, part.tags);
  }
  return out;
}
