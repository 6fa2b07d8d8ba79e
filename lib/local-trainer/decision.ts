// Which label a fine-tuned model answers, given its calibrated probabilities. Not always the
// most probable one: ending a conversation the candidate wanted to continue (a premature END)
// cannot be undone, while a needless CONTINUE costs one more message. So END is answered only
// when its expected cost is lower than that of the best other label, with a premature END
// counted PREMATURE_END_COST times an ordinary error:
//   answer END  ⇔  PREMATURE_END_COST · (1 − p(END)) < 1 − max(p(CONTINUE), p(SCHEDULE)).
// The logprobs still report the model's calibrated probability of the label answered, so a
// "kept going" answer the model was unsure of carries a low confidence and is not acted on.
export const PREMATURE_END_COST = 1.5;
const END = 'END';

/** Index of the label to answer. */
export function decide(labels: readonly string[], probs: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < labels.length; k++) if (probs[k] > probs[best]) best = k;
  const end = labels.indexOf(END);
  if (end === -1) return best;
  let other = -1;
  for (let k = 0; k < labels.length; k++) if (k !== end && (other === -1 || probs[k] > probs[other])) other = k;
  if (other === -1) return best;
  return PREMATURE_END_COST * (1 - probs[end]) < 1 - probs[other] ? end : other;
}
