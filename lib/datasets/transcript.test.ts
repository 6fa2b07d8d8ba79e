import { describe, expect, it } from 'vitest';
import { contextStart, formatGap, renderTranscript, transcriptLine, turnLine, type TranscriptMessage } from './transcript';

const T0 = Date.parse('2026-10-01T15:00:00Z');
const at = (sec: number) => new Date(T0 + sec * 1000);
const r = (text: string, sentAt: Date | null): TranscriptMessage => ({ sender: 'recruiter', text, sentAt });
const c = (text: string, sentAt: Date | null): TranscriptMessage => ({ sender: 'candidate', text, sentAt });

describe('formatGap', () => {
  it('formats seconds, minutes, hours and days', () => {
    expect(formatGap(45_000)).toBe('45s');
    expect(formatGap(12 * 60_000)).toBe('12m');
    expect(formatGap((3 * 60 + 5) * 60_000)).toBe('3h 5m');
    expect(formatGap((2 * 24 + 4) * 3_600_000)).toBe('2d 4h');
  });

  it('drops a zero lower unit, rounds to the second and never goes negative', () => {
    expect(formatGap(0)).toBe('0s');
    expect(formatGap(59_400)).toBe('59s');
    expect(formatGap(59_500)).toBe('1m');
    expect(formatGap(60_000)).toBe('1m');
    expect(formatGap(3_600_000)).toBe('1h');
    expect(formatGap(86_400_000)).toBe('1d');
    expect(formatGap(23 * 3_600_000 + 59 * 60_000)).toBe('23h 59m');
    // Whole days and hours only: minutes are dropped once the gap is a day or more.
    expect(formatGap(86_400_000 + 59 * 60_000)).toBe('1d');
    expect(formatGap(-5_000)).toBe('0s');
  });
});

describe('transcript lines', () => {
  const thread = [
    r('Hi Dana, forklift role at $21/hr. Interested?', at(0)),
    c('yes!\nwhat are the hours?\r\n\r\n   and where', at(4 * 60)),
    r('Days, 6a-2p, in Fontana.', at(4 * 60 + 45)),
    c('ok', null),
    r('Want to set up a call?', at(3 * 3600 + 5 * 60 + 45)),
    c('  sure  ', at((2 * 24 + 4) * 3600 + 3 * 3600 + 5 * 60 + 45)),
    r('Friday 10am?', at((2 * 24 + 4) * 3600 + 3 * 3600 + 17 * 60 + 45)),
  ];

  it('renders [start], gaps, senders, flattened multi-line text, [?] for unknown times and the closing turn line', () => {
    expect(renderTranscript(thread, 6, 'all')).toBe(
      [
        '[start] Recruiter: Hi Dana, forklift role at $21/hr. Interested?',
        '[+4m] Candidate: yes! what are the hours? and where',
        '[+45s] Recruiter: Days, 6a-2p, in Fontana.',
        '[?] Candidate: ok',
        '[?] Recruiter: Want to set up a call?',
        '[+2d 4h] Candidate: sure',
        "[+12m] Recruiter's turn: END, CONTINUE or SCHEDULE?",
      ].join('\n'),
    );
  });

  it('every transcript line ends with one newline and holds no other; the turn line has none', () => {
    for (let i = 0; i < thread.length; i++) {
      const line = transcriptLine(thread, i);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
      expect(line.startsWith('[')).toBe(true);
    }
    expect(turnLine(thread, 6)).not.toMatch(/\n/);
  });

  it('the closing line shows the silence since the last message', () => {
    const silent = [r('Hi, still interested?', at(0)), r('Just checking in!', at(3 * 3600 + 5 * 60))];
    expect(renderTranscript(silent, 1, 'all')).toBe("[start] Recruiter: Hi, still interested?\n[+3h 5m] Recruiter's turn: END, CONTINUE or SCHEDULE?");
    expect(renderTranscript([r('Hi', at(0))], 0, 'all')).toBe("[start] Recruiter's turn: END, CONTINUE or SCHEDULE?");
    expect(turnLine([c('hi', at(0)), r('hello', null)], 1)).toBe("[?] Recruiter's turn: END, CONTINUE or SCHEDULE?");
  });

  it('context N keeps the last N messages, and their first line keeps its gap (no [start])', () => {
    expect(contextStart(6, 'all')).toBe(0);
    expect(contextStart(6, 2)).toBe(4);
    expect(contextStart(1, 5)).toBe(0);
    expect(renderTranscript(thread, 6, 2)).toBe(
      "[?] Recruiter: Want to set up a call?\n[+2d 4h] Candidate: sure\n[+12m] Recruiter's turn: END, CONTINUE or SCHEDULE?",
    );
    expect(renderTranscript(thread, 6, 100)).toBe(renderTranscript(thread, 6, 'all'));
    expect(renderTranscript(thread, 2, 1)).toBe("[+4m] Candidate: yes! what are the hours? and where\n[+45s] Recruiter's turn: END, CONTINUE or SCHEDULE?");
  });
});
