// The learner's reading of a transcript: the parser gets speakers and silences back out of the
// exported layout, the cues tell an opt-out from a bus stop, and the state features count
// unanswered turns and silence the way the advisor's instructions speak of them.
import { describe, expect, it } from 'vitest';
import { renderTranscript, type TranscriptMessage } from '../datasets/transcript';
import { candidateCues, recruiterCues, tokenize } from './cues';
import { stateTokens } from './features';
import { parseGap, parseTranscript } from './transcript-parse';

const MIN = 60_000;
function thread(parts: [sender: 'recruiter' | 'candidate', minutesAfterPrevious: number, text: string][]): TranscriptMessage[] {
  let t = Date.parse('2026-10-01T15:00:00Z');
  return parts.map(([sender, gap, text]) => ({ sender, text, sentAt: new Date((t += gap * MIN)) }));
}
const cues = (text: string) => candidateCues(text, tokenize(text));
const state = (messages: TranscriptMessage[], turn: number) => {
  const p = parseTranscript(renderTranscript(messages, turn, 'all'));
  return stateTokens(p.messages, p.turnGap);
};

describe('transcript parser', () => {
  it('reads back what the Studio renders: speakers, texts and gaps', () => {
    const messages = thread([
      ['recruiter', 0, 'Hi Dana, we are hiring stockers. Interested?'],
      ['candidate', 4, "what's the pay\nand hours?"],
      ['recruiter', 125, '$17/hr, nights.'],
      ['recruiter', 1620, 'Still interested?'],
    ]);
    const p = parseTranscript(renderTranscript(messages, 3, 'all') + '');
    expect(p.structured).toBe(true);
    expect(p.messages.map((m) => [m.speaker, m.gap, m.text])).toEqual([
      ['recruiter', null, 'Hi Dana, we are hiring stockers. Interested?'],
      ['candidate', 4, "what's the pay and hours?"],
      ['recruiter', 125, '$17/hr, nights.'],
    ]);
    expect(p.turnGap).toBe(1620);
  });

  it('parses gap labels and treats free text as one candidate message', () => {
    expect(parseGap('+45s')).toBeCloseTo(0.75);
    expect(parseGap('+2h 5m')).toBe(125);
    expect(parseGap('+1d 3h')).toBe(1620);
    expect(parseGap('start')).toBeNull();
    expect(parseGap('?')).toBeNull();
    const p = parseTranscript('yes tuesday works');
    expect(p.structured).toBe(false);
    expect(p.messages).toEqual([{ speaker: 'candidate', gap: null, text: 'yes tuesday works' }]);
  });
});

describe('cues', () => {
  it('tells an opt-out from a bus stop', () => {
    expect(cues('STOP')).toContain('optout');
    expect(cues('stop.')).toContain('optout');
    expect(cues('please stop texting me')).toContain('optout');
    expect(cues('ok STOP pls')).toContain('optout');
    expect(cues("yes! i'm at the bus stop rn lol")).not.toContain('optout');
    expect(cues('i can stop by thursday')).not.toContain('optout');
  });

  it('scopes negation: "not interested" declines, "not sure" hedges, "no problem" agrees', () => {
    expect(cues('not interested, thx')).toContain('decline');
    expect(cues('not interested, thx')).not.toContain('affirm');
    expect(cues('not sure yet, is it full time?')).toEqual(expect.arrayContaining(['hedge', 'question']));
    expect(cues('not sure yet, is it full time?')).not.toContain('decline');
    expect(cues('no')).toContain('no');
    expect(cues('no problem, tell me more')).not.toContain('no');
    expect(tokenize('no problem').words).toEqual(['no', 'problem']);
    expect(tokenize('i am not interested at all').words).toEqual(['i', 'am', 'not', '~interested', '~at', '~all']);
    expect(tokenize("don't want it. but tell me more").words).toEqual(['dont', '~want', '~it', 'but', 'tell', 'me', 'more']);
  });

  it('names the ways a role does not fit (pay, schedule, requirements) and hostile replies', () => {
    for (const t of ['the pay is too low for me', 'i cant do weekends', "I don't have a car", 'too far from me']) expect(cues(t), t).toContain('mismatch');
    for (const t of ['is the pay weekly?', 'i can do weekends']) expect(cues(t), t).not.toContain('mismatch');
    expect(cues('go to hell you clowns')).toContain('hostile');
    expect(cues("thanks but i'll pass")).toContain('decline');
    for (const t of ['sorry, already found something', 'I got hired at Target last week', 'just started at a new place']) expect(cues(t), t).toContain('taken');
    for (const t of ['I think you have the wrong number', 'no one here by that name']) expect(cues(t), t).toContain('wrong');
  });

  it('finds times in English and Spanish, and leaves plain numbers alone', () => {
    for (const t of ['tuesday 3', 'can i come in thursday?', 'tmrw at 4', '10:30 works', 'puedo el lunes', 'mañana en la tarde', 'after 5pm'])
      expect(cues(t), t).toContain('time');
    for (const t of ['i have 2 kids', 'whats the pay', 'i worked there 3 years']) expect(cues(t), t).not.toContain('time');
  });

  it('reads a recruiter message as a proposal, a wrap-up or a confirmation', () => {
    expect(recruiterCues('Can you do a phone interview tomorrow at 11?')).toEqual(expect.arrayContaining(['time', 'propose', 'question']));
    expect(recruiterCues('Understood, thanks for your time. Good luck!')).toContain('wrapup');
    expect(recruiterCues("You're booked for Thursday 2pm.")).toContain('confirm');
  });
});

describe('conversation state', () => {
  const messages = thread([
    ['recruiter', 0, 'Hi Priya, want to chat about CNA openings?'],
    ['recruiter', 2880, 'Just following up, still interested?'],
    ['recruiter', 4320, 'Last check-in. Reply anytime!'],
  ]);

  it('counts unanswered recruiter turns and the silence since the thread began', () => {
    expect(state(messages, 1)).toEqual(expect.arrayContaining(['last=recruiter', 'trail=1', 'ncand=0', 'silence=<4d', 'turngap=<4d']));
    // Two unanswered nudges: the rule "silent after two nudges → END" is visible as trail=2.
    expect(state(messages, 2)).toEqual(expect.arrayContaining(['trail=2', 'silence=4d+', 'turngap=<4d']));
  });

  it('separates the last candidate message from earlier ones, and reads it against the proposal it answers', () => {
    const m = thread([
      ['recruiter', 0, 'Hi Luis, front desk jobs at $16/hr. Interested?'],
      ['candidate', 30, 'not interested'],
      ['recruiter', 2, 'No problem! Nights pay $18/hr if that changes anything.'],
      ['candidate', 20, 'actually whats the pay for weekends?'],
      ['recruiter', 3, 'Weekends are $19. Can you come in Tuesday at 3pm?'],
      ['candidate', 40, 'tuesday 3 works'],
      ['recruiter', 2, 'Great, see you then!'],
    ]);
    const atQuestion = state(m, 4);
    expect(atQuestion).toEqual(expect.arrayContaining(['last=candidate', 'trail=0', 'c:question', 'p:decline']));
    expect(atQuestion).not.toContain('c:decline');
    const atAnswer = state(m, 6);
    expect(atAnswer).toEqual(expect.arrayContaining(['c:time', 'c:affirm', 'rb:propose', 'rb:time&c:time', 'rb:propose&c:affirm']));
  });
});
