// A conversation being written: candidate utterances go in, and every recruiter turn gets its
// label from one rule (DESIGN.md §1), so labels are consistent across all scenarios:
//   - a turn answering the candidate takes the label of what the candidate said last (a bare
//     "yes" is CONTINUE or SCHEDULE by what it answers: candidate.ts, yesLabel / screenOk);
//   - a turn after silence is a nudge (CONTINUE) for the first two unanswered recruiter
//     messages after the candidate's last word, and the close (END) after two unanswered nudges;
//   - a reminder of a booked interview is SCHEDULE.
import type { Scene, Utterance } from './candidate';
import type { Label } from './labels';
import * as english from './recruiter';
import { applyStyle, type Style } from './style';

export interface Turn {
  sender: 'recruiter' | 'candidate';
  text: string;
  label?: Label;
  /** Minutes since the previous message. */
  gap: number;
}

/** The recruiter's side in one language. */
export interface RecruiterVoice {
  outreach(s: Scene): string;
  respond(s: Scene, u: Utterance): english.ScheduleReply;
  nudge(s: Scene, n: 1 | 2): string;
  closeSilent(s: Scene): string;
  reminder(s: Scene): string;
}

export const ENGLISH: RecruiterVoice = english;

export type Pace = 'quick' | 'normal' | 'slow';

export class Thread {
  readonly turns: Turn[] = [];
  /** Recruiter messages since the candidate last wrote. */
  unanswered = 0;
  last: Utterance | null = null;
  /** The recruiter has wrapped up (END). */
  ended = false;

  constructor(
    readonly s: Scene,
    readonly style: Style,
    public voice: RecruiterVoice = ENGLISH,
    readonly pace: Pace = 'normal',
  ) {}

  private push(sender: Turn['sender'], text: string, gap: number, label?: Label) {
    if (!text.trim()) throw new Error(`the sample generator wrote an empty ${sender} message`);
    this.turns.push({ sender, text, gap: this.turns.length ? gap : 0, ...(label ? { label } : {}) });
    if (sender === 'recruiter') this.s.lastRecruiter = text;
  }

  candidateGap(): number {
    const r = this.s.rng;
    if (this.pace === 'quick') return r.int(1, 20);
    if (this.pace === 'slow') return r.chance(0.5) ? r.int(90, 1500) : r.int(10, 240);
    return r.chance(0.15) ? r.int(240, 1200) : r.int(2, 180);
  }

  recruiterGap(): number {
    const r = this.s.rng;
    return r.chance(0.15) ? r.int(60, 900) : r.int(1, 30);
  }

  /** The recruiter's first message (its label is CONTINUE; it is not a training example). */
  open(text = this.voice.outreach(this.s)): this {
    this.push('recruiter', text, 0, 'CONTINUE');
    this.unanswered = 1;
    return this;
  }

  /** The candidate says `u`, possibly as a burst of texts a minute or two apart. */
  say(u: Utterance, gap = this.candidateGap()): this {
    const r = this.s.rng;
    let parts = u.parts;
    // People hit send mid-thought: one text becomes two.
    const cut = parts.length === 1 ? /^(.{4,}?[.?!])\s+(\S.{3,})$/.exec(parts[0]) : null;
    if (cut && r.chance(0.65)) parts = [cut[1], cut[2]];
    parts.forEach((p, i) => this.push('candidate', applyStyle(r, this.style, p), i === 0 ? gap : r.int(0, 2)));
    this.s.spoken = true;
    this.last = u;
    this.unanswered = 0;
    this.ended = false;
    return this;
  }

  /** The recruiter answers what the candidate said last; returns the turn's label. */
  reply(gap = this.recruiterGap()): Label {
    const u = this.last;
    if (!u || this.unanswered > 0 || !u.label) throw new Error('reply() needs a candidate utterance to answer');
    const out = this.voice.respond(this.s, u);
    if (out.proposed) this.s.proposed = out.proposed;
    if (out.booked) {
      this.s.booked = out.booked;
      this.s.proposed = undefined;
    }
    this.push('recruiter', out.text, gap, u.label);
    this.unanswered = 1;
    this.ended = u.label === 'END';
    return u.label;
  }

  /** The candidate says `u` and the recruiter answers it. */
  exchange(u: Utterance, gap?: number): Label {
    this.say(u, gap);
    return this.reply();
  }

  /** A recruiter turn after silence: a nudge, or the close after two unanswered nudges. */
  nudge(gap = this.s.rng.int(1100, 4300)): Label {
    if (this.unanswered === 0) throw new Error('nudge() needs silence');
    if (this.unanswered >= 3) {
      this.push('recruiter', this.voice.closeSilent(this.s), gap, 'END');
      this.unanswered++;
      this.ended = true;
      return 'END';
    }
    this.push('recruiter', this.voice.nudge(this.s, this.unanswered as 1 | 2), gap, 'CONTINUE');
    this.unanswered++;
    return 'CONTINUE';
  }

  /** `k` recruiter turns with no answer: one or two nudges, then the close. */
  nudges(k: number): this {
    for (let i = 0; i < k; i++) this.nudge();
    return this;
  }

  /** A reminder before a booked interview. */
  remind(): this {
    this.push('recruiter', this.voice.reminder(this.s), this.s.rng.int(600, 2000), 'SCHEDULE');
    this.unanswered++;
    return this;
  }
}
