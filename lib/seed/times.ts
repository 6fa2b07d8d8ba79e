// Interview times as recruiters offer them and as candidates say them.
import type { Rng } from '../prng';

export interface Slot {
  /** "Tuesday", or "tomorrow" */
  day: string;
  /** "10am", "2:30" */
  time: string;
  /** The candidate's own words for it, when they named it ("thu after 5"). */
  said?: string;
}

/** A time the candidate named that a recruiter can book as it is ("tue at 3"), not a range. */
export function isExactTime(said: string): boolean {
  return /\d/.test(said) && /\b(mon|tue|wed|thu|fri|tom|tmr|this)/i.test(said) && !/\b(between|after|before|around|or|any|next)\b/i.test(said);
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const SHORT: Record<string, string[]> = {
  Monday: ['mon', 'monday', 'Monday', 'Mon'],
  Tuesday: ['tue', 'tues', 'tuesday', 'Tuesday', 'Tues'],
  Wednesday: ['wed', 'weds', 'wednesday', 'Wednesday', 'wensday'],
  Thursday: ['thu', 'thur', 'thurs', 'thursday', 'Thursday', 'thrusday'],
  Friday: ['fri', 'friday', 'Friday', 'Fri'],
  tomorrow: ['tomorrow', 'tmrw', 'tmr', 'tomorow', 'Tomorrow'],
  today: ['today', 'later today', 'this afternoon'],
};
const TIMES = ['9am', '9:30am', '10am', '10:30', '11am', '11:30', '12pm', '1pm', '1:30', '2pm', '2:30', '3pm', '3:30', '4pm', '4:30', '5pm', '5:30pm', '6pm'];

export function randomSlot(rng: Rng, except?: Slot): Slot {
  for (;;) {
    const day = rng.chance(0.2) ? 'tomorrow' : rng.pick(DAYS);
    const s = { day, time: rng.pick(TIMES) };
    if (!except || s.day !== except.day) return s;
  }
}

/** How the recruiter writes a slot: "Tuesday at 10am", "tomorrow (Thu) at 2:30". */
export function slotText(rng: Rng, s: Slot): string {
  if (s.said) return s.said;
  return rng.pick([
    `${s.day} at ${s.time}`,
    `${s.day} at ${s.time}`,
    `${s.day} ${s.time}`,
    s.day === 'tomorrow' ? `${s.time} tomorrow` : `${s.time} on ${s.day}`,
  ]);
}

/** How a candidate names a day. */
export const dayWord = (rng: Rng, day: string) => rng.pick(SHORT[day] ?? [day]);

/** How a candidate names a time: "3", "3pm", "3:00", "at 3". */
export function timeWord(rng: Rng, time: string): string {
  const h = /^(\d{1,2})(:\d\d)?/.exec(time)!;
  const morning = Number(h[1]) >= 7 && Number(h[1]) <= 11;
  return rng.pick([
    time,
    h[1],
    `${h[1]}${h[2] ?? ''}`,
    `${h[1]}${h[2] ?? ':00'}`,
    time.toUpperCase(),
    `${h[1]}${h[2] ?? ''} ${rng.pick(morning ? ['am', 'AM', 'in the morning', 'oclock'] : ['pm', 'PM', 'oclock', "o'clock"])}`,
  ]);
}

/** A time the candidate offers on their own, vague or exact. */
export function candidateTime(rng: Rng): string {
  const day = dayWord(rng, rng.pick([...DAYS, 'tomorrow', 'tomorrow']));
  const time = timeWord(rng, rng.pick(TIMES));
  return rng.pick([
    `${day} at ${time}`,
    `${day} ${time}`,
    `${day} morning`,
    `${day} afternoon`,
    `${day} after ${rng.pick(['2', '3', '4', '5', '5pm', '6'])}`,
    `${day} before ${rng.pick(['noon', '11', '12', '1', '10am'])}`,
    `anytime ${day}`,
    `${day} around ${time}`,
    `any day after ${rng.pick(['3', '4', '5pm', '5', '6'])}`,
    `next ${rng.pick(['week', 'monday', 'tuesday', 'wed', 'thursday'])}`,
    `${rng.pick(['mornings', 'afternoons', 'evenings'])} ${rng.pick(['are best', 'work best', 'are good', 'r better'])}`,
    `${time} ${day}`,
    `this ${rng.pick(['thursday', 'friday', 'week', 'afternoon'])}`,
    `${day} or ${dayWord(rng, rng.pick(DAYS))}`,
    `on my day off ${day}`,
    `${day} between ${rng.pick(['9 and 11', '1 and 3', '12 and 2', '10 and 2'])}`,
  ]);
}
