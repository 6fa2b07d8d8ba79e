// What recruiters send, fitting the label of their turn: END → a polite wrap-up that fits the
// reason, CONTINUE → an answer, a screening question or a nudge, SCHEDULE → a time proposal, a
// confirmation or a booking link. Also composed from parts, so no recruiter line is a template
// the advisor could key on.
import type { Rng } from '../prng';
import type { Scene, Topic, Utterance } from './candidate';
import { isExactTime, randomSlot, slotText, type Slot } from './times';

const join = (...xs: string[]) => xs.filter(Boolean).join(' ');
const opt = (rng: Rng, p: number, text: () => string) => (rng.chance(p) ? text() : '');

export function outreach(s: Scene): string {
  const { first, recruiter, company, role, place, pay, shift, rng } = s;
  const title = role.title;
  const hook = rng.pick([
    `We're hiring a ${title} in ${place} paying $${pay}/hr.`,
    `I saw your application for the ${title} role.`,
    `${company} has ${title} openings (${shift}).`,
    `We have a ${title} opening near ${place}, $${pay}/hr, ${shift}.`,
    `Your resume came up for a ${title} position we're filling.`,
    `A client of ours needs a ${title} at ${place}, starting pay $${pay}/hr.`,
    `We're looking for ${title}s for ${shift}, $${pay}-${pay + 2}/hr.`,
  ]);
  const intro = rng.pick([
    `Hi ${first}, this is ${recruiter} with ${company}.`,
    `Hey ${first}! ${recruiter} from ${company} here.`,
    `Good morning ${first}, it's ${recruiter} at ${company}.`,
    `Hi ${first}!`,
    `Hello ${first}, ${recruiter} here from ${company}.`,
  ]);
  const ask = rng.pick([
    'Interested?',
    'Are you still looking for work?',
    'Want details?',
    'Would you be open to it?',
    'Is this something you would consider?',
    'Still interested?',
    'Reply YES to learn more.',
    'Do you have a minute to chat?',
  ]);
  return join(
    intro,
    hook,
    ask,
    opt(rng, 0.2, () => 'Reply STOP to opt out.'),
  );
}

// ---- answers (CONTINUE) ----

const ANSWERS: Record<Topic, (s: Scene) => string> = {
  pay: (s) =>
    s.rng.pick([
      `It pays $${s.pay}/hr.`,
      `Starting pay is $${s.pay} an hour.`,
      `$${s.pay}/hr plus overtime after 40.`,
      `Pay is $${s.pay}-${s.pay + 3}/hr depending on experience.`,
      `It's $${s.pay} an hour to start, with a raise at 90 days.`,
    ]),
  location: (s) =>
    s.rng.pick([`It's at ${s.place}.`, `The site is ${s.place}.`, `It's our ${s.place.replace(/^the /, '')} location.`, `You'd be working at ${s.place}.`]),
  hours: (s) =>
    s.rng.pick([`The schedule is ${s.shift}.`, `Hours are ${s.shift}.`, `It's ${s.shift}, about 40 hrs a week.`, `Right now they need ${s.shift}.`]),
  benefits: (s) =>
    s.rng.pick([
      'Yes: medical, dental and vision, plus PTO after 90 days.',
      'Benefits start after 60 days, including a 401k match.',
      'Health insurance from day 1 and paid holidays.',
      'Medical and dental after 30 days, PTO accrues from the start.',
    ]),
  start: (s) =>
    s.rng.pick([
      'They want someone to start next Monday.',
      'Start dates are every Monday.',
      'As soon as your background check clears, usually a week.',
      'Still open! They start new people every week.',
    ]),
  requirement: (s) =>
    s.rng.pick([
      `The one must-have is ${s.role.requirement}.`,
      `You'll need ${s.role.requirement}; everything else they train.`,
      `They require ${s.role.requirement}.`,
    ]),
  weekly_pay: (s) => s.rng.pick(['Pay is weekly by direct deposit.', 'Weekly pay, every Friday.', 'You get paid every week.']),
  overtime: (s) => s.rng.pick(['Yes, OT is available most weeks.', 'Overtime is common in peak season.', 'Some OT, not guaranteed.']),
  parking: (s) => s.rng.pick(['Free parking on site.', 'There is a free employee lot.', 'Street parking, or a garage with a discount.']),
  dress: (s) =>
    s.rng.pick([
      'Uniform shirts are provided; wear black pants and closed-toe shoes.',
      'Steel toes are required, they give you a voucher.',
      'Business casual is fine.',
    ]),
  training: (s) => s.rng.pick(['Paid training the first week.', 'Yes, 3 days of paid training.', 'They train on the job with a lead.']),
  full_time: (s) =>
    s.rng.pick([
      "It's full time, temp to hire after 90 days.",
      'Full time and permanent.',
      'Part time to start, full time after 60 days.',
      "It's a full-time position.",
    ]),
  company: (s) =>
    s.rng.pick([
      `I'm ${s.recruiter} with ${s.company}, a staffing agency; we hire for the site directly.`,
      `${s.company} is the agency; the client is a local ${s.role.title.toLowerCase()} employer.`,
      `This is ${s.company}, totally legit! You found us through ${s.source}.`,
    ]),
  interview: (s) =>
    s.rng.pick([
      "It's a 15 minute phone call with the hiring manager.",
      "It's in person, about 30 minutes; bring an ID.",
      "It's a quick video call, nothing to prepare.",
    ]),
  drug_test: (s) =>
    s.rng.pick(["There's a standard background check and a drug screen.", 'Yes, a 5-panel drug test before start.', 'Background check only, no drug test.']),
  bus: (s) =>
    s.rng.pick([`Yes, the #${s.rng.int(3, 99)} bus stops right out front.`, "There's a bus stop across the street.", 'The train station is a 5 minute walk.']),
};

function followUp(s: Scene): string {
  const r = s.rng;
  return r.pick([
    'Any other questions?',
    'Would you like to set up an interview?',
    'Does that work for you?',
    'Want me to get you on the schedule?',
    'Does that sound like a fit?',
    `Do you have ${s.role.requirement}?`,
    'Are you still interested?',
    'What else can I tell you?',
    'Would that work with your schedule?',
    '',
  ]);
}

function answer(s: Scene, topics: readonly Topic[], filler = true): string {
  const r = s.rng;
  return join(
    opt(r, filler ? 0.4 : 0, () => r.pick(['Great question!', 'Sure!', 'Of course.', 'Good question.', 'Happy to help.'])),
    ...topics.map((t) => ANSWERS[t](s)),
  );
}

function requirementQuestion(req: string): string {
  if (req.startsWith('being ')) return `Are you ${req.slice(6)}?`;
  if (/^(\w+ing|nights|weekend|availability)\b/.test(req)) return `Are you ok with ${req}?`;
  return `Do you have ${req}?`;
}

/** What a recruiter checks before booking, as yes/no questions. */
function screeningQuestion(s: Scene): string {
  const r = s.rng;
  return r.pick([
    requirementQuestion(s.role.requirement),
    requirementQuestion(s.role.requirement),
    `Are you ok with ${s.shift}?`,
    `Can you work ${s.shift}?`,
    `Do you have reliable transportation to ${s.place}?`,
    'Are you able to pass a background check and drug screen?',
    `Do you have any experience as a ${s.role.title.toLowerCase()}?`,
    'Are you 18 or older?',
    'Are you authorized to work in the US?',
    'Can you start within the next two weeks?',
    `Is $${s.pay}/hr ok for you?`,
  ]);
}

/**
 * A screening question after a yes. The thread asks one or two; the recruiter says which is the
 * last step before booking, so "yes" to it (SCHEDULE) differs from "yes" to the first (CONTINUE).
 */
function screen(s: Scene): string {
  const r = s.rng;
  if (s.screenNeed === undefined) {
    s.screenNeed = r.pick([1, 1, 2]);
    s.screened = 0;
  }
  const last = (s.screened ?? 0) + 1 >= s.screenNeed;
  const first = (s.screened ?? 0) === 0;
  const lead = first
    ? r.pick(['Great!', 'Awesome!', 'Glad to hear it.', 'Perfect.', 'Love it!', 'Great to hear.', ''])
    : r.pick(['Thanks!', 'Good.', 'Perfect.', 'Great.', 'Got it.']);
  const frame = last
    ? r.pick([
        'Last thing before I set up your interview:',
        'One quick question and then we can book a time:',
        'Before I get you on the calendar,',
        'Last question, then I’ll find you an interview slot:',
        'If so, I can get you scheduled.',
      ])
    : r.pick(['A couple of quick questions first.', 'I have two quick screening questions.', 'Quick screening first:', 'First,']);
  const q = screeningQuestion(s);
  if (frame === 'If so, I can get you scheduled.') return join(lead, q, frame);
  return join(lead, frame, frame.endsWith(',') ? q[0].toLowerCase() + q.slice(1) : q);
}

function continueText(s: Scene, u: Utterance): string {
  const r = s.rng;
  switch (u.reason) {
    case 'interested':
    case 'screen_ok':
      return screen(s);
    case 'referral':
      return join(
        r.pick(['Thanks for thinking of them!', 'Appreciate that!', 'That would be great, thank you.', 'Sure!']),
        r.pick([
          "What's their name and best number?",
          'Can you send me their name and number?',
          'Text me their number and I’ll reach out.',
          'What’s the best way to reach them?',
        ]),
        opt(r, 0.3, () => 'And if anything changes for you, just let me know.'),
      );
    case 'question':
    case 'negotiate':
      return join(
        u.reason === 'negotiate'
          ? r.pick([`The range is $${s.pay}-${s.pay + 3}/hr depending on experience; I can ask the manager.`, 'I can check with the client about that.'])
          : answer(s, u.topics.length ? u.topics : ['pay']),
        followUp(s),
      );
    case 'still_open':
      return join(r.pick(['Yes, still open!', 'No worries, it is still open.', 'Good timing, they are still hiring.']), ANSWERS.pay(s), followUp(s));
    case 'after_no':
      return join(r.pick(['No problem!', 'Of course!', 'Sure thing.']), answer(s, [r.pick<Topic>(['pay', 'hours', 'full_time'])]), followUp(s));
    case 'maybe':
      return join(
        r.pick(['Totally fair.', 'Sure!', 'No problem.']),
        `It's a ${s.role.title} role at ${s.place}, ${s.shift}, $${s.pay}/hr.`,
        r.pick(['Would that interest you?', 'What would make a job a good fit for you right now?', 'Any questions?']),
      );
    case 'think':
      return r.pick([
        'Sure, take your time. Any questions I can answer in the meantime?',
        'No rush! I will check back in a couple of days.',
        'Of course, just text me here when you decide.',
        'Sounds good. Spots are filling up, so let me know soon!',
      ]);
    case 'busy':
      return r.pick(['No problem, text me when you are free!', 'Sounds good, talk soon.', 'No worries, whenever you get a chance.']);
    case 'who':
      return join(
        `This is ${s.recruiter} with ${s.company}.`,
        r.pick([`You reached out about a ${s.role.title} job through ${s.source}.`, `We help people find ${s.role.title} jobs near ${s.place}.`]),
        r.pick(['Are you still looking?', 'Still interested?', 'Want to hear more?']),
      );
    case 'constraint':
      return join(
        r.pick(['That may work.', 'Thanks for telling me.', 'Good to know.']),
        r.pick(['Let me check with the manager.', `They also have ${s.role.shift[0]}.`, 'We can work with that.']),
        followUp(s),
      );
    default:
      return join(answer(s, u.topics.length ? u.topics : ['pay']), followUp(s));
  }
}

// ---- SCHEDULE ----

export interface ScheduleReply {
  text: string;
  proposed?: Slot;
  booked?: Slot;
}

function propose(s: Scene, allowLink = true): ScheduleReply {
  const r = s.rng;
  const slot = randomSlot(r);
  if (allowLink && r.chance(0.15))
    return {
      text: join(r.pick(['Great!', 'Awesome.', 'Perfect!']), `Here's the booking link: https://book.example.com/${r.int(1000, 9999)}. Pick any open slot.`),
    };
  const alt = randomSlot(r, slot);
  const lead = r.pick(['Great!', 'Awesome.', 'Perfect!', "Let's get you on the calendar.", 'Sounds good!', 'Love it.', 'Sure!', '']);
  const what = r.pick(['a quick phone interview', 'a 15 min call with the hiring manager', 'an interview', 'an in-person interview', 'a quick video call']);
  const ask = r.pick([
    `Are you free for ${what} ${slotText(r, slot)}?`,
    `Can you do ${what} ${slotText(r, slot)}?`,
    `Does ${slotText(r, slot)} work for ${what}?`,
    `I have ${slotText(r, slot)} or ${slotText(r, alt)} open for ${what}. Which works?`,
  ]);
  return { text: join(lead, ask), proposed: slot };
}

function confirm(s: Scene, slot: Slot | undefined, named?: string): ScheduleReply {
  const r = s.rng;
  const booked = slot ?? (named ? { day: '', time: '', said: named } : randomSlot(r));
  const when = slotText(r, booked);
  return {
    text: r.pick([
      `You're booked for ${when}. You'll get a reminder the day before. See you then!`,
      `Confirmed: ${when} with our hiring manager. Reply here if anything changes.`,
      `Done! Interview set for ${when} at ${s.place}. Bring an ID.`,
      `Perfect, ${when} it is. I'll send the address and a calendar invite.`,
      `Great, I have you down for ${when}. Ask for ${s.recruiter} at the front desk.`,
    ]),
    booked,
  };
}

function scheduleText(s: Scene, u: Utterance): ScheduleReply {
  const r = s.rng;
  const extra = u.topics.length ? answer(s, u.topics, false) : '';
  switch (u.reason) {
    case 'accept': {
      const c = confirm(s, s.proposed);
      return { ...c, text: join(c.text, extra) };
    }
    case 'propose':
    case 'counter': {
      if (!u.named || !isExactTime(u.named) || r.chance(0.15)) {
        const p = propose(s, false);
        return { ...p, text: join(u.named && isExactTime(u.named) ? r.pick(["That one's taken, sorry.", 'Hmm, that time is full.']) : '', extra, p.text) };
      }
      const c = confirm(s, undefined, u.named);
      return { ...c, text: join(c.text, extra) };
    }
    case 'reschedule': {
      if (u.named && isExactTime(u.named) && r.chance(0.7)) {
        const c = confirm(s, undefined, u.named);
        return { ...c, text: join(r.pick(['No problem!', 'No worries,', 'Totally fine.']), c.text) };
      }
      const p = propose(s, false);
      return { ...p, text: join(r.pick(['No problem, thanks for the heads up.', 'No worries!', 'Hope everything is ok.']), p.text) };
    }
    case 'call_me': {
      const slot = randomSlot(r);
      if (r.chance(0.35))
        return {
          text: r.pick(['Calling you in 5 minutes!', 'Sure, calling now.', 'Sure thing, I will give you a call shortly.']),
          booked: { day: 'today', time: '', said: 'today' },
        };
      return {
        text: r.pick([
          `Sure! Can I call you ${slotText(r, slot)}?`,
          `Will do. Is ${slotText(r, slot)} good for a call?`,
          `Of course. Does ${slotText(r, slot)} work for a quick call?`,
        ]),
        proposed: slot,
      };
    }
    default: {
      const p = propose(s);
      return { ...p, text: join(extra, p.text) };
    }
  }
}

// ---- END ----

function endText(s: Scene, u: Utterance): string {
  const r = s.rng;
  const door = opt(r, 0.4, () => r.pick(['If anything changes, just text back.', 'Feel free to reach out anytime.', "We'll keep your info on file.", '']));
  switch (u.reason) {
    case 'opt_out':
      return r.pick([
        'You have been unsubscribed and will not receive more messages.',
        "Understood. We removed your number and won't text again.",
        'Done, you will not get any more texts from us.',
        'Sorry to bother you. You are opted out.',
      ]);
    case 'hostile':
      return r.pick(["Sorry for the bother. We won't contact you again.", 'Apologies, your number has been removed.', 'Understood, removing you now.']);
    case 'wrong_number':
      return r.pick([
        "Sorry about that! We'll remove this number from our list.",
        "Apologies for the mix-up, we'll update our records.",
        'So sorry, have a great day!',
      ]);
    case 'hired':
      return join(r.pick(["Congrats on the new job! We'll close your file.", "That's great news, congratulations!", 'Congratulations! Best of luck.']), door);
    case 'pay_low':
      return join(
        r.pick(['Understood, totally fair.', 'I get it, thanks for being upfront.', 'Thanks for letting me know.']),
        r.pick(['Best of luck in your search!', "I'll reach out if a higher paying role comes up."]),
      );
    case 'too_far':
      return join(
        r.pick(['Understood, thanks for letting me know.', 'No worries, thanks for the quick reply.', 'Makes sense.']),
        r.pick(['Good luck in your search!', 'Take care!', "I'll keep an eye out for something closer."]),
      );
    case 'lacks':
      return join(
        `Unfortunately this role requires ${s.role.requirement}, so it isn't a fit right now.`,
        r.pick(["We'll reach out if something else opens up.", 'Thanks for your interest!', 'Best of luck!']),
      );
    case 'referral_details':
      return r.pick([
        "Thanks so much! I'll reach out to them. Best of luck!",
        'Appreciate the referral! I’ll text them today.',
        "Thank you! I'll make a note. Take care.",
      ]);
    case 'withdraw':
      return r.pick(["Thanks for letting me know, I've cancelled your interview. Best of luck!", 'No problem, cancelled. Congrats and take care!']);
    default:
      return join(
        r.pick(['No problem, thanks for your time!', 'Totally understand. Best of luck!', 'No worries at all, take care!', 'Thanks for getting back to me!']),
        door,
      );
  }
}

/** The recruiter's answer to what the candidate just said; its label is the utterance's. */
export function respond(s: Scene, u: Utterance): ScheduleReply {
  if (u.label === 'END') return { text: endText(s, u) };
  if (u.label === 'SCHEDULE') return scheduleText(s, u);
  return { text: continueText(s, u) };
}

export function nudge(s: Scene, n: 1 | 2): string {
  const r = s.rng;
  if (n === 1) {
    return r.pick([
      `Hi ${s.first}, just following up on the ${s.role.title} role. Still interested?`,
      `Hey ${s.first}, checking in! Are you still looking for work?`,
      'Just bumping this up in case you missed it.',
      `Hi ${s.first}, did you get my last message?`,
      `Following up: the ${s.role.title} spot is still open if you want it.`,
      s.proposed ? `Hi ${s.first}, does ${slotText(r, s.proposed)} still work for you?` : 'Any questions I can answer?',
    ]);
  }
  return r.pick([
    `Last check-in from ${s.recruiter}: we have interviews this week for ${s.role.title}. Reply YES if you want a slot.`,
    `Hi ${s.first}, one more try. Are you still interested in the ${s.role.title} job?`,
    "I don't want you to miss this one. Let me know either way!",
    `${s.first}, interviews are filling up. Want one?`,
  ]);
}

export function closeSilent(s: Scene): string {
  return s.rng.pick([
    "I haven't heard back so I'll close out your application for now. Good luck!",
    "Since I haven't heard back, I'll assume the timing isn't right. Feel free to text anytime.",
    "Closing your file for now. If you're still looking later, just reply here!",
    `No worries ${s.first}, I'll stop reaching out. Best of luck!`,
  ]);
}

export function reminder(s: Scene): string {
  const when = s.booked ? slotText(s.rng, s.booked) : 'today';
  return s.rng.pick([
    `Reminder: your interview is ${when} at ${s.place}. Reply C to confirm.`,
    `Hi ${s.first}, just a reminder about your interview ${when}. See you there!`,
  ]);
}
