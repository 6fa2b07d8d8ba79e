// Sequence checks: label sequences within one conversation that make no sense, flagged for
// review. Pure: a thread in, problems out (the page explains them on the offending turns);
// ./sequence-checks-sql.ts counts the same turns in SQL for the list filter, and
// sequence-checks.test.ts holds the two to the same answers.
//
// Words used below, precisely:
//   - A *turn* is a recruiter message. Messages are in position order.
//   - Two turns p before t are *in one candidate segment* when no candidate message lies
//     between them: the candidate has said nothing new since p.
//   - Two turns p before t have *identical context* when they are in one candidate segment
//     AND the transcript shows no silence between them: every message from p to t has a
//     known sent time and follows the one before it by less than SILENCE_MS. That is "the
//     same transcript since the last candidate message", as the advisor reads it: the same
//     last candidate message, and no pause in which the situation changed. A pause matters:
//     a nudge after a day of silence (CONTINUE) and the close after two unanswered nudges
//     (END) are different decisions on purpose (DESIGN.md §1: the transcript shows the silence).
//     An unknown time (no sent_at) could hide such a pause, so it breaks identity too: we
//     flag only what is certainly a contradiction.
//
// The rules (each flags turn t):
//   after_end          t has a label (by anyone) and an earlier turn of t's candidate segment
//                      is labeled END (by anyone): after an END the conversation should be over,
//                      and nothing the candidate said reopened it.
//   schedule_then_end  t is labeled END (by anyone) and the message right before t is a turn
//                      labeled SCHEDULE (by anyone): the candidate was ready to book and the
//                      very next turn ends the conversation without hearing from them. (Not
//                      "any earlier SCHEDULE": a SCHEDULE, two unanswered nudges, then the
//                      close is a sound sequence.)
//   self_contradiction a reviewer labeled t differently from an earlier turn of theirs with
//                      identical context (defined above).
import type { LabelValueName } from './label-values';

export const SILENCE_MS = 60 * 60 * 1000;

export type SequenceRule = 'after_end' | 'schedule_then_end' | 'self_contradiction';

export interface SequenceCheckLabel {
  reviewerId: string;
  reviewerName: string;
  value: LabelValueName;
}

export interface SequenceCheckMessage {
  id: number;
  position: number;
  sender: 'recruiter' | 'candidate';
  sentAt: string | Date | null;
  labels: readonly SequenceCheckLabel[];
}

export interface SequenceProblem {
  /** The offending turn. */
  messageId: number;
  rule: SequenceRule;
  /** The earlier turn it clashes with. */
  relatedMessageId: number;
  /** self_contradiction: whose labels clash. */
  reviewerId?: string;
  /** For the notice on the turn, in words a recruiter reads. */
  explanation: string;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const time = (d: string | Date | null) => (d === null ? null : new Date(d).getTime());

function names(labels: readonly SequenceCheckLabel[], value: LabelValueName): string {
  const who = [...new Set(labels.filter((l) => l.value === value).map((l) => l.reviewerName))];
  return who.length <= 2 ? who.join(' and ') : `${who.slice(0, 2).join(', ')} and ${who.length - 2} more`;
}

export function sequenceProblems(thread: readonly SequenceCheckMessage[]): SequenceProblem[] {
  const messages = [...thread].sort((a, b) => a.position - b.position);
  // Turn numbers as the page shows them ("Recruiter turn 3 of 5").
  const turnNo = new Map<number, number>();
  for (const m of messages) if (m.sender === 'recruiter') turnNo.set(m.id, turnNo.size + 1);
  const problems: SequenceProblem[] = [];
  // Per message: the candidate segment and the identical-context run it belongs to.
  let candSeg = 0;
  let run = 0;
  const segOf: number[] = [];
  const runOf: number[] = [];
  messages.forEach((m, i) => {
    const prev = messages[i - 1];
    if (m.sender === 'candidate') candSeg++;
    const gap = prev ? (time(m.sentAt) ?? NaN) - (time(prev.sentAt) ?? NaN) : NaN;
    if (m.sender === 'candidate' || !prev || !(gap < SILENCE_MS)) run++;
    segOf.push(candSeg);
    runOf.push(run);
  });

  messages.forEach((t, i) => {
    if (t.sender !== 'recruiter' || t.labels.length === 0) return;
    const n = turnNo.get(t.id)!;
    // after_end: the nearest earlier END in the segment is the one to name.
    for (let j = i - 1; j >= 0 && segOf[j] === segOf[i]; j--) {
      const p = messages[j];
      if (p.sender === 'recruiter' && p.labels.some((l) => l.value === 'END')) {
        problems.push({
          messageId: t.id,
          rule: 'after_end',
          relatedMessageId: p.id,
          explanation: `Turn ${turnNo.get(p.id)} is labeled END (${names(p.labels, 'END')}) and the candidate wrote nothing after it, yet turn ${n} is labeled too: after an END the conversation should be over. Is that END right, or is this turn out of place?`,
        });
        break;
      }
    }
    const prev = messages[i - 1];
    if (t.labels.some((l) => l.value === 'END') && prev?.sender === 'recruiter' && prev.labels.some((l) => l.value === 'SCHEDULE')) {
      problems.push({
        messageId: t.id,
        rule: 'schedule_then_end',
        relatedMessageId: prev.id,
        explanation: `Turn ${turnNo.get(prev.id)} right before is labeled SCHEDULE (${names(prev.labels, 'SCHEDULE')}), and this turn END (${names(t.labels, 'END')}) with no reply from the candidate in between: a candidate ready to book is not a reason to end.`,
      });
    }
    for (const mine of t.labels) {
      for (let j = i - 1; j >= 0 && runOf[j] === runOf[i]; j--) {
        const earlier = messages[j].labels.find((l) => l.reviewerId === mine.reviewerId);
        if (!earlier) continue;
        if (earlier.value !== mine.value) {
          problems.push({
            messageId: t.id,
            rule: 'self_contradiction',
            relatedMessageId: messages[j].id,
            reviewerId: mine.reviewerId,
            explanation: `${capitalised(mine.reviewerName)} labeled turn ${turnNo.get(messages[j].id)} ${earlier.value} and this turn ${mine.value}, with nothing new from the candidate and no pause in between: the same situation got two different decisions.`,
          });
          break;
        }
      }
    }
  });
  return problems;
}

/** The turns with at least one problem: what the list's "Sequence problems" counter counts. */
export function turnsWithSequenceProblems(thread: readonly SequenceCheckMessage[]): number[] {
  return [...new Set(sequenceProblems(thread).map((p) => p.messageId))].sort((a, b) => a - b);
}
