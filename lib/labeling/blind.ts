// Blind labeling: while it is on, a reviewer sees other people's labels on a turn (imported
// ones included) only once they have labeled that turn themselves, so nobody is anchored by
// a label they saw first — which is what makes `majority` and `agree:K` datasets worth
// anything. ML leads and admins always see every label. Enforced where the data is read:
// hidden labels are never sent to the browser.
import { db } from '../db';
import type { Actor } from '../auth/session';
import { LabelRuleError } from './label-turn';
import { getLabelingSettings, type LabelingSettings } from './settings';
import type { LabelValueName } from './label-values';

export interface OtherLabel {
  reviewerId: string;
  reviewerName: string;
  reviewerEmail: string;
  value: LabelValueName;
}

/** ML leads and admins adjudicate and build datasets: they always see every label. */
export function seesOthersAlways(actor: Actor): boolean {
  return actor.role === 'ml_lead' || actor.role === 'admin';
}

/** Whether blind labeling applies to this actor now. */
export function labelsBlindFor(actor: Actor, settings: Pick<LabelingSettings, 'blind'>): boolean {
  return settings.blind && !seesOthersAlways(actor);
}

/**
 * Others' labels on one turn, if the actor may see them: `hidden` when blind labeling keeps
 * them back (the actor has not labeled the turn yet). The conversation page asks again after
 * each save, so labels appear as soon as the actor's own label is stored.
 */
export async function otherLabelsOnTurn(actor: Actor, messageId: number): Promise<{ messageId: number; hidden: boolean; labels: OtherLabel[] }> {
  const message = await db().message.findUnique({
    where: { id: messageId },
    select: {
      sender: true,
      conversation: { select: { isGolden: true } },
      labels: { select: { value: true, reviewerId: true, reviewer: { select: { name: true, email: true } } } },
    },
  });
  if (!message) throw new LabelRuleError(`Message ${messageId} does not exist.`);
  const mine = message.labels.some((l) => l.reviewerId === actor.id);
  const hidden = !message.conversation.isGolden && !mine && labelsBlindFor(actor, await getLabelingSettings());
  return {
    messageId,
    hidden,
    labels: hidden
      ? []
      : message.labels
          .filter((l) => l.reviewerId !== actor.id)
          .map((l) => ({ reviewerId: l.reviewerId, reviewerName: l.reviewer.name, reviewerEmail: l.reviewer.email, value: l.value })),
  };
}
