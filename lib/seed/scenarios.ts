// Conversation scenarios. Each recruiter turn carries the label that is right for it per
// DESIGN.md §1: the decision that turn represents given what the candidate said before it.
import type { Rng } from '../prng';
import { COMPANIES, DAYS, RECRUITERS, TIMES, type Role } from './vocabulary';

export type Label = 'END' | 'CONTINUE' | 'SCHEDULE';
export const LABELS: readonly Label[] = ['END', 'CONTINUE', 'SCHEDULE'];

export interface Turn {
  sender: 'recruiter' | 'candidate';
  text: string;
  label?: Label;
  /** Minutes since the previous message. */
  gap: number;
}

export interface ScenarioContext {
  rng: Rng;
  first: string;
  role: Role;
  recruiter: string;
  company: string;
  pay: number;
  shift: string;
  place: string;
  day: string;
  time: string;
  id: string;
}

export function makeContext(rng: Rng, first: string, role: Role, id: string): ScenarioContext {
  return {
    rng,
    first,
    role,
    recruiter: rng.pick(RECRUITERS),
    company: rng.pick(COMPANIES),
    pay: rng.int(role.pay[0], role.pay[1]),
    shift: rng.pick(role.shift),
    place: rng.pick(role.places),
    day: rng.pick(DAYS),
    time: rng.pick(TIMES),
    id,
  };
}

// Candidates text like people do: lower case, shorthand, the odd swapped letter.
export function smsify(rng: Rng, text: string): string {
  let t = text;
  if (rng.chance(0.5)) t = t.toLowerCase();
  if (rng.chance(0.4)) t = t.replace(/\byou\b/gi, 'u').replace(/\byour\b/gi, 'ur');
  if (rng.chance(0.4)) t = t.replace(/\btomorrow\b/gi, 'tmrw').replace(/\bthanks\b/gi, rng.pick(['thx', 'ty', 'tks']));
  if (rng.chance(0.3)) t = t.replace(/I'm/g, 'im').replace(/don't/g, 'dont').replace(/can't/g, 'cant');
  if (rng.chance(0.3)) t = t.replace(/[.!]$/, '');
  if (rng.chance(0.15)) {
    const words = t.split(' ');
    const i = rng.int(0, words.length - 1);
    const w = words[i];
    if (w.length > 3) {
      const j = rng.int(1, w.length - 2);
      words[i] = w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2);
    }
    t = words.join(' ');
  }
  return t;
}

const r = (text: string, label: Label, gap: number): Turn => ({ sender: 'recruiter', text, label, gap });
const c = (ctx: ScenarioContext, text: string, gap: number): Turn => ({ sender: 'candidate', text: smsify(ctx.rng, text), gap });
const replyGap = (ctx: ScenarioContext) => ctx.rng.int(2, 240);
const quickGap = (ctx: ScenarioContext) => ctx.rng.int(1, 25);

function outreach(ctx: ScenarioContext): Turn {
  const { first, recruiter, company, role, place, pay, shift, rng } = ctx;
  return r(
    rng.pick([
      `Hi ${first}, this is ${recruiter} with ${company}. We're hiring a ${role.title} in ${place} paying $${pay}/hr. Interested?`,
      `Hey ${first}! ${recruiter} from ${company} here. I saw your application for the ${role.title} role. Are you still looking for work?`,
      `Hi ${first}, ${company} has ${role.title} openings (${shift}). Pay starts at $${pay}/hr. Want details?`,
      `Good morning ${first}, it's ${recruiter} at ${company}. Would you be open to a ${role.title} position near ${place}?`,
    ]),
    'CONTINUE',
    0,
  );
}

function proposeTime(ctx: ScenarioContext): string {
  return ctx.rng.pick([
    `Great! Are you free for a quick phone interview ${ctx.day} at ${ctx.time}?`,
    `Awesome. Can you do a 15 min call with the hiring manager ${ctx.day} at ${ctx.time}?`,
    `Perfect, let's get you on the calendar. Does ${ctx.day} at ${ctx.time} work for an interview?`,
  ]);
}

function confirmTime(ctx: ScenarioContext, day = ctx.day): string {
  return ctx.rng.pick([
    `You're booked for ${day} at ${ctx.time}. You'll get a reminder the day before. See you then!`,
    `Confirmed: ${day} at ${ctx.time} with our hiring manager. Reply here if anything changes.`,
    `Done! Interview set for ${day} ${ctx.time} at ${ctx.place}. Bring an ID.`,
  ]);
}

function acceptTime(ctx: ScenarioContext): string {
  return ctx.rng.pick([`${ctx.day} at ${ctx.time} works`, `yes that works for me`, `sure ${ctx.time} is fine`, `ok see you ${ctx.day}`]);
}

function payAnswer(ctx: ScenarioContext): string {
  return ctx.rng.pick([
    `It pays $${ctx.pay}/hr, ${ctx.shift}. Any other questions?`,
    `Starting pay is $${ctx.pay} an hour with weekly pay. Schedule is ${ctx.shift}.`,
    `$${ctx.pay}/hr plus overtime after 40. Hours are ${ctx.shift}.`,
  ]);
}

type Scenario = (ctx: ScenarioContext) => Turn[];

export const SCENARIOS: Record<string, Scenario> = {
  quick_yes_schedule: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['Yes I am interested!', 'yes', 'Yeah still looking', 'Sure, I\'m interested.']), replyGap(ctx)),
    r(proposeTime(ctx), 'SCHEDULE', quickGap(ctx)),
    c(ctx, acceptTime(ctx), replyGap(ctx)),
    r(confirmTime(ctx), 'SCHEDULE', quickGap(ctx)),
    ...(ctx.rng.chance(0.5) ? [c(ctx, ctx.rng.pick(['thanks!', 'Thank you', 'great see you then']), quickGap(ctx))] : []),
  ],
  pay_question: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['How much does it pay?', 'whats the pay', 'What is the hourly rate?', 'pay?']), replyGap(ctx)),
    r(payAnswer(ctx), 'CONTINUE', quickGap(ctx)),
    c(ctx, ctx.rng.pick(['Ok sounds good. When can I interview?', 'that works. can we set up an interview', 'cool, I want to apply. how do I schedule?']), replyGap(ctx)),
    r(proposeTime(ctx), 'SCHEDULE', quickGap(ctx)),
    c(ctx, acceptTime(ctx), replyGap(ctx)),
    r(confirmTime(ctx), 'SCHEDULE', quickGap(ctx)),
  ],
  location_too_far: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['Where is it located?', 'where is this at', 'what part of town?']), replyGap(ctx)),
    r(`It's at our ${ctx.place} site. Is that commute doable for you?`, 'CONTINUE', quickGap(ctx)),
    c(ctx, ctx.rng.pick(['That\'s too far for me, sorry', 'no way too far', 'I don\'t have a car to get there']), replyGap(ctx)),
    r(ctx.rng.pick(['Understood, thanks for letting me know. Good luck in your search!', 'No worries, thanks for the quick reply. Take care!']), 'END', quickGap(ctx)),
  ],
  opt_out: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['STOP', 'Stop', 'UNSUBSCRIBE', 'stop texting me', 'remove me from this list']), replyGap(ctx)),
    r(ctx.rng.pick(['You have been unsubscribed and will not receive more messages.', 'Understood. We removed your number and won\'t text again.']), 'END', quickGap(ctx)),
  ],
  wrong_number: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick([`Wrong number, I'm not ${ctx.first}`, 'who is this? wrong number', `This isn't ${ctx.first}'s phone anymore`, 'u have the wrong person']), replyGap(ctx)),
    r(ctx.rng.pick(['Sorry about that! We\'ll remove this number from our list.', 'Apologies for the mix-up, we\'ll update our records.']), 'END', quickGap(ctx)),
  ],
  not_interested: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['No thanks, not interested', 'not interested', 'I\'m good thanks', 'no im all set']), replyGap(ctx)),
    r(ctx.rng.pick(['No problem, thanks for your time!', 'Totally understand. Best of luck!']), 'END', quickGap(ctx)),
  ],
  hired_elsewhere: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['I already accepted another job', 'I got hired somewhere else last week', 'found a job already, thanks tho']), replyGap(ctx)),
    r(ctx.rng.pick(['Congrats on the new job! We\'ll close your file.', 'That\'s great news, congratulations! Reach out anytime.']), 'END', quickGap(ctx)),
  ],
  hostile: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['who gave you my number?? leave me alone', 'stop bothering me, this is harassment', 'do NOT text me again']), replyGap(ctx)),
    r('Sorry for the bother. We won\'t contact you again.', 'END', quickGap(ctx)),
  ],
  silent_nudged_twice: (ctx) => {
    const turns: Turn[] = [
      outreach(ctx),
      r(`Hi ${ctx.first}, just following up on the ${ctx.role.title} role. Still interested?`, 'CONTINUE', ctx.rng.int(1200, 2900)),
      r(`Last check-in from ${ctx.recruiter}: we have interviews this week for ${ctx.role.title}. Reply YES if you want a slot.`, 'CONTINUE', ctx.rng.int(1200, 2900)),
    ];
    const ending = ctx.rng.int(0, 3);
    if (ending === 1) turns.push(r('I haven\'t heard back so I\'ll close out your application for now. Good luck!', 'END', ctx.rng.int(2000, 4000)));
    if (ending >= 2) {
      turns.push(
        c(ctx, ctx.rng.pick(['sorry been busy, is it still open?', 'Hey sorry just saw this. Is the job still available?']), ctx.rng.int(300, 3000)),
        r(`Yes, still open! ${payAnswer(ctx)} Want to set up an interview?`, 'CONTINUE', quickGap(ctx)),
        c(ctx, ctx.rng.pick([`yes, ${ctx.day} works`, `I can do ${ctx.day} morning`, 'yes please']), replyGap(ctx)),
        r(confirmTime(ctx), 'SCHEDULE', quickGap(ctx)),
      );
    }
    return turns;
  },
  decline_then_change_mind: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['not interested', 'no thank you', 'I\'ll pass']), replyGap(ctx)),
    r('No problem! If anything changes just text back.', 'END', quickGap(ctx)),
    c(ctx, ctx.rng.pick(['actually wait, what\'s the pay again?', 'hey sorry, changed my mind. how much is it?', 'wait is it full time?']), ctx.rng.int(60, 2000)),
    r(payAnswer(ctx), 'CONTINUE', quickGap(ctx)),
    c(ctx, ctx.rng.pick([`ok I'm in. Can I come in ${ctx.day}?`, `alright lets do it, free ${ctx.day} at ${ctx.time}`]), replyGap(ctx)),
    r(confirmTime(ctx), 'SCHEDULE', quickGap(ctx)),
  ],
  reschedule: (ctx) => {
    const day2 = ctx.rng.pick(DAYS.filter((d) => d !== ctx.day));
    return [
      outreach(ctx),
      c(ctx, 'Yes interested', replyGap(ctx)),
      r(proposeTime(ctx), 'SCHEDULE', quickGap(ctx)),
      c(ctx, acceptTime(ctx), replyGap(ctx)),
      r(confirmTime(ctx), 'SCHEDULE', quickGap(ctx)),
      c(ctx, ctx.rng.pick([`something came up, can we do ${day2} instead?`, `I need to reschedule, is ${day2} ok?`, `can't make it, how about ${day2}?`]), ctx.rng.int(300, 2000)),
      r(`No problem, I moved you to ${day2} at ${ctx.time}.`, 'SCHEDULE', quickGap(ctx)),
    ];
  },
  hours_then_think: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['What are the hours?', 'what shifts do u have', 'is it full time?']), replyGap(ctx)),
    r(`The schedule is ${ctx.shift}. Does that fit?`, 'CONTINUE', quickGap(ctx)),
    c(ctx, ctx.rng.pick(['let me think about it', 'maybe, I need to check with my family', 'idk yet']), replyGap(ctx)),
    r('Sure, take your time. Any questions I can answer in the meantime?', 'CONTINUE', quickGap(ctx)),
  ],
  not_a_fit: (ctx) => [
    outreach(ctx),
    c(ctx, `I don't have ${ctx.role.requirement}, is that ok?`, replyGap(ctx)),
    r(`Unfortunately this role requires ${ctx.role.requirement}, so it isn't a fit right now. We'll reach out if something else opens up.`, 'END', quickGap(ctx)),
  ],
  benefits_question: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['Does it have benefits?', 'is there health insurance', 'do u get PTO?']), replyGap(ctx)),
    r('Yes: medical, dental and vision, plus PTO after 90 days.', 'CONTINUE', quickGap(ctx)),
    c(ctx, `nice. I'm free ${ctx.day} afternoon`, replyGap(ctx)),
    r(`Perfect, how about ${ctx.day} at ${ctx.time} for the interview?`, 'SCHEDULE', quickGap(ctx)),
    c(ctx, acceptTime(ctx), replyGap(ctx)),
    r(confirmTime(ctx), 'SCHEDULE', quickGap(ctx)),
  ],
  ambiguous: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['maybe', 'depends', 'idk what is it exactly?']), replyGap(ctx)),
    r('Totally fair. What would make a job a good fit for you right now?', 'CONTINUE', quickGap(ctx)),
    c(ctx, ctx.rng.pick(['closer to home and more pay', 'I need weekends off', 'something with steady hours']), replyGap(ctx)),
    r(`We also have openings at ${ctx.role.places[0]} with ${ctx.role.shift[0]}. Want me to send details?`, 'CONTINUE', quickGap(ctx)),
  ],
  asks_for_link: (ctx) => [
    outreach(ctx),
    c(ctx, ctx.rng.pick(['Yes! How do I sign up for an interview?', 'yes how do i book', 'interested, can I schedule online?']), replyGap(ctx)),
    r(`Here's the booking link: https://book.example.com/${ctx.id}. Pick any open slot that works for you.`, 'SCHEDULE', quickGap(ctx)),
  ],
};

// How often each scenario appears in the sample data.
export const SCENARIO_WEIGHTS: [keyof typeof SCENARIOS, number][] = [
  ['quick_yes_schedule', 10],
  ['pay_question', 10],
  ['location_too_far', 6],
  ['opt_out', 8],
  ['wrong_number', 5],
  ['not_interested', 8],
  ['hired_elsewhere', 5],
  ['hostile', 3],
  ['silent_nudged_twice', 10],
  ['decline_then_change_mind', 5],
  ['reschedule', 6],
  ['hours_then_think', 7],
  ['not_a_fit', 5],
  ['benefits_question', 6],
  ['ambiguous', 4],
  ['asks_for_link', 4],
];
