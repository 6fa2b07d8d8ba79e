// Synthetic but realistic training data for the trainer's tests and benchmark: recruiter/candidate
// SMS threads rendered the way the Studio exports them (one "[+gap] Speaker: text" line per
// message, then "[+gap] Recruiter's turn: …"), labelled per turn. Deterministic for a seed.
// Several scenarios defeat keyword rules on purpose (silence after nudges, "I don't have a CDL,
// is that ok?", a "no" about a day rather than the job), and a small share of labels is noise,
// so a learned model must beat the keyword baseline without reaching 100%.
import { createRng, type Rng } from '../prng';

export type Label = 'END' | 'CONTINUE' | 'SCHEDULE';
export interface ChatLine {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
}

export const SYSTEM_PROMPT =
  "You are the exit advisor of a recruiting SMS assistant. Read the conversation and answer with one word: END, CONTINUE or SCHEDULE.";

const NAMES = ['Maria', 'James', 'Aaliyah', 'Jose', 'Emily', 'DeShawn', 'Mei', 'Carlos', 'Priya', 'Tyler', 'Fatima', 'Kevin', 'Jasmine', 'Luis', 'Hannah', 'Andre'];
const ROLES = [
  { title: 'Warehouse Associate', req: 'lift 50 lbs', place: 'Joliet', shift: 'Mon-Fri 6am-2:30pm' },
  { title: 'CDL-A Driver', req: 'a CDL-A', place: 'Dallas', shift: 'regional, home weekly' },
  { title: 'Registered Nurse', req: 'an active RN license', place: "St. Luke's", shift: '3x12 nights' },
  { title: 'CNA', req: 'a CNA certification', place: 'Maple Grove', shift: '7a-3p' },
  { title: 'Line Cook', req: 'kitchen experience', place: 'Riverside', shift: 'dinner shifts 3-11pm' },
  { title: 'Forklift Operator', req: 'forklift certification', place: 'Aurora', shift: '4x10s' },
  { title: 'Security Officer', req: 'a guard card', place: 'the hospital campus', shift: 'overnight 11p-7a' },
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const TIMES = ['9am', '10am', '10:30', '11am', '1pm', '2pm', '2:30', '3pm', '4pm'];

interface Msg {
  who: 'Recruiter' | 'Candidate';
  text: string;
  /** Minutes since the previous message. */
  gap: number;
  /** Set on recruiter turns that become examples. */
  label?: Label;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function sms(rng: Rng, t: string): string {
  if (rng() < 0.5) t = t.toLowerCase();
  if (rng() < 0.4) t = t.replace(/\byou\b/gi, 'u').replace(/\btomorrow\b/gi, 'tmrw');
  if (rng() < 0.3) t = t.replace(/I'm/g, 'im').replace(/don't/g, 'dont').replace(/[.!]$/, '');
  return t;
}

function gapText(min: number): string {
  if (min < 60) return `+${min}m`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `+${h}h ${min % 60}m` : `+${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `+${d}d ${h % 24}h` : `+${d}d`;
}

function conversation(rng: Rng): Msg[] {
  const name = pick(rng, NAMES);
  const role = pick(rng, ROLES);
  const day = pick(rng, DAYS);
  const time = pick(rng, TIMES);
  const pay = int(rng, 16, 40);
  const reply = () => int(rng, 2, 300);
  const quick = () => int(rng, 1, 20);
  const R = (text: string, label?: Label, gap = quick()): Msg => ({ who: 'Recruiter', text, gap, label });
  const C = (text: string, gap = reply()): Msg => ({ who: 'Candidate', text: sms(rng, text), gap });
  const outreach = R(
    pick(rng, [
      `Hi ${name}, this is Jen with Apex Staffing. We're hiring a ${role.title} in ${role.place} paying $${pay}/hr. Interested?`,
      `Hey ${name}! Marcus from HireWell here. Are you still looking for ${role.title} work?`,
      `Hi ${name}, we have ${role.title} openings (${role.shift}). Pay starts at $${pay}/hr. Want details?`,
    ]),
    undefined,
    0,
  );
  const propose = () => R(pick(rng, [`Great! Are you free for a quick phone interview ${day} at ${time}?`, `Can you do a 15 min call ${day} at ${time}?`]), 'SCHEDULE');
  const confirm = () => R(pick(rng, [`You're booked for ${day} at ${time}. See you then!`, `Confirmed: ${day} at ${time}.`]), 'SCHEDULE');
  const accept = () => C(pick(rng, [`${day} at ${time} works`, 'yes that works for me', `sure ${time} is fine`, `ok see you ${day}`, 'perfect']));
  const payAnswer = () => R(pick(rng, [`It pays $${pay}/hr, ${role.shift}. Any other questions?`, `$${pay}/hr plus overtime. Hours are ${role.shift}.`]), 'CONTINUE');
  const ending = (label: Label) => R(pick(rng, ['Understood, thanks for letting me know. Take care!', 'No problem, thanks for your time!']), label);

  switch (int(rng, 0, 15)) {
    case 0:
      return [outreach, C(pick(rng, ['Yes I am interested!', 'yes', 'Yeah still looking', "Sure, I'm interested."])), propose(), accept(), confirm()];
    case 1:
      return [outreach, C(pick(rng, ['How much does it pay?', 'whats the pay', 'What is the hourly rate?', 'pay?'])), payAnswer(), C(pick(rng, ['Ok sounds good. When can I interview?', 'that works. can we set up an interview', 'cool how do I schedule?'])), propose(), accept(), confirm()];
    case 2:
      return [outreach, C(pick(rng, ['Where is it located?', 'where is this at'])), R(`It's at our ${role.place} site. Is that commute doable?`, 'CONTINUE'), C(pick(rng, ["That's too far for me, sorry", 'no way too far', "I don't have a car to get there"])), ending('END')];
    case 3:
      return [outreach, C(pick(rng, ['STOP', 'Stop', 'UNSUBSCRIBE', 'stop texting me', 'remove me from this list'])), ending('END')];
    case 4:
      return [outreach, C(pick(rng, [`Wrong number, I'm not ${name}`, 'who is this? wrong number', 'u have the wrong person'])), ending('END')];
    case 5:
      return [outreach, C(pick(rng, ['No thanks, not interested', 'not interested', "I'm good thanks", 'no im all set', 'nah'])), ending('END')];
    case 6:
      return [outreach, C(pick(rng, ['I already accepted another job', 'I got hired somewhere else last week', 'found a job already, thanks tho'])), ending('END')];
    case 7: {
      // Silence: nudged twice and still quiet means let go, a reply means keep going.
      const turns = [outreach, R(`Hi ${name}, just following up on the ${role.title} role. Still interested?`, 'CONTINUE', int(rng, 1200, 2900)), R('Last check-in: we have interviews this week. Reply YES if you want a slot.', 'CONTINUE', int(rng, 1200, 2900))];
      if (rng() < 0.5) return [...turns, R("I haven't heard back so I'll close out your application. Good luck!", 'END', int(rng, 2000, 4000))];
      return [...turns, C(pick(rng, ['sorry been busy, is it still open?', 'Hey sorry just saw this. Is the job still available?']), int(rng, 300, 3000)), R(`Yes, still open! Want to set up an interview?`, 'CONTINUE'), C(pick(rng, [`yes, ${day} works`, `I can do ${day} morning`, 'yes please'])), confirm()];
    }
    case 8:
      return [outreach, C(pick(rng, ['not interested', 'no thank you', "I'll pass"])), ending('END'), C(pick(rng, ["actually wait, what's the pay again?", 'hey sorry, changed my mind. how much is it?']), int(rng, 60, 2000)), payAnswer(), C(pick(rng, [`ok I'm in. Can I come in ${day}?`, `alright lets do it, free ${day} at ${time}`])), confirm()];
    case 9: {
      const day2 = pick(rng, DAYS.filter((d) => d !== day));
      return [outreach, C('Yes interested'), propose(), accept(), confirm(), C(pick(rng, [`something came up, can we do ${day2} instead?`, `I need to reschedule, is ${day2} ok?`]), int(rng, 300, 2000)), R(`No problem, I moved you to ${day2} at ${time}.`, 'SCHEDULE')];
    }
    case 10:
      return [outreach, C(pick(rng, ['What are the hours?', 'what shifts do u have', 'is it full time?'])), R(`The schedule is ${role.shift}. Does that fit?`, 'CONTINUE'), C(pick(rng, ['let me think about it', 'maybe, I need to check with my family', 'idk yet'])), R('Sure, take your time. Any questions?', 'CONTINUE')];
    case 11:
      // Reads like a question (CONTINUE to a keyword rule) but the requirement is missing.
      return [outreach, C(pick(rng, [`I don't have ${role.req}, is that ok?`, `do I need ${role.req}? I don't have that`])), R(`Unfortunately this role requires ${role.req}, so it isn't a fit right now.`, 'END')];
    case 12:
      return [outreach, C(pick(rng, ['Does it have benefits?', 'is there health insurance', 'do u get PTO?'])), R('Yes: medical, dental and vision, plus PTO after 90 days.', 'CONTINUE'), C(`nice. I'm free ${day} afternoon`), R(`Perfect, how about ${day} at ${time} for the interview?`, 'SCHEDULE'), accept(), confirm()];
    case 13:
      return [outreach, C(pick(rng, ['maybe', 'depends', 'idk what is it exactly?'])), R('Totally fair. What would make a job a good fit for you right now?', 'CONTINUE'), C(pick(rng, ['closer to home and more pay', 'I need weekends off', 'something with steady hours'])), R('We also have other openings. Want me to send details?', 'CONTINUE')];
    case 14:
      // A "no" about the proposed day, not about the job: still SCHEDULE.
      return [outreach, C('yes interested'), propose(), C(pick(rng, [`no ${day} doesn't work, what about another day?`, `can't do ${day}, I work then. any other time?`])), R(`Sure, how about ${pick(rng, DAYS)} at ${pick(rng, TIMES)}?`, 'SCHEDULE'), accept(), confirm()];
    default:
      return [outreach, C(pick(rng, ['Yes! How do I sign up for an interview?', 'yes how do i book', 'interested, can I schedule online?'])), R('Here is the booking link: https://book.example.com/x. Pick any open slot.', 'SCHEDULE')];
  }
}

const LABELS: Label[] = ['END', 'CONTINUE', 'SCHEDULE'];

/** `n` examples from freshly generated conversations; `noise` is the share of random labels. */
export function syntheticExamples(n: number, seed: number, noise = 0.04): ChatLine[] {
  const rng = createRng(seed);
  const out: ChatLine[] = [];
  while (out.length < n) {
    const msgs = conversation(rng);
    let transcript = '';
    for (let i = 0; i < msgs.length && out.length < n; i++) {
      const m = msgs[i];
      const gap = i === 0 ? 'start' : gapText(m.gap);
      if (m.label && i > 0) {
        const label = rng() < noise ? pick(rng, LABELS) : m.label;
        const user = `${transcript}[${gap}] Recruiter's turn: END, CONTINUE or SCHEDULE?`;
        out.push({ messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: user }, { role: 'assistant', content: label }] });
      }
      transcript += `[${gap}] ${m.who}: ${m.text}\n`;
    }
  }
  return out;
}

export const toJsonl = (lines: readonly ChatLine[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
