// Conversation scenarios: how a thread unfolds (questions, silences, decisions, comebacks). The
// words come from candidate.ts / recruiter.ts / spanish.ts and the labels from thread.ts, so a
// scenario only says what happens, never what a turn is labeled.
import type { Rng } from '../prng';
import * as say from './candidate';
import type { Scene, Topic } from './candidate';
import { es, SPANISH } from './spanish';
import { makeStyle } from './style';
import { Thread, type Pace } from './thread';
import { COMPANIES, FAR_PLACES, RECRUITERS, SOURCES, type Role } from './vocabulary';

export type { Label } from './labels';
export { LABELS } from './labels';

export function makeScene(rng: Rng, first: string, role: Role): Scene {
  return {
    rng,
    first,
    role,
    recruiter: rng.pick(RECRUITERS),
    company: rng.pick(COMPANIES),
    pay: rng.int(role.pay[0], role.pay[1]),
    shift: rng.pick(role.shift),
    place: rng.pick(role.places),
    farPlace: rng.pick(FAR_PLACES),
    source: rng.pick(SOURCES),
  };
}

export function makeThread(s: Scene): Thread {
  return new Thread(s, makeStyle(s.rng), undefined, s.rng.pick<Pace>(['quick', 'normal', 'normal', 'slow']));
}

const topicsOf = (r: Rng, n: number, pool: readonly Topic[] = say.TOPICS): Topic[] => {
  const out = new Set<Topic>();
  while (out.size < n) out.add(r.pick(pool));
  return [...out];
};
const COMMON: Topic[] = [
  'pay',
  'pay',
  'location',
  'hours',
  'hours',
  'benefits',
  'start',
  'full_time',
  'weekly_pay',
  'overtime',
  'requirement',
  'training',
  'dress',
  'company',
  'drug_test',
  'bus',
  'parking',
];

/** The opening, sometimes ignored once or twice before the candidate answers. */
function opening(t: Thread, pSilence = 0.2): void {
  const r = t.s.rng;
  t.open();
  if (r.chance(pSilence)) t.nudges(r.chance(0.7) ? 1 : 2);
  // Who is writing, and is it real? Many candidates ask before anything else.
  if (r.chance(0.18)) {
    t.exchange(r.chance(0.5) ? say.whoIsThis(t.s) : say.asks(t.s, ['company']));
  }
}

/** A candidate who ends up wanting an interview: the recruiter proposes, they settle on a time. */
function toBooking(t: Thread): void {
  const r = t.s.rng;
  if (r.chance(0.25) && !t.s.proposed) questions(t, r.int(1, 2));
  const roll = r();
  if (roll < 0.45) return yesFlow(t);
  t.exchange(roll < 0.7 ? say.ready(t.s) : roll < 0.9 ? say.proposesTime(t.s) : say.callMe(t.s));
  settle(t);
}

/** A plain yes: the recruiter screens first (one or two questions), then proposes a time. */
function yesFlow(t: Thread, gap?: number): void {
  t.exchange(say.interested(t.s), gap);
  follow(t);
}

/** What comes after the candidate's last exchange: screening after a plain yes, booking after a SCHEDULE turn. */
function follow(t: Thread): void {
  const u = t.last;
  if (!u || t.ended) return;
  if (u.reason === 'interested' && u.label === 'CONTINUE') return screening(t);
  if (u.label === 'SCHEDULE') return settle(t);
}

/** Screening answers until the last one (SCHEDULE: the recruiter proposes), a failed one, or silence. */
function screening(t: Thread, canFail = true): void {
  const r = t.s.rng;
  while (!t.ended && t.last?.label === 'CONTINUE' && (t.s.screened ?? 0) < (t.s.screenNeed ?? 1)) {
    const roll = r();
    if (canFail && roll < 0.1) {
      t.exchange(say.lacks(t.s));
      return;
    }
    if (roll < 0.18) t.nudge();
    t.exchange(say.screenOk(t.s), roll < 0.18 ? r.int(200, 3000) : undefined);
  }
  if (!t.ended && t.last?.label === 'SCHEDULE') settle(t);
}

/** After a SCHEDULE turn: accept, counter, ask first, or go quiet. */
function settle(t: Thread, depth = 0): void {
  const r = t.s.rng;
  if (t.s.booked && !t.s.proposed) return afterBooking(t);
  if (!t.s.proposed) {
    // A booking link: the candidate books (or not) on their own.
    if (r.chance(0.6))
      t.say(
        r.chance(0.5)
          ? say.thanks(t.s)
          : { ...say.thanks(t.s), parts: [r.pick(['booked!', 'done, booked for tmrw', 'ok i picked thursday', 'just signed up', 'got it, booked 10am'])] },
      );
    return;
  }
  const roll = r();
  if (roll < 0.52 || depth > 1) {
    t.exchange(say.accepts(t.s));
    return afterBooking(t);
  }
  if (roll < 0.72) {
    t.exchange(say.counters(t.s));
    return settle(t, depth + 1);
  }
  if (roll < 0.9) {
    t.exchange(say.asks(t.s, topicsOf(r, 1, ['interview', 'location', 'pay', 'parking', 'dress'])));
    return settle(t, depth + 1);
  }
  // Quiet after the offer: nudged, then a late yes, or closed.
  t.nudge();
  if (r.chance(0.55)) {
    t.exchange(say.accepts(t.s), r.int(300, 3000));
    return afterBooking(t);
  }
  t.nudges(2);
}

function afterBooking(t: Thread): void {
  const r = t.s.rng;
  const roll = r();
  if (roll < 0.3) t.say(say.thanks(t.s), r.int(0, 30));
  else if (roll < 0.42) {
    t.say(say.thanks(t.s), r.int(0, 30));
    t.remind();
    if (r.chance(0.75)) t.say(r.chance(0.5) ? say.thanks(t.s) : say.dayOf(t.s), r.int(5, 300));
  } else if (roll < 0.64) {
    t.exchange(say.asks(t.s, topicsOf(r, 1, ['interview', 'dress', 'parking', 'location', 'bus', 'pay', 'training'])), r.int(10, 900));
    if (r.chance(0.4)) {
      t.exchange(say.asks(t.s, topicsOf(r, 1, ['interview', 'dress', 'parking', 'weekly_pay', 'start'])), r.int(1, 600));
    }
    if (r.chance(0.6)) t.say(say.thanks(t.s));
  } else if (roll < 0.74) {
    t.exchange(say.reschedules(t.s), r.int(300, 2500));
    if (t.s.proposed) {
      t.exchange(r.chance(0.8) ? say.accepts(t.s) : say.counters(t.s));
      if (t.s.proposed) {
        t.exchange(say.accepts(t.s));
      }
    }
  } else if (roll < 0.8) {
    t.exchange(say.withdraws(t.s), r.int(300, 2500));
  }
}

/** One to three rounds of questions, each answered. Returns the topics asked. */
function questions(t: Thread, rounds: number, first?: Topic): Topic[] {
  const r = t.s.rng;
  const asked: Topic[] = [];
  for (let i = 0; i < rounds; i++) {
    if (t.ended) break;
    const more = r.pick([0, 1, 1, 2]);
    const topics = i === 0 && first ? [first, ...topicsOf(r, more, COMMON)] : topicsOf(r, 1 + more, COMMON);
    const u = r.chance(0.08) && i === 0 ? say.conditional(t.s) : say.asks(t.s, [...new Set(topics)], i > 0 && r.chance(0.4));
    t.exchange(u, i === 0 ? undefined : t.candidateGap());
    asked.push(...u.topics);
  }
  return asked;
}

/** How an engaged candidate decides after their questions. */
function decide(t: Thread, asked: Topic[]): void {
  const r = t.s.rng;
  const roll = r();
  if (roll < 0.45) return toBooking(t);
  if (roll < 0.52) return yesFlow(t);
  if (roll < 0.88) {
    const why =
      asked.includes('pay') && r.chance(0.6)
        ? say.payTooLow(t.s)
        : asked.includes('location') && r.chance(0.6)
          ? say.tooFar(t.s)
          : asked.includes('requirement') && r.chance(0.7)
            ? say.lacks(t.s)
            : r.pick([say.notInterested, say.notNow, say.payTooLow, say.tooFar, say.lacks])(t.s);
    t.exchange(why);
    return;
  }
  if (roll < 0.94) {
    t.exchange(say.thinks(t.s));
    return lateOrClosed(t);
  }
  // Goes quiet after the answer.
  lateOrClosed(t);
}

/** Silence after the recruiter's last turn: nudged once or twice, then a late reply or the close. */
function lateOrClosed(t: Thread): void {
  const r = t.s.rng;
  t.nudge();
  if (r.chance(0.3)) {
    t.exchange(r.chance(0.6) ? say.interested(t.s) : r.pick([say.stillOpen, say.notInterested, say.hired])(t.s), r.int(200, 3000));
    if (t.last?.reason === 'still_open') {
      if (r.chance(0.7)) toBooking(t);
    } else follow(t);
    return;
  }
  t.nudge();
  if (r.chance(0.3)) {
    t.exchange(r.chance(0.6) ? say.stillOpen(t.s) : r.pick([say.interested, say.optOut, say.notInterested])(t.s), r.int(200, 3000));
    if (t.last?.reason === 'still_open') {
      if (r.chance(0.7)) toBooking(t);
    } else follow(t);
    return;
  }
  t.nudge(); // the close after two unanswered nudges
  if (r.chance(0.2)) {
    t.exchange(say.stillOpen(t.s), r.int(1000, 8000));
    if (r.chance(0.6)) toBooking(t);
  }
}

/** "Not me, but my friend": the recruiter asks for the friend's details, then wraps up. */
function referral(t: Thread): void {
  const r = t.s.rng;
  t.exchange(say.referral(t.s));
  if (r.chance(0.75)) {
    t.exchange(say.referralDetails(t.s));
    return;
  }
  t.nudge();
  if (r.chance(0.5)) t.exchange(say.referralDetails(t.s), r.int(200, 3000));
  else t.nudges(2);
}

type Scenario = (t: Thread) => void;

/** Runs a scenario; a polite candidate sometimes has the last word after a wrap-up. */
export function runScenario(name: keyof typeof SCENARIOS, t: Thread): void {
  SCENARIOS[name](t);
  const last = t.turns.at(-1);
  const reason = t.last?.reason;
  if (t.ended && last?.sender === 'recruiter' && reason && !['opt_out', 'hostile'].includes(reason) && t.voice !== SPANISH && t.s.rng.chance(0.4))
    t.say(say.ackEnd(t.s), t.s.rng.int(0, 60));
}

const rounds = (r: Rng) => r.pick([1, 2, 2, 2, 3, 3, 3, 4]);

export const SCENARIOS: Record<string, Scenario> = {
  quick_yes_schedule: (t) => {
    opening(t);
    toBooking(t);
  },
  pay_question: (t) => {
    opening(t);
    decide(t, questions(t, rounds(t.s.rng), 'pay'));
  },
  questions_then_decide: (t) => {
    opening(t);
    decide(t, questions(t, rounds(t.s.rng)));
  },
  location_too_far: (t) => {
    opening(t);
    const r = t.s.rng;
    t.exchange(say.asks(t.s, r.chance(0.3) ? ['bus'] : ['location']));
    if (r.chance(0.65)) t.exchange(say.tooFar(t.s));
    else toBooking(t);
  },
  opt_out: (t) => {
    opening(t, 0.15);
    if (t.s.rng.chance(0.45)) questions(t, t.s.rng.int(1, 2));
    t.exchange(say.optOut(t.s));
  },
  wrong_number: (t) => {
    opening(t, 0.1);
    t.exchange(say.wrongNumber(t.s));
  },
  not_interested: (t) => {
    opening(t);
    if (t.s.rng.chance(0.45)) questions(t, t.s.rng.int(1, 2));
    t.exchange(t.s.rng.chance(0.75) ? say.notInterested(t.s) : say.notNow(t.s));
  },
  hired_elsewhere: (t) => {
    opening(t);
    if (t.s.rng.chance(0.3)) {
      t.exchange(say.whoIsThis(t.s));
    }
    if (t.s.rng.chance(0.85)) t.exchange(say.hired(t.s));
    else referral(t);
  },
  hostile: (t) => {
    opening(t, 0.4);
    t.exchange(say.hostile(t.s));
  },
  silent_nudged_twice: (t) => {
    t.open();
    t.nudges(3);
    const r = t.s.rng;
    if (r.chance(0.35)) {
      t.exchange(r.chance(0.7) ? say.stillOpen(t.s) : say.interested(t.s), r.int(1000, 9000));
      if (t.last?.reason === 'still_open') toBooking(t);
      else follow(t);
    }
  },
  silent_after_answer: (t) => {
    opening(t, 0.1);
    questions(t, 1);
    lateOrClosed(t);
  },
  silent_nudged_once: (t) => {
    t.open();
    t.nudge();
    const r = t.s.rng;
    const late = r();
    if (late < 0.5) toBooking(t);
    else if (late < 0.8) decide(t, questions(t, 1));
    else {
      t.exchange(r.pick([say.notInterested, say.hired, say.optOut, say.stillOpen])(t.s));
    }
  },
  decline_then_change_mind: (t) => {
    opening(t);
    const r = t.s.rng;
    t.exchange(r.chance(0.7) ? say.notInterested(t.s) : say.notNow(t.s));
    if (r.chance(0.6)) {
      t.exchange(say.afterNo(t.s), r.int(30, 3000));
      return decide(t, ['pay']);
    }
    t.exchange(
      {
        ...say.ready(t.s),
        parts: [
          r.pick([
            'actually wait, can I still interview?',
            'hey sorry, I changed my mind. is it too late?',
            'actually yes I want to interview',
            'on second thought im interested, can we set something up',
          ]),
        ],
      },
      r.int(30, 3000),
    );
    settle(t);
  },
  reschedule: (t) => {
    opening(t, 0.1);
    const r = t.s.rng;
    t.exchange(say.interested(t.s));
    while (t.last?.label === 'CONTINUE') t.exchange(say.screenOk(t.s));
    if (!t.s.proposed) return settle(t);
    t.exchange(say.accepts(t.s));
    t.exchange(r.chance(0.85) ? say.reschedules(t.s) : say.withdraws(t.s), r.int(300, 2500));
    if (t.s.proposed) settle(t, 2);
  },
  think_it_over: (t) => {
    opening(t);
    questions(t, 1);
    t.exchange(say.thinks(t.s));
    lateOrClosed(t);
  },
  not_a_fit: (t) => {
    opening(t);
    const r = t.s.rng;
    if (r.chance(0.5)) {
      t.exchange(say.asks(t.s, ['requirement']));
    }
    t.exchange(say.lacks(t.s));
  },
  ambiguous: (t) => {
    opening(t);
    const r = t.s.rng;
    t.exchange(say.maybe(t.s));
    if (r.chance(0.5)) {
      t.exchange(say.constraintOnly(t.s));
    }
    decide(t, []);
  },
  call_me: (t) => {
    opening(t);
    t.exchange(say.callMe(t.s));
    settle(t);
  },
  who_is_this: (t) => {
    opening(t, 0.1);
    const r = t.s.rng;
    t.exchange(say.whoIsThis(t.s));
    const roll = r();
    if (roll < 0.5) toBooking(t);
    else if (roll < 0.75) decide(t, questions(t, 1));
    else {
      t.exchange(r.pick([say.notInterested, say.optOut, say.wrongNumber])(t.s));
    }
  },
  busy_later: (t) => {
    opening(t);
    const r = t.s.rng;
    t.exchange(say.busy(t.s));
    if (r.chance(0.6)) {
      decide(t, questions(t, 1));
    } else lateOrClosed(t);
  },
  negotiates_pay: (t) => {
    opening(t);
    const r = t.s.rng;
    questions(t, 1, 'pay');
    t.exchange(say.negotiates(t.s));
    if (r.chance(0.55)) toBooking(t);
    else {
      t.exchange(say.payTooLow(t.s));
    }
  },
  // The candidate writes first (an ad, a referral): the first recruiter turn answers them.
  inbound: (t) => {
    const r = t.s.rng;
    const s = t.s;
    const hello = r.pick([
      `Hi I saw your posting for a ${s.role.title.toLowerCase()} on ${s.source}, is it still available?`,
      `hello, is the ${s.role.title} job still open?`,
      `Hi my name is ${s.first}, I'm interested in the ${s.role.title} position`,
      `my friend gave me this number about a ${s.role.title.toLowerCase()} job`,
      `Hi, I applied online for ${s.role.title}. what's the next step?`,
      `hey are u guys still hiring ${s.role.title.toLowerCase()}s`,
    ]);
    t.exchange({ label: 'CONTINUE', reason: 'still_open', parts: [hello], topics: ['pay'] }, 0);
    if (r.chance(0.3)) decide(t, questions(t, 1));
    else toBooking(t);
  },
  long_message: (t) => {
    opening(t, 0.1);
    const r = t.s.rng;
    const s = t.s;
    const story = r.pick([
      `Hi ${s.recruiter}, thanks for reaching out. I have been looking for work for about two months now since my last job closed down.`,
      `Hello! Yes I got your message. A little about me, I've been a ${s.role.title.toLowerCase()} for ${r.int(2, 9)} years and I'm looking for something more stable.`,
      `Hey so I just moved here from ${r.pick(['Texas', 'Ohio', 'Florida', 'Georgia', 'Arizona'])} and I'm trying to find something asap.`,
      `Good evening. I appreciate you thinking of me for this. I currently work part time at a ${r.pick(['grocery store', 'restaurant', 'call center', 'gas station'])} but I need full time hours.`,
    ]);
    const topics = topicsOf(r, 2, COMMON);
    t.exchange({
      label: 'CONTINUE',
      reason: 'question',
      parts: [`${story} I do have a couple of questions. ${topics.map((x) => say.question(s, x)).join(' ')}`],
      topics,
    });
    decide(t, ['pay']);
  },
  referral: (t) => {
    opening(t);
    referral(t);
  },
  spanish: (t) => {
    const r = t.s.rng;
    const s = t.s;
    if (r.chance(0.6)) {
      t.voice = SPANISH;
      t.open();
    } else {
      t.open();
      t.say(es.noEnglish(s));
      t.voice = SPANISH;
      t.reply();
    }
    if (r.chance(0.15)) t.nudge();
    const roll = r();
    if (roll < 0.5) {
      if (r.chance(0.6)) {
        t.exchange(r.pick([es.asksPay, es.asksLocation, es.asksHours])(s));
      }
      t.exchange(r.chance(0.6) ? es.interested(s) : es.proposes(s));
      if (t.last?.label === 'CONTINUE') t.exchange(es.screenOk(s));
      if (s.proposed) {
        t.exchange(es.accepts(s));
      }
      if (r.chance(0.3)) {
        t.exchange(es.reschedules(s), r.int(300, 2000));
        if (s.proposed) {
          t.exchange(es.accepts(s));
        }
      } else if (r.chance(0.5)) t.say(es.thanks(s));
    } else if (roll < 0.85) {
      if (r.chance(0.4)) {
        t.exchange(es.asksPay(s));
      }
      t.exchange(r.pick([es.notInterested, es.hired, es.wrongNumber, es.optOut, es.payLow, es.tooFar])(s));
    } else {
      t.nudges(t.unanswered === 1 ? 3 : 2);
      if (r.chance(0.3)) {
        t.exchange(es.stillOpen(s), r.int(1000, 6000));
      }
    }
  },
};

// How often each scenario appears in the sample data.
export const SCENARIO_WEIGHTS: [keyof typeof SCENARIOS, number][] = [
  ['quick_yes_schedule', 9],
  ['pay_question', 12],
  ['questions_then_decide', 20],
  ['location_too_far', 4],
  ['opt_out', 8],
  ['wrong_number', 5],
  ['not_interested', 9],
  ['hired_elsewhere', 6],
  ['hostile', 4],
  ['silent_nudged_twice', 8],
  ['silent_after_answer', 4],
  ['silent_nudged_once', 5],
  ['decline_then_change_mind', 4],
  ['reschedule', 7],
  ['think_it_over', 4],
  ['not_a_fit', 5],
  ['ambiguous', 3],
  ['call_me', 3],
  ['who_is_this', 4],
  ['busy_later', 2],
  ['negotiates_pay', 3],
  ['inbound', 7],
  ['long_message', 5],
  ['referral', 3],
  ['spanish', 7],
];
