// "Try it" on the Models page: one decision from any model on a stored or pasted conversation,
// through the decision API's own path (lib/advisor/decide.ts: the same body check, rendering
// and model call) in its dry-run mode — nothing is logged as a live decision, no conversation
// is ingested, no shadow is asked.
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { InputError, NotFoundError } from '../errors';
import { providerIdSchema, type ProviderId } from '../finetunes/provider-ids';
import type { ImportConversation } from '../imports/schema';
import { decide, type DryRunDecision } from './decide';
import { currentPromotion, servingParams, toServing, type ServingPromotion } from './promotions';
import { DEFAULT_THRESHOLD, defaultTimeoutMs, MAX_BODY_BYTES } from './settings';

export const playgroundInputSchema = z.object({
  model: z.string({ error: 'choose a model' }).trim().min(1, 'choose a model').max(200, 'model must be at most 200 characters'),
  provider: providerIdSchema.optional(),
  threshold: z.coerce
    .number({ error: 'the threshold must be a number between 0 and 1' })
    .min(0, 'the threshold must be between 0 and 1')
    .max(1, 'the threshold must be between 0 and 1')
    .optional(),
  source: z.discriminatedUnion(
    'kind',
    [
      z.object({
        kind: z.literal('stored'),
        conversation: z.string().trim().min(1, 'enter a conversation id or external id').max(200, 'the conversation id is too long'),
        /** Decide this recruiter message (1-based, as the conversation page numbers them); omitted: the next turn after the last message. */
        turn: z.coerce
          .number({ error: 'the turn must be a message number' })
          .int('the turn must be a message number')
          .min(2, 'the first message is never a decision')
          .optional(),
      }),
      z.object({ kind: z.literal('pasted'), json: z.string().max(MAX_BODY_BYTES, 'the pasted conversation is larger than 1 MB') }),
    ],
    { error: 'choose a stored conversation or paste one' },
  ),
});
export type PlaygroundInput = z.input<typeof playgroundInputSchema>;

export interface PlaygroundResult extends DryRunDecision {
  /** Where the conversation came from, and which turn was decided. */
  conversation: { externalId: string; storedId: number | null; decidedMessage: number; messagesBefore: number };
  /** Reviewers' labels on the decided turn of a stored conversation (value → count). */
  humanLabels: Record<string, number> | null;
}

/** Line and column of a JSON.parse position, for a message a person can act on. */
function where(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  // "Unexpected end of JSON input" names no position: the problem is at the end.
  if (!m && !/end of JSON input/.test(message)) return '';
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

/** The pasted text as a decision body: a conversation of the import format, or the API's {"conversation": …}. */
function pastedBody(json: string): { body: unknown; bare: boolean } {
  if (!json.trim()) throw InputError.of('json', 'paste a conversation in the import format (JSON)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    const msg = (e as Error).message;
    throw InputError.of('$', `not valid JSON: ${msg.replace(/^JSON\.parse: /, '')}${where(json, msg)}`);
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'conversation' in parsed) return { body: parsed, bare: false };
  return { body: { conversation: parsed }, bare: true };
}

async function storedConversation(ref: string, turn: number | undefined) {
  const byId = /^\d+$/.test(ref) ? await db().conversation.findUnique({ where: { id: Number(ref) }, select: { id: true } }) : null;
  const c = await db().conversation.findUnique({
    where: byId ? { id: byId.id } : { externalId: ref },
    include: { messages: { orderBy: { position: 'asc' }, select: { id: true, position: true, sender: true, text: true, sentAt: true } } },
  });
  if (!c) throw new NotFoundError(`There is no conversation with id or external id "${ref}".`);
  const cut = turn === undefined ? c.messages.length : turn - 1;
  if (turn !== undefined) {
    const m = c.messages[cut];
    if (!m) throw InputError.of('source.turn', `${c.externalId} has ${c.messages.length} messages; there is no message ${turn}`);
    if (m.sender !== 'recruiter')
      throw InputError.of('source.turn', `message ${turn} of ${c.externalId} is the candidate's; only recruiter turns are decisions`);
  }
  const before = c.messages.slice(0, cut);
  const conversation: ImportConversation = {
    external_id: c.externalId,
    ...(c.candidateName ? { candidate_name: c.candidateName } : {}),
    ...(c.jobTitle ? { job_title: c.jobTitle } : {}),
    messages: before.map((m) => ({ sender: m.sender, text: m.text, ...(m.sentAt ? { sent_at: m.sentAt.toISOString() } : {}) })),
  } as ImportConversation;
  const decided = turn === undefined ? null : c.messages[cut];
  let humanLabels: Record<string, number> | null = null;
  if (decided) {
    const labels = await db().label.groupBy({ by: ['value'], where: { messageId: decided.id }, _count: true });
    humanLabels = Object.fromEntries(labels.map((l) => [l.value, l._count]));
  }
  // A decided stored turn is rendered at its own time, as the dataset rendered it; the next
  // turn as the API would decide it now.
  const now = decided?.sentAt ?? new Date();
  return { conversation, storedId: c.id, decidedMessage: cut + 1, humanLabels, now };
}

/** What serving would use for `model`: the advisor's own promotion when it is the advisor, else its training's prompt and transcript. */
async function servingFor(model: string, provider: ProviderId | undefined, threshold: number | undefined): Promise<ServingPromotion> {
  const current = await currentPromotion();
  if (current && current.model === model && (!provider || provider === current.provider)) {
    const s = toServing(current);
    return { ...s, threshold: threshold ?? s.threshold };
  }
  const p = await servingParams(model, provider);
  return {
    id: 0,
    model,
    provider: p.provider,
    threshold: threshold ?? current?.threshold ?? DEFAULT_THRESHOLD,
    timeoutMs: current?.timeoutMs ?? defaultTimeoutMs(),
    instructions: p.instructions,
    context: p.context,
  };
}

/** ml_lead/admin (it calls the provider, which may cost money). Writes nothing. */
export async function tryDecision(actor: Actor, input: PlaygroundInput): Promise<PlaygroundResult> {
  assertRole(actor, 'ml_lead', 'admin');
  const parsed = playgroundInputSchema.safeParse(input);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  const { model, provider, threshold, source } = parsed.data;
  const serving = await servingFor(model, provider, threshold);

  if (source.kind === 'stored') {
    const s = await storedConversation(source.conversation, source.turn);
    if (s.conversation.messages.length === 0) throw InputError.of('source.turn', 'there is no message before that turn to decide on');
    const answer = await decide(null, { conversation: s.conversation }, { now: s.now, dryRun: { serving } });
    return {
      ...answer,
      conversation: {
        externalId: s.conversation.external_id,
        storedId: s.storedId,
        decidedMessage: s.decidedMessage,
        messagesBefore: s.conversation.messages.length,
      },
      humanLabels: s.humanLabels,
    };
  }

  const { body, bare } = pastedBody(source.json);
  let answer: DryRunDecision;
  try {
    // Decided now, exactly as the API would answer this body.
    answer = await decide(null, body, { dryRun: { serving } });
  } catch (e) {
    // The pasted text is the conversation itself: name paths from its root.
    if (e instanceof InputError && bare)
      throw new InputError(e.issues.map((i) => ({ field: i.field.replace(/^\$\.conversation(?=$|[.[])/, '$'), message: i.message })));
    throw e;
  }
  const c = (body as { conversation: ImportConversation }).conversation;
  return {
    ...answer,
    conversation: { externalId: c.external_id, storedId: null, decidedMessage: c.messages.length + 1, messagesBefore: c.messages.length },
    humanLabels: null,
  };
}
