// Shadow mode: a candidate model asked beside the advisor on live traffic, its answers logged
// but never sent. Attaching copies what serving needs from the dataset version the model was
// trained on, exactly as a promotion does, so the comparison measures the model and not a
// prompt drift. At most one shadow is attached; promoting it is a normal promotion.
import { z } from 'zod';
import { assertRole, type Actor } from '../auth/session';
import { db } from '../db';
import { ConflictError, InputError, NotFoundError } from '../errors';
import { providerIdSchema } from '../finetunes/provider-ids';
import { assertSignedIn } from '../evals/queries';
import { Prisma } from '../generated/prisma/client';
import { promoteModel, servingParams } from './promotions';
import { forgetShadowCache } from './shadow-runner';
import { defaultTimeoutMs } from './settings';

export const attachShadowInputSchema = z.object({
  model: z.string({ error: 'model is required' }).trim().min(1, 'model is required').max(200, 'model must be at most 200 characters'),
  provider: providerIdSchema.optional(),
  timeoutMs: z.coerce
    .number({ error: 'the timeout must be a whole number of milliseconds' })
    .int('the timeout must be a whole number of milliseconds')
    .min(100, 'the timeout must be at least 100 ms')
    .max(60_000, 'the timeout must be at most 60,000 ms')
    .optional(),
  note: z.string().trim().max(500, 'the note must be at most 500 characters').optional(),
});
export type AttachShadowInput = z.input<typeof attachShadowInputSchema>;

/** The attached shadow, or null. */
export async function attachedShadow() {
  return db().advisorShadow.findFirst({ where: { detachedAt: null }, orderBy: { id: 'desc' } });
}

/** The shadow as the Advisor page shows it (with who attached it), or null. */
export async function attachedShadowFor(actor: Actor | null) {
  assertSignedIn(actor);
  const s = await attachedShadow();
  if (!s) return null;
  const by = await db().user.findUnique({ where: { id: s.attachedById }, select: { email: true } });
  return { ...s, attachedByEmail: by?.email ?? 'a removed account' };
}

/** ml_lead/admin. Replaces any attached shadow (its decisions stay, under its own attachment). */
export async function attachShadow(actor: Actor, input: AttachShadowInput) {
  assertRole(actor, 'ml_lead', 'admin');
  const parsed = attachShadowInputSchema.safeParse(input);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  const { model, provider, timeoutMs, note } = parsed.data;
  const serving = await servingParams(model, provider);
  try {
    const attached = await db().$transaction(async (tx) => {
      await tx.advisorShadow.updateMany({ where: { detachedAt: null }, data: { detachedAt: new Date(), detachedById: actor.id } });
      return tx.advisorShadow.create({
        data: {
          model,
          provider: serving.provider,
          timeoutMs: timeoutMs ?? defaultTimeoutMs(),
          instructions: serving.instructions,
          context: serving.context,
          datasetVersionId: serving.datasetVersionId,
          fineTuneJobId: serving.fineTuneJobId,
          note: note || null,
          attachedById: actor.id,
        },
      });
    });
    forgetShadowCache();
    return attached;
  } catch (e) {
    // The one-attached index: another lead attached a shadow at the same moment.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')
      throw new ConflictError('Another shadow was attached at the same moment; reload the Advisor page and try again.');
    throw e;
  }
}

/** ml_lead/admin. Stops asking the shadow; its logged decisions stay for the comparison. */
export async function detachShadow(actor: Actor) {
  assertRole(actor, 'ml_lead', 'admin');
  const s = await attachedShadow();
  if (!s) throw new ConflictError('No shadow model is attached.');
  const detached = await db().advisorShadow.update({ where: { id: s.id }, data: { detachedAt: new Date(), detachedById: actor.id } });
  forgetShadowCache();
  return detached;
}

/**
 * ml_lead/admin. Makes the shadow the advisor through the normal promotion (lib/advisor/
 * promotions.ts) and detaches it: it no longer needs a shadow of itself.
 */
export async function promoteShadow(actor: Actor, input: { shadowId: number; threshold?: number; note?: string }) {
  assertRole(actor, 'ml_lead', 'admin');
  const s = await db().advisorShadow.findUnique({ where: { id: input.shadowId } });
  if (!s) throw new NotFoundError(`There is no shadow #${input.shadowId}.`);
  if (s.detachedAt)
    throw new ConflictError(`Shadow #${s.id} (${s.model}) was detached; attach it again to promote it from here, or promote it on the Models page.`);
  const promotion = await promoteModel(actor, {
    model: s.model,
    provider: providerIdSchema.parse(s.provider),
    timeoutMs: s.timeoutMs,
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
    note: input.note?.trim() || `Promoted from shadow #${s.id}`,
  });
  await db().advisorShadow.updateMany({ where: { id: s.id, detachedAt: null }, data: { detachedAt: new Date(), detachedById: actor.id } });
  forgetShadowCache();
  return promotion;
}
