// The prompt for a live decision, rendered by the code that builds datasets: the turn decided
// is the recruiter's next message after the last one sent, so it is rendered as a recruiter
// turn at the end of the thread, sent now — exactly the example a dataset version would make
// of that turn once it is in the conversation.
import { promptMessages } from '../datasets/example-line';
import { renderTranscript, type TranscriptMessage } from '../datasets/transcript';
import type { ImportConversation } from '../imports/schema';
import type { TranscriptContext } from './promotions';

export function decisionTranscript(conversation: Pick<ImportConversation, 'messages'>, context: TranscriptContext, now: Date): string {
  const messages: TranscriptMessage[] = conversation.messages.map((m) => ({ sender: m.sender, text: m.text, sentAt: m.sent_at ? new Date(m.sent_at) : null }));
  const turn = messages.length;
  // Without times in the thread the gap to "now" would be made up: the dataset renders "?" there too.
  const sentAt = messages.some((m) => m.sentAt) ? now : null;
  return renderTranscript([...messages, { sender: 'recruiter', text: '', sentAt }], turn, context);
}

export function decisionPrompt(instructions: string, conversation: Pick<ImportConversation, 'messages'>, context: TranscriptContext, now: Date) {
  return promptMessages(instructions, decisionTranscript(conversation, context, now));
}
