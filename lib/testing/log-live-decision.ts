// Tests and benches that need live traffic without the HTTP route: one acted CONTINUE decision
// for the turn after `conversation`'s last message, logged (and its conversation queued for
// the live merge) exactly as the decision API logs it.
import { logDecision } from '../advisor/decision-log';
import type { ImportConversation } from '../imports/schema';

export function logLiveDecision(conversation: ImportConversation, promotionId: number): Promise<number | null> {
  return logDecision({
    apiKeyId: null,
    externalId: conversation.external_id,
    position: conversation.messages.length,
    decision: 'CONTINUE',
    confidence: 0.9,
    acted: true,
    threshold: 0.7,
    model: 'local-base',
    promotionId,
    latencyMs: 1,
    modelLatencyMs: 1,
    fallbackReason: null,
    fallbackDetail: null,
    conversation,
  });
}
