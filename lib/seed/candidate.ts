// What candidates say, composed from independent parts: a greeting, a lead-in, the core of what
// they mean (many paraphrases per intent), extra questions or constraints, a sign-off. Each
// utterance carries the label the recruiter's next turn should have (DESIGN.md §1) and why, so
// the recruiter side can answer it; a burst of several texts is one utterance. The policy:
//   END       opt-out (STOP, "remove me"; not "bus stop" / "stop by"), hostile, wrong number,
//             hired elsewhere, a firm no or "not now", pay too low (firm), too far, a missing
//             hard requirement, cancelling for good, the friend's details once a referral is
//             given (nothing left to ask this candidate)
//   CONTINUE  questions (also "interested but what's the pay?"), maybe / let me think / busy,
//             who is this, negotiating pay, a condition ("if it's under 20 I'm out"), a
//             constraint to check, coming back with a question after a no; a plain "yes /
//             interested" to "are you interested?" (the recruiter goes on to screen); a yes to a
//             screening question that is not the last one; "not me but my friend" (the
//             recruiter asks for the friend's details)
//   SCHEDULE  ready to book ("when can I come in", "I can talk now"), proposing / accepting /
//             countering a time, rescheduling, "just call me"; a yes to the LAST screening
//             question (the recruiter said it was the last step and now proposes a time); a yes
//             to "want an interview?" or once screening is done; a time accepted together with a
//             question stays SCHEDULE (the turn confirms and answers)
// How many screening questions a thread has (one or two) is the scene's; the recruiter's
// screening question says whether it is the last one before booking (recruiter.ts).
import type { Rng } from '../prng';
import type { Label } from './labels';
import { candidateTime, dayWord, timeWord, type Slot } from './times';
import type { Role } from './vocabulary';

export type Topic =
  | 'pay'
  | 'location'
  | 'hours'
  | 'benefits'
  | 'start'
  | 'requirement'
  | 'weekly_pay'
  | 'overtime'
  | 'parking'
  | 'dress'
  | 'training'
  | 'full_time'
  | 'company'
  | 'interview'
  | 'drug_test'
  | 'bus';

export type Reason =
  // END
  | 'opt_out'
  | 'hostile'
  | 'wrong_number'
  | 'hired'
  | 'not_interested'
  | 'not_now'
  | 'pay_low'
  | 'too_far'
  | 'lacks'
  | 'referral_details'
  | 'withdraw'
  // CONTINUE
  | 'question'
  | 'maybe'
  | 'think'
  | 'busy'
  | 'who'
  | 'negotiate'
  | 'still_open'
  | 'constraint'
  | 'after_no'
  | 'referral'
  // CONTINUE or SCHEDULE, by what the yes answers (yesLabel, screenOk)
  | 'interested'
  | 'screen_ok'
  // SCHEDULE
  | 'ready'
  | 'propose'
  | 'accept'
  | 'counter'
  | 'reschedule'
  | 'call_me'
  // no recruiter turn needed
  | 'thanks';

export interface Utterance {
  /** One text, or a burst of texts sent back to back. */
  parts: string[];
  label: Label | null;
  reason: Reason;
  topics: Topic[];
  /** A time the candidate named, for the recruiter to confirm. */
  named?: string;
}

export interface Scene {
  rng: Rng;
  first: string;
  role: Role;
  recruiter: string;
  company: string;
  pay: number;
  shift: string;
  place: string;
  farPlace: string;
  source: string;
  /** The candidate has written before (greetings come first). */
  spoken?: boolean;
  /** The slot the recruiter offered last, if any. */
  proposed?: Slot;
  booked?: Slot;
  /** Screening questions this thread asks before booking (1 or 2), once screening began. */
  screenNeed?: number;
  /** Screening questions answered so far. */
  screened?: number;
  /** The recruiter's latest message, to tell what a bare "yes" answers. */
  lastRecruiter?: string;
}

/** The recruiter's latest message offered an interview or a call: a "yes" to it accepts. */
const OFFERED = /\b(interview|slot|on the schedule|set (you|something|one) up|book|entrevista|espacio)\b/i;

/** A bare yes books only when it answers an offer, a time is on the table, or screening is done. */
export function yesLabel(s: Scene): Label {
  const screenedOut = s.screenNeed !== undefined && (s.screened ?? 0) >= s.screenNeed;
  return s.proposed || screenedOut || OFFERED.test(s.lastRecruiter ?? '') ? 'SCHEDULE' : 'CONTINUE';
}

const job = (s: Scene) => s.rng.pick([s.role.title.toLowerCase(), s.role.title, 'job', 'position', 'role', `${s.role.title.toLowerCase()} job`, 'opening']);
const opt = (rng: Rng, p: number, text: string | (() => string)) => (rng.chance(p) ? (typeof text === 'string' ? text : text()) : '');
/** Joins non-empty parts with single spaces. */
const join = (...xs: string[]) => xs.filter(Boolean).join(' ');

function greeting(s: Scene): string {
  return s.rng.pick([
    'hi',
    'hey',
    'hello',
    `hi ${s.recruiter}`,
    `hey ${s.recruiter}`,
    'good morning',
    'hey there',
    'yo',
    'Hello,',
    'hii',
    'heyy',
    `Hi ${s.recruiter},`,
    'good afternoon',
  ]);
}
function lead(s: Scene): string {
  return s.rng.pick([
    'ok',
    'oh ok',
    'cool',
    'hmm',
    'honestly',
    'so',
    'well',
    'sorry for the late reply,',
    'sorry just seeing this.',
    'oh nice',
    'ok so',
    'alright',
    'gotcha',
    'oh wow',
    'lol',
    'ngl',
    'tbh',
    'um',
    'yeah',
    'Thanks for reaching out.',
    'ah',
  ]);
}
function signoff(s: Scene): string {
  return s.rng.pick([
    'thanks',
    'thank you!',
    'ty',
    `- ${s.first}`,
    'God bless',
    'have a good day',
    'appreciate it',
    'thx',
    'thanks again',
    `${s.first}`,
    'thank you so much',
    'be blessed',
  ]);
}
/** Wraps a core in optional greeting, lead-in and sign-off. */
function dress(s: Scene, core: string, p = 1): string {
  const r = s.rng;
  return join(
    opt(r, (s.spoken ? 0.04 : 0.3) * p, () => greeting(s)),
    opt(r, 0.22 * p, () => lead(s)),
    core,
    opt(r, 0.15 * p, () => signoff(s)),
  );
}

// ---- questions ----

const QUESTIONS: Record<Topic, ((s: Scene) => string)[]> = {
  pay: [
    () => "what's the pay",
    () => 'how much does it pay?',
    () => 'what does it pay',
    () => 'how much an hour?',
    () => 'whats the hourly',
    () => 'pay rate?',
    () => 'how much u paying',
    () => "what's the starting pay?",
    () => 'is it hourly or salary?',
    () => 'how much per hour',
    () => 'what are you offering pay wise',
    () => 'how much is it',
    () => "what's the rate?",
    () => 'whats it pay',
    () => 'pay?',
    (s) => `how much does the ${s.role.title.toLowerCase()} spot pay`,
    () => 'how much would I make',
    () => 'does it pay more than 20?',
    () => 'what kind of money are we talking',
    () => 'is the pay negotiable',
    () => 'what’s the pay like',
    () => 'and the pay is?',
  ],
  location: [
    () => 'where is it',
    () => 'where is this at?',
    () => 'what part of town?',
    () => "where's it located",
    () => 'whats the address',
    () => 'is it close to downtown?',
    (s) => `is it near ${s.farPlace}?`,
    () => 'where would i be working',
    () => 'location?',
    () => 'how far is it from the highway',
    () => 'which location is it',
    () => 'where abouts?',
    () => 'what city',
    () => 'is it in town or out in the county',
  ],
  hours: [
    () => 'what are the hours?',
    () => 'what shifts do u have',
    () => 'what days would I work',
    () => 'what time does the shift start',
    () => 'hours?',
    () => 'is it days or nights',
    () => 'how many hours a week',
    () => "what's the schedule like",
    () => 'do i get to pick my shifts',
    () => 'do you have anything part time?',
    () => 'is it mon-fri?',
    () => 'are weekends required',
    () => 'how early do I have to be there',
    () => 'what time do they get off',
  ],
  benefits: [
    () => 'does it have benefits?',
    () => 'is there health insurance',
    () => 'do u get PTO?',
    () => 'any benefits',
    () => 'is there dental',
    () => 'do they offer a 401k',
    () => 'when do benefits start',
    () => 'paid time off?',
    () => 'does it come with insurance',
    () => 'do you get holidays off',
  ],
  start: [
    () => 'when would i start',
    () => 'how soon can I start?',
    () => 'whats the start date',
    () => 'is it immediate start',
    () => 'when do they need someone',
    () => 'could I start this week',
  ],
  requirement: [
    (s) => `do i need ${s.role.requirement}?`,
    () => 'what do I need to have',
    () => 'do you need experience?',
    () => 'what are the requirements',
    () => 'do i need a degree',
    () => "I don't have much experience, is that ok?",
    () => 'is experience required',
    () => 'do they train you or do you need experience',
  ],
  weekly_pay: [
    () => 'is it weekly pay?',
    () => 'do they pay weekly or biweekly',
    () => 'when do we get paid',
    () => 'is there direct deposit',
    () => 'can i get paid daily',
  ],
  overtime: [() => 'is there overtime?', () => 'any OT?', () => 'can i get more than 40 hrs', () => 'is overtime available', () => 'do they offer OT'],
  parking: [
    () => 'is there parking?',
    () => 'do i have to pay for parking',
    () => 'is there a lot or street parking',
    () => 'where do i park',
    () => 'is parking free',
    () => 'can i park on site',
    (s) => `is there parking at ${s.place}?`,
    () => 'is there employee parking',
    () => 'do they validate parking',
  ],
  dress: [
    () => 'is there a dress code?',
    () => 'do they give uniforms',
    () => 'what do i wear',
    () => 'do i need steel toes',
    () => 'do you provide the uniform',
    () => 'can i wear jeans',
    () => 'do i need scrubs',
    () => 'what should i wear to work',
    () => 'do i have to buy my own boots',
    () => 'are tattoos ok',
  ],
  training: [
    () => 'is there training?',
    () => 'is training paid',
    () => 'how long is training',
    () => 'do they train you',
    () => 'is there on the job training',
    () => 'what hours is training',
    (s) => `do they train new ${s.role.title.toLowerCase()}s`,
    () => 'is orientation paid',
    () => 'how many days of training',
  ],
  full_time: [
    () => 'is it full time?',
    () => 'is this full time or part time',
    () => 'FT or PT?',
    () => 'is it permanent or temp',
    () => 'is it temp to hire',
    () => 'is it seasonal',
  ],
  company: [
    () => 'what company is this for',
    () => 'who is the employer',
    (s) => `is ${s.company} the one hiring or are you a staffing agency`,
    () => 'is this through an agency?',
    () => 'what company?',
    () => 'is this legit?',
    () => 'is this a scam lol',
  ],
  interview: [
    () => 'what is the interview like',
    () => 'is the interview in person or over the phone',
    () => 'how long is the interview',
    () => 'do I need to bring anything to the interview',
    () => 'who will I be talking to',
    () => 'should I bring a resume',
  ],
  drug_test: [
    () => 'is there a drug test?',
    () => 'do they drug test',
    () => 'do they test for weed',
    () => 'is there a background check',
    () => 'how far back does the background check go',
    () => 'is it a hair test or urine',
    () => 'do u guys hire people with a record',
    () => 'is there a drug screen',
  ],
  bus: [
    () => 'is it near a bus stop?',
    () => "i don't drive, is it on a bus line?",
    () => 'is there a bus stop close by',
    () => 'can i get there by bus',
    () => 'what bus goes there',
    () => 'how far is the bus stop from the building',
    () => 'is it walkable from the bus stop',
    () => 'how far is it from the train',
    () => 'is it near the blue line',
  ],
};

export function question(s: Scene, topic: Topic): string {
  const q = s.rng.pick(QUESTIONS[topic])(s);
  return s.spoken && s.rng.chance(0.3)
    ? `${s.rng.pick(['also', 'oh and', 'one more thing,', 'quick q', 'and', 'btw', 'oh also', 'last question', 'sorry, one more:', 'wait'])} ${q}`
    : q;
}

export const TOPICS = Object.keys(QUESTIONS) as Topic[];

function questionList(s: Scene, topics: Topic[]): string {
  const r = s.rng;
  const qs = topics.map((t) => question(s, t));
  return qs.reduce((acc, q, i) => (i === 0 ? q : `${acc}${r.pick(['. also ', ' and ', '? also ', ' & ', '. ', '? and ', ', plus ', '? '])}${q}`), '');
}

function constraint(s: Scene): string {
  const r = s.rng;
  return r.pick([
    'i only have weekends',
    "I can't work mondays",
    'i need to be off by 3 for my kids',
    'i have school in the mornings',
    'i can only do part time',
    'i work another job til 2',
    "i don't have a car right now",
    'i need something close to home',
    'i can only do nights',
    'i need at least 40 hrs',
    "I'm out of town the 20th-25th",
    'i take the bus',
    'i need sundays off for church',
    `i live in ${s.farPlace}`,
    'i have a doctors appt every other friday',
  ]);
}

const U = (label: Label | null, reason: Reason, parts: string[], topics: Topic[] = [], named?: string): Utterance => ({ label, reason, parts, topics, named });

/** Splits a long text into a burst of two or three texts at sentence or clause boundaries. */
function burst(s: Scene, texts: string[]): string[] {
  const flat = texts.filter(Boolean);
  if (flat.length > 1 && s.rng.chance(0.6)) return flat;
  return [join(...flat)];
}

// ---- intents ----

/** What a candidate says about themselves when the recruiter asked (a screening answer). */
function aboutMe(s: Scene): string {
  const r = s.rng;
  return r.pick([
    'yes i have that.',
    `yes i have ${s.role.requirement.replace(/^(a|an|your|being) /, '')}.`,
    `i have ${r.int(1, 12)} years experience.`,
    'i can start monday.',
    'i can start right away.',
    'nights are fine.',
    'i have my own car.',
    'im available any shift.',
    `i did this at ${r.pick(['walmart', 'amazon', 'a hospital', 'my last job', 'target', 'fedex'])} for ${r.int(1, 6)} years.`,
    'i have a clean record.',
    'i can pass a drug test.',
    'yes I can do weekends.',
    'i live close by.',
    'i have my certs.',
    'i just finished school for it.',
  ]);
}

/** Something about the candidate's life that explains what they ask. */
export function aside(s: Scene): string {
  const r = s.rng;
  const where = r.pick([
    'walmart',
    'amazon',
    'mcdonalds',
    'a nursing home',
    'the airport',
    'dollar general',
    'a call center',
    'home depot',
    'a daycare',
    'the school cafeteria',
    'a warehouse',
    'kroger',
  ]);
  return r.pick([
    `i'm at ${where} right now but they cut my hours.`,
    `I have a ${r.int(1, 9)} year old so I need ${r.pick(['day shifts', 'weekends off', 'to be home by 6', 'steady hours'])}.`,
    `i'm a ${r.pick(['fast learner', 'hard worker', 'people person', 'team player'])}.`,
    'i have reliable transportation.',
    `been looking for ${r.pick(['a while', 'a couple months', 'weeks', 'forever'])}.`,
    'i just got off work lol.',
    'my friend works there.',
    `I worked at ${where} for ${r.int(1, 8)} years.`,
    `i left ${where} last month.`,
    `I'm finishing my ${r.pick(['GED', 'certificate', 'associates', 'CNA class'])} in ${r.pick(['may', 'june', 'december', 'the spring', '3 weeks'])}.`,
    "i'm trying to get back into the workforce.",
    "i'm a single mom so pay matters.",
    `i'm ${r.int(19, 62)} if that matters.`,
    'i need something asap honestly.',
    `i moved here from ${r.pick(['texas', 'ohio', 'florida', 'georgia', 'puerto rico', 'michigan'])} ${r.pick(['last month', 'in june', 'recently', 'a year ago'])}.`,
    "i'm on my lunch break.",
    "i'm looking for a second job.",
    'sorry i was sleeping, i work nights.',
    `i'm still at ${where} but want out.`,
    `my car's in the shop til ${r.pick(['friday', 'next week', 'monday'])}.`,
    `i've got ${r.int(2, 15)} years in ${r.pick(['warehouse', 'healthcare', 'food service', 'retail', 'customer service', 'construction', 'cleaning'])}.`,
    `i have ${r.pick(['my forklift cert', 'a CNA license', 'my GED', 'a clean record', 'my own tools', 'a car'])}.`,
    `i live ${r.int(5, 25)} min from ${/remote|hybrid/.test(s.place) ? 'downtown' : s.place}.`,
    `${where} let me go after ${r.int(2, 9)} years.`,
    `my ${r.pick(['sister', 'cousin', 'friend', 'neighbor'])} told me about ${s.company}.`,
  ]);
}

export function asks(s: Scene, topics: Topic[], screened = false): Utterance {
  const r = s.rng;
  const me = screened ? aboutMe(s) : '';
  if (me) return U('CONTINUE', 'question', burst(s, [dress(s, me, 0.4), opt(r, 0.3, () => aside(s)), questionList(s, topics)]), topics);
  const about = opt(r, 0.3, () => aside(s));
  const interest = opt(r, 0.35, () =>
    r.pick([
      'sounds good but',
      'interested but',
      'ok cool,',
      'maybe.',
      'yes im interested,',
      'possibly,',
      'could be interested,',
      'yeah but',
      'first',
      'quick question',
      'before i say yes,',
      'ok',
      'Hi, yes.',
    ]),
  );
  const extra = opt(r, 0.3, () => `${r.pick(['also', 'btw', 'just so u know', 'fyi', 'oh and', 'but'])} ${constraint(s)}`);
  if (topics.length > 1 && r.chance(0.55))
    return U(
      'CONTINUE',
      'question',
      [about, dress(s, join(interest, question(s, topics[0]))), ...topics.slice(1).map((t) => question(s, t)), extra].filter(Boolean),
      topics,
    );
  return U('CONTINUE', 'question', burst(s, [about, dress(s, join(interest, questionList(s, topics))), extra]), topics);
}

/** A question with a condition: "what's the pay? if it's under 20 I'm not interested". */
export function conditional(s: Scene): Utterance {
  const r = s.rng;
  const n = r.pick(['18', '20', '22', '25', '$20', '$17', '15']);
  return U(
    'CONTINUE',
    'question',
    [
      dress(
        s,
        join(
          question(s, 'pay'),
          r.pick([
            `if it's under ${n} I'm not interested`,
            `i won't do less than ${n}`,
            `need at least ${n}/hr to make it worth it`,
            `anything under ${n} isn't gonna work`,
          ]),
        ),
      ),
    ],
    ['pay'],
  );
}

export function interested(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'yes',
    'yes!',
    'yes im interested',
    "Yes I'm interested!",
    'yeah still looking',
    "Sure, I'm interested.",
    'yes please',
    'yea',
    'yep',
    'definitely',
    'absolutely',
    'im interested',
    'interested',
    'very interested',
    'yes I am',
    "yes I'm still looking for work",
    'yes ma’am',
    'yes sir',
    'yessir',
    'for sure',
    'bet',
    'ok yes',
    'sure',
    "i'd love to",
    `yes I applied for the ${job(s)}`,
    `yes I'm interested in the ${job(s)}`,
    'yes still available',
    'hell yeah',
    'yes that sounds great',
    'i am!',
    'Yes, very much so.',
    'that sounds good',
    `yes i saw it on ${s.source}`,
    'count me in',
    "yeah i'm down",
    'sounds good to me',
  ]);
  return U(yesLabel(s), 'interested', burst(s, [dress(s, core), opt(r, 0.25, () => aside(s))]));
}

export function ready(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'when can i interview?',
    'how do i set up an interview',
    'can we set up an interview',
    'i want to apply, how do I schedule?',
    'when are interviews?',
    'whats the next step to get hired',
    'how do i book',
    'can I schedule online?',
    'sign me up',
    'when can I come in',
    'i can interview anytime this week',
    "let's do it, when can we talk?",
    'can i come in and fill out an application',
    'can I stop by to apply?',
    'ok how do I get started',
    'I’d like to schedule an interview please',
    'set it up',
    "what's the soonest I can interview",
    'is there a link to schedule',
    `i'm ready to start asap. when's the interview`,
    'put me down for an interview',
    "i'm free all week, just tell me when",
    'yes, what are the next steps to interview?',
    'i can talk now',
    'im free to talk right now if you want',
    'yes! when can we meet?',
    'can we do the interview today?',
  ]);
  return U(
    'SCHEDULE',
    'ready',
    burst(s, [
      dress(
        s,
        join(
          opt(r, 0.3, () => r.pick(['sounds good.', 'ok great', 'perfect', 'thats fine', 'that works for me', 'cool'])),
          core,
        ),
      ),
      opt(r, 0.3, () => aside(s)),
    ]),
  );
}

export function proposesTime(s: Scene): Utterance {
  const r = s.rng;
  const t = candidateTime(s.rng);
  const core = r.pick([
    `can i come in ${t}?`,
    `i'm free ${t}`,
    `${t} works for me`,
    `how about ${t}`,
    `i can do ${t}`,
    `is ${t} ok?`,
    `${t}?`,
    `im available ${t}`,
    `can we do ${t}`,
    `could I stop by ${t}`,
    `i'm off ${t} if that works`,
    `${t} would be best`,
    `call me ${t}`,
    `any chance we could do ${t}`,
  ]);
  const topic = r.chance(0.2) ? r.pick<Topic>(['location', 'interview', 'parking', 'pay', 'dress']) : null;
  const yes = opt(r, 0.4, () => r.pick(['yes', 'yes!', 'interested.', 'sure', 'ok', 'sounds good']));
  return U(
    'SCHEDULE',
    'propose',
    burst(s, [opt(r, 0.25, () => aside(s)), dress(s, join(yes, core)), topic ? question(s, topic) : '']),
    topic ? [topic] : [],
    t,
  );
}

export function accepts(s: Scene): Utterance {
  const r = s.rng;
  const p = s.proposed;
  const day = p ? dayWord(r, p.day) : 'that';
  const time = p ? timeWord(r, p.time) : 'that';
  const core = r.pick([
    `${day} at ${time} works`,
    'yes that works for me',
    `sure ${time} is fine`,
    `ok see you ${day}`,
    'perfect',
    'that works',
    'yes',
    'ok',
    'sounds good',
    '👍',
    'deal',
    `${day} is good`,
    `${time} works`,
    'yes i can do that',
    'works for me',
    'see u then',
    "i'll be there",
    'confirmed',
    'yep that’s fine',
    'thats perfect',
    `yes ${day} ${time} is good`,
    'ok cool',
    'great, thank you',
    'that time is fine',
    'i can make that',
    `yes! ${day} works`,
    'k',
    'sure thing',
  ]);
  const topic = r.chance(0.35) ? r.pick<Topic>(['location', 'interview', 'parking', 'dress', 'interview', 'pay', 'training', 'bus']) : null;
  return U('SCHEDULE', 'accept', burst(s, [dress(s, core, 0.6), opt(r, 0.15, () => aside(s)), topic ? question(s, topic) : '']), topic ? [topic] : []);
}

/** Interested, but not at the time offered. */
export function counters(s: Scene): Utterance {
  const r = s.rng;
  const p = s.proposed;
  const day = p ? dayWord(r, p.day) : 'then';
  const t = candidateTime(r);
  const core = r.pick([
    `no ${day} doesn't work, what about ${t}?`,
    `can't do ${day}, I work then. ${t}?`,
    `i have work then, can we do ${t} instead`,
    `${day} is bad for me, ${t} works better`,
    `can it be later? like ${t}`,
    `i'm not free then but ${t} is good`,
    `any other times? ${t} would be better`,
    `that's too early for me, ${t}?`,
    `i can't ${day}, do you have anything ${t}`,
    `no sorry, ${t}?`,
    `not ${day} but ${t}`,
  ]);
  return U('SCHEDULE', 'counter', burst(s, [opt(r, 0.2, () => aside(s)), dress(s, core, 0.5)]), [], t);
}

export function reschedules(s: Scene): Utterance {
  const r = s.rng;
  const b = s.booked;
  const day = b ? dayWord(r, b.day) : 'tomorrow';
  const t = candidateTime(r);
  const core = r.pick([
    `something came up, can we do ${t} instead?`,
    `I need to reschedule, is ${t} ok?`,
    `can't make it ${day}, how about ${t}?`,
    `my kid is sick, can we move it to ${t}`,
    `can we push it back? ${t} would work`,
    `i got called into work ${day}, can we reschedule`,
    `car broke down 😩 can we do another day`,
    `is it possible to reschedule to ${t}`,
    `running late, can we do ${t}`,
    `i have a dr appt ${day}, can we move the interview`,
    `so sorry, I can't do ${day} anymore. ${t}?`,
    'can we reschedule?',
    `need to move my interview to ${t}`,
  ]);
  return U('SCHEDULE', 'reschedule', [dress(s, core, 0.5)], [], core.includes(t) ? t : undefined);
}

export function callMe(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'just call me',
    'can you call me?',
    `call me after ${r.pick(['5', '5pm', '3', '6', 'lunch'])}`,
    "it's easier if you call",
    "i don't really text, call me",
    'give me a call',
    'call me when you can',
    `call me at this number ${r.pick(['anytime', 'tomorrow morning', 'after work', 'today'])}`,
    'can we talk on the phone instead',
    "I'd rather talk on the phone",
    'pls call',
    'you can call me now',
  ]);
  return U('SCHEDULE', 'call_me', burst(s, [opt(r, 0.3, () => aside(s)), dress(s, core)]));
}

/**
 * A yes to a screening question. It books only when that question was the last step before the
 * interview (or the candidate asks for one); otherwise the recruiter asks the next question.
 */
export function screenOk(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'yes i do',
    'yes',
    'yep i have it',
    'yes I have that',
    'yeah 3 years',
    'yes, for 2 years now',
    'of course',
    'yes ma’am',
    'yes sir',
    'i do!',
    'yeah no problem',
    'yes that’s fine',
    `yes i have ${s.role.requirement.replace(/^(a|an|your|being) /, '')}`,
    'yes current',
    'yup',
    "that's not a problem",
    'yes, I can do that',
    'yea',
    'sure can',
    'yes I can',
  ]);
  const more = r.chance(0.35) ? aboutMe(s) : '';
  const eager = r.chance(0.15) ? r.pick(['when can i interview?', 'when can i come in?', 'can we set up the interview?', 'i can talk now']) : '';
  s.screened = (s.screened ?? 0) + 1;
  const label: Label = eager || s.screened >= (s.screenNeed ?? 1) ? 'SCHEDULE' : 'CONTINUE';
  return U(label, 'screen_ok', [dress(s, join(core, more, eager), 0.4)]);
}

// ---- CONTINUE without a question ----

export function maybe(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'maybe',
    'depends',
    'idk what is it exactly?',
    'possibly',
    'tell me more',
    'what is it',
    'depends on the pay',
    "i might be, what's it about",
    'maybe, what are the details',
    'not sure yet',
    'kinda',
    'could be',
    'i guess?',
    'more info pls',
    'what kind of work is it',
    'depends what it is',
    'hmm maybe',
    "i'm open to it",
  ]);
  return U('CONTINUE', 'maybe', burst(s, [opt(r, 0.3, () => aside(s)), dress(s, core)]));
}

export function thinks(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'let me think about it',
    'maybe, I need to check with my family',
    'idk yet',
    'let me talk to my wife',
    'i need to check my schedule',
    'can i get back to you?',
    "i'll let you know",
    'let me see what my hours look like at my other job',
    'give me a day or two',
    'i need to figure out childcare first',
    'let me sleep on it',
    'i’ll think about it',
  ]);
  return U('CONTINUE', 'think', burst(s, [dress(s, core), opt(r, 0.3, () => aside(s))]));
}

export function busy(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'driving rn, text you later',
    "at work, i'll hit you back",
    'busy rn',
    'can u text me later',
    'in class, later',
    "i'll text you back after work",
    'give me a few',
    'on the clock, will reply tonight',
    'cant talk now',
    'at the doctor, will text later',
  ]);
  return U('CONTINUE', 'busy', [dress(s, core, 0.3)]);
}

export function whoIsThis(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'who is this?',
    'who dis',
    'how did you get my number?',
    'who is this and what company',
    'what is this about?',
    'do i know you?',
    'sorry who?',
    'what job?',
    'did I apply for this?',
    '?',
  ]);
  return U('CONTINUE', 'who', [dress(s, core, 0.3)]);
}

export function negotiates(s: Scene): Utterance {
  const r = s.rng;
  const want = s.pay + r.int(2, 6);
  const core = r.pick([
    `is there any wiggle room on pay? I'm at ${want - 1} now`,
    `would they do ${want}?`,
    `i was hoping for more like ${want}`,
    `can they go up to ${want}/hr?`,
    'is the pay negotiable with experience?',
    `i have ${r.int(3, 12)} yrs experience, does that get more pay?`,
    `thats a little low, any chance of ${want}?`,
  ]);
  return U('CONTINUE', 'negotiate', [dress(s, core, 0.5)], ['pay']);
}

export function stillOpen(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'sorry been busy, is it still open?',
    'Hey sorry just saw this. Is the job still available?',
    'is this still available?',
    'sorry for the late reply! still hiring?',
    'is the position filled?',
    'my bad i was out of town. still open?',
    'sorry, phone was broken. is the job still open',
    'hi sorry i missed your texts, am i too late?',
    'still hiring?',
  ]);
  return U('CONTINUE', 'still_open', [dress(s, core, 0.3)], ['start']);
}

/** Interest after a no (or after the recruiter closed the file): a question brings it back. */
export function afterNo(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    "actually wait, what's the pay again?",
    'hey sorry, changed my mind. how much is it?',
    'wait is it full time?',
    'actually is it still open? where is it',
    'hold on, what are the hours?',
    'on second thought, does it have benefits?',
    'actually tell me more',
    'wait, i might be interested after all. what shift is it',
  ]);
  return U('CONTINUE', 'after_no', [dress(s, core, 0.3)], ['pay']);
}

export function constraintOnly(s: Scene): Utterance {
  const r = s.rng;
  return U('CONTINUE', 'constraint', [
    dress(
      s,
      join(
        opt(r, 0.5, () => r.pick(['maybe but', 'interested but', 'yes but', 'possibly,', 'i could but'])),
        constraint(s),
        opt(r, 0.5, () => r.pick(['is that ok?', 'would that work?', 'is that a problem?', 'can they work with that?'])),
      ),
    ),
  ]);
}

// ---- END ----

export function optOut(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'STOP',
    'Stop',
    'stop',
    'UNSUBSCRIBE',
    'stop texting me',
    'remove me from this list',
    'Please stop texting this number',
    'STOP!!',
    'unsubscribe',
    'stop please',
    'Take me off your list',
    'stop messaging me',
    'do not contact me again',
    'please remove my number',
    'opt out',
    'STOP STOP STOP',
    'no more texts please',
    'quit texting me',
    'Stop. Not interested.',
    "I'm not interested, please stop",
    'please stop contacting me thank you',
    'Stop sending me these',
    'Remove',
    'end',
    'STOP ALL',
  ]);
  return U('END', 'opt_out', [core]);
}

export function hostile(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'who gave you my number?? leave me alone',
    'stop bothering me, this is harassment',
    'do NOT text me again',
    'lose my number',
    'f off',
    "i'm reporting this number",
    'this is the 4th text, wtf',
    'go away',
    'i never applied to anything, scammer',
    'block',
    'leave me the hell alone',
    'spam. reported.',
    'oh great another recruiter spam 🙄',
    'are you serious right now',
    'how many times do i have to say no',
  ]);
  return U('END', 'hostile', [core]);
}

export function wrongNumber(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    `Wrong number, I'm not ${s.first}`,
    'who is this? wrong number',
    `This isn't ${s.first}'s phone anymore`,
    'u have the wrong person',
    'wrong number',
    'wrong #',
    `no ${s.first} here`,
    `I think you have the wrong number, this is ${r.pick(['Dave', 'Linda', 'Pat', 'Carl', 'Janet'])}`,
    'new phone who dis. not whoever you want',
    `${s.first} doesn't live here anymore`,
    'this is a business line, wrong number',
    `not ${s.first}, sorry! good luck`,
    "you've got the wrong number buddy",
    'Wrong number. Please remove.',
    'i just got this number, dont know them',
  ]);
  return U('END', 'wrong_number', [core]);
}

export function hired(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'I already accepted another job',
    'I got hired somewhere else last week',
    'found a job already, thanks tho',
    'i start a new job monday',
    'already working now, thank you',
    'I just took a position at another company',
    'no thanks i got a job',
    "i'm good, already employed",
    'just got hired at amazon',
    'i accepted an offer yesterday sorry',
    'I went back to my old job',
    'already found something closer to home',
    'got a job already but thank u',
    'i was hired at the hospital, thanks anyway',
  ]);
  return U('END', 'hired', [dress(s, core, 0.3)]);
}

export function notInterested(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'No thanks, not interested',
    'not interested',
    "I'm good thanks",
    'no im all set',
    'nah',
    'no thank you',
    "I'll pass",
    'no',
    'nope',
    'not for me',
    'no thanks',
    "i'm not looking anymore",
    'Not at this time, thank you.',
    'pass',
    "that's not really my thing",
    "nah i'm good",
    'no im not interested in that kind of work',
    'i don’t want to work in a warehouse lol',
    'not interested in that',
    'thanks but no thanks',
    "i'm retired now",
    'im going back to school full time so no',
    'nah that’s not gonna work',
    'no, sorry',
    'appreciate it but no',
  ]);
  const why = opt(r, 0.4, () =>
    r.pick([
      "i'm happy where i'm at",
      'not my field',
      "i'm staying home with my kids",
      'i want something remote',
      'i do hair now',
      'going back to school',
      'my back can’t take that kind of work',
      'i only do office jobs',
      'i want to stay in retail',
      "i'm starting my own business",
      'not what im looking for',
      'i need more than part time',
    ]),
  );
  return U('END', 'not_interested', [dress(s, join(core, why), 0.3)]);
}

export function notNow(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'not right now, maybe in a couple months',
    "i'm not looking right now",
    'maybe next year',
    "I'm moving out of state next month so no",
    'not at the moment, I just had a baby',
    'not looking til after the holidays',
    'im good for now',
    'maybe another time',
  ]);
  return U('END', 'not_now', [dress(s, core, 0.3)]);
}

export function payTooLow(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    `${s.pay}? no thanks`,
    `that's too low for me`,
    `I make more than that now`,
    `lol $${s.pay}/hr? in this economy? pass`,
    `sorry I need at least ${s.pay + r.int(4, 8)}`,
    `not for ${s.pay} an hour`,
    `I can't live on ${s.pay}/hr, no thanks`,
    'the pay is too low, not interested',
    `i'm making ${s.pay + r.int(3, 9)} where I'm at, so no`,
    'that doesnt pay enough sorry',
    `$${s.pay}?? nah`,
  ]);
  return U('END', 'pay_low', [dress(s, core, 0.3)]);
}

export function tooFar(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    "That's too far for me, sorry",
    'no way too far',
    "I don't have a car to get there",
    `i live in ${s.farPlace}, thats way too far`,
    "that's an hour drive, not gonna work",
    'too far, sorry',
    "that's a 2 bus commute, I'll pass",
    "oh that's too far for me",
    `i'm in ${s.farPlace} so that won't work`,
    'too far from home, thanks anyway',
  ]);
  return U('END', 'too_far', [dress(s, core, 0.3)]);
}

export function lacks(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick(s.role.lacks);
  return U('END', 'lacks', [
    dress(
      s,
      join(
        core,
        opt(r, 0.3, () => r.pick(['sorry', 'so i guess not', 'so probably not a fit'])),
      ),
      0.3,
    ),
  ]);
}

export function referral(s: Scene): Utterance {
  const r = s.rng;
  const who = r.pick(['my cousin', 'my brother', 'my friend', 'my sister', 'my neighbor', 'my son', 'my roommate']);
  const core = r.pick([
    `I'm not interested but ${who} might be, can I give you their number?`,
    `not for me but ${who} is looking, ill send them your way`,
    `I already have a job but ${who} needs one`,
    `no thanks, but text ${who} at 555-0${r.int(100, 199)}`,
    `i'm good but ${who} would be perfect for this`,
    `not me but ${who} is looking for work`,
    `i'm all set but ${who} might want it`,
    `${who} needs a job, can i send you their info?`,
  ]);
  return U('CONTINUE', 'referral', [dress(s, core, 0.3)]);
}

/** The friend's details after a referral: nothing left to ask this candidate. */
export function referralDetails(s: Scene): Utterance {
  const r = s.rng;
  const name = r.pick(['Marcus', 'Tanya', 'Luis', 'Keisha', 'Josh', 'Maria', 'Andre', 'Brittany', 'Carlos', 'Jasmine']);
  const num = `${r.int(200, 989)}-555-0${r.int(100, 199)}`;
  const core = r.pick([
    `${name} ${num}`,
    `her name is ${name}, ${num}`,
    `his name is ${name}. number is ${num}`,
    `${num} ask for ${name}`,
    `it's ${name}, ${num}. tell them i sent you`,
    `${name}: ${num}`,
    `here u go ${num}`,
  ]);
  return U('END', 'referral_details', [dress(s, core, 0.3)]);
}

export function withdraws(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'I need to cancel, I took another job',
    "sorry I won't be coming to the interview, I found something else",
    'please cancel my interview, not interested anymore',
    "i'm gonna have to cancel. decided to stay at my current job",
    'cancel my interview please',
    'sorry, changed my mind. please cancel',
  ]);
  return U('END', 'withdraw', [dress(s, core, 0.3)]);
}

export function thanks(s: Scene): Utterance {
  const r = s.rng;
  const core = r.pick([
    'thanks!',
    'Thank you',
    'great',
    'ok thank you',
    'ty',
    '👍',
    'will do',
    'awesome thanks',
    'got it',
    'ok',
    'thank you so much!',
    'perfect thx',
    '🙏',
    'sounds good',
    'cool',
    'appreciate you',
    'thanks a lot',
    'ok great',
  ]);
  const day = s.booked?.day ? dayWord(r, s.booked.day) : '';
  const more = r.pick([
    '',
    '',
    `see you ${day || 'then'}`,
    'see you then',
    'looking forward to it',
    "i'll be there",
    'have a good one',
    "can't wait",
    'i appreciate the opportunity',
    `talk ${day || 'soon'}`,
    'will bring my ID',
  ]);
  return U(null, 'thanks', [join(core, more)]);
}

/** A last word after the recruiter wrapped up. */
export function ackEnd(s: Scene): Utterance {
  const r = s.rng;
  return U(null, 'thanks', [
    r.pick([
      'ok thanks',
      'you too',
      'thx',
      'ok',
      '👍',
      'no problem',
      'appreciate it',
      'same to you',
      'k bye',
      'ok sorry',
      'thank you, you too',
      'np',
      'will do',
      'ok thank u',
      'take care',
      'thanks for understanding',
      'ty u too',
      'bye',
    ]),
  ]);
}

/** An answer to an interview reminder. */
export function dayOf(s: Scene): Utterance {
  const r = s.rng;
  return U(null, 'thanks', [
    r.pick([
      'C',
      'confirmed',
      'confirm',
      "i'll be there",
      'yes i will be there',
      'omw',
      'on my way',
      'running like 10 min late sorry',
      'here',
      "i'm outside",
      'ok see you soon',
      'Yes, confirmed. Thank you.',
      'c 👍',
      'be there in 15',
    ]),
  ]);
}
